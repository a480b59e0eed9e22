"""Cells that a spreadsheet program would run: every export of the system writes through
this guard."""

import csv
import re

from django.utils.functional import Promise

# Spreadsheet programs run a cell that begins with one of these as a formula: such a text
# cell is prefixed with an apostrophe so that it stays text.
FORMULA_START = frozenset("=+-@\t\r")
# Every CSV cell is quoted as well (QUOTE_ALL): a file read with `;` as the separator (Excel
# in the Indonesian locale) would otherwise split a cell at a `;` inside it, and the part
# after it could begin a formula.
CSV_QUOTING = csv.QUOTE_ALL
# ... and a formula start right after a separator inside a cell is guarded too (OWASP: a
# reading with another separator starts a new cell there, whatever the quoting).
INNER_FORMULA = re.compile(r"([;,][\s\"']*)([=+\-@\t\r])")


def neutralise_cell(value):
    """A text cell that a spreadsheet would run as a formula, made text; other values as
    they are. Any text counts: str subclasses (SafeString) and lazy translations too."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        # A cell read with another separator begins after a `;` or `,` inside this one.
        value = INNER_FORMULA.sub(r"\1'\2", value)
        if value[:1] in FORMULA_START:
            return "'" + value
    return value


def neutralise(row: list) -> list:
    return [neutralise_cell(v) for v in row]
