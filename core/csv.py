"""Cells that a spreadsheet program would run: every export of the system writes through
this guard."""

# Spreadsheet programs run a cell that begins with one of these as a formula: such a text
# cell is prefixed with an apostrophe so that it stays text.
FORMULA_START = frozenset("=+-@\t\r")


def neutralise_cell(value):
    return "'" + value if value.__class__ is str and value[:1] in FORMULA_START else value


def neutralise(row: list) -> list:
    return [neutralise_cell(v) for v in row]
