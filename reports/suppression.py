"""Disclosure control for published summaries.

Primary suppression: every count from 1 to threshold-1 is shown as "<threshold".
Complementary suppression: further cells are hidden (shown "x") until no hidden cell can be
worked out from the published totals and the equations between tables (`links`).

What a reader knows of a hidden cell: "<5" means 1..4; "x" means 0 or at least 5 (it was not
a small count, else it would read "<5"). A cell is *pinned* when, given an equation and what
is known of its other cells, only one value remains. For each equation the feasible values
are computed exactly with interval arithmetic; the greedy step hides the smallest non-zero
published member of an equation that pins a cell (or, failing that, its total), until no
equation pins anything. The test suite checks the result globally with a solver.
"""

from __future__ import annotations

PRIMARY, COMPLEMENT = "P", "C"
TOTAL = "TOTAL"
MONTH, YTD = "BULAN_INI", "TAHUN_INI"
BIG = 10**12

Cell = tuple[str, str, str]
Intervals = list[tuple[int, int]]


# --- interval lists: sets of integers as sorted disjoint [lo, hi] ranges --------------------


def _merge(ranges: Intervals) -> Intervals:
    out: Intervals = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _add(a: Intervals, b: Intervals) -> Intervals:
    return _merge([(x[0] + y[0], x[1] + y[1]) for x in a for y in b])


def _neg(a: Intervals) -> Intervals:
    return _merge([(-hi, -lo) for lo, hi in a])


def _intersect(a: Intervals, b: Intervals) -> Intervals:
    out = [(max(x[0], y[0]), min(x[1], y[1])) for x in a for y in b]
    return _merge([(lo, hi) for lo, hi in out if lo <= hi])


def _size(a: Intervals) -> int:
    return sum(hi - lo + 1 for lo, hi in a)


def domain(kind: str, threshold: int) -> Intervals:
    """What a reader knows of a hidden cell from its mark."""
    if kind == PRIMARY:
        return [(1, threshold - 1)]
    return [(0, 0), (threshold, BIG)]


# --- the content as cells and equations -----------------------------------------------------


def count_cells(content: dict) -> dict[Cell, int]:
    """Every protected count of the content, totals included (row code "TOTAL")."""
    cells: dict[Cell, int] = {}
    for t in content["tables"]:
        if not t["protect"]:
            continue
        for i, col in enumerate(t["columns"]):
            if col in t["money"]:
                continue
            for row in t["rows"]:
                cells[(t["key"], row[0], col)] = row[1 + i]
            if t["total"] is not None:
                cells[(t["key"], TOTAL, col)] = t["total"][i]
    return cells


def equations(content: dict) -> list[tuple[Cell, list[Cell]]]:
    """total = sum(members): each protected table's total row, and the links between tables."""
    eqs: list[tuple[Cell, list[Cell]]] = []
    for t in content["tables"]:
        if not t["protect"] or t["total"] is None:
            continue
        for col in t["columns"]:
            if col in t["money"]:
                continue
            eqs.append(((t["key"], TOTAL, col), [(t["key"], r[0], col) for r in t["rows"]]))
    for link in content.get("links", []):
        eqs.append((tuple(link["total"]), [tuple(m) for m in link["members"]]))
    return eqs


def pinned_in(
    eq: tuple[Cell, list[Cell]], values: dict[Cell, int], hidden: dict[Cell, str], threshold: int
) -> list[Cell]:
    """The hidden cells of one equation that it leaves with a single possible value."""
    total, members = eq
    terms = [(total, -1)] + [(m, 1) for m in members]
    unknown = [(c, sign) for c, sign in terms if c in hidden]
    if not unknown:
        return []
    known = sum(sign * values[c] for c, sign in terms if c not in hidden)
    # sum(sign * x for the unknown) == -known
    doms = {c: domain(hidden[c], threshold) for c, _s in unknown}
    signed = {c: (doms[c] if s > 0 else _neg(doms[c])) for c, s in unknown}
    pinned = []
    for c, s in unknown:
        rest: Intervals = [(0, 0)]
        for other, _s in unknown:
            if other != c:
                rest = _add(rest, signed[other])
        # s * x = -known - rest
        target = _add([(-known, -known)], _neg(rest))
        feasible = _intersect(doms[c], target if s > 0 else _neg(target))
        if _size(feasible) <= 1:
            pinned.append(c)
    return pinned


def suppress(content: dict, threshold: int) -> dict[Cell, str]:
    """The cells to hide and how (PRIMARY "<t", COMPLEMENT "x")."""
    values = count_cells(content)
    eqs = [
        (total, members)
        for total, members in equations(content)
        if total in values and all(m in values for m in members)
    ]
    hidden: dict[Cell, str] = {c: PRIMARY for c, v in values.items() if 0 < v < threshold}
    changed = True
    while changed:
        changed = False
        # Year-to-date minus last month's year-to-date is this month: where this month is
        # hidden, its year-to-date is hidden too (differencing across months beyond that
        # is not covered; see docs).
        for (key, row, col), _kind in list(hidden.items()):
            ytd = (key, row, YTD)
            if col == MONTH and ytd in values and ytd not in hidden:
                hidden[ytd] = COMPLEMENT
                changed = True
        for eq in eqs:
            if not pinned_in(eq, values, hidden, threshold):
                continue
            total, members = eq
            open_members = [m for m in members if m not in hidden]
            nonzero = [m for m in open_members if values[m] > 0]
            if nonzero:
                choice = min(nonzero, key=lambda m: (values[m], members.index(m)))
            elif total not in hidden:
                choice = total
            elif open_members:
                choice = open_members[0]
            else:
                continue  # everything in it is hidden already
            hidden[choice] = COMPLEMENT
            changed = True
    return hidden


def publish(content: dict, threshold: int) -> dict:
    """The published version: hidden counts replaced by marks, money of hidden rows too."""
    hidden = suppress(content, threshold)
    small, mark = f"<{threshold}", "x"
    tables = []
    for t in content["tables"]:
        t = {**t, "rows": [list(r) for r in t["rows"]], "total": t["total"] and list(t["total"])}
        if t["protect"]:
            counts = [c for c in t["columns"] if c not in t["money"]]
            for row in t["rows"]:
                row_hidden = False
                for i, col in enumerate(t["columns"]):
                    kind = hidden.get((t["key"], row[0], col))
                    if kind:
                        row[1 + i] = small if kind == PRIMARY else mark
                        row_hidden = True
                # A sum of money over fewer than `threshold` defendants could name one.
                for i, col in enumerate(t["columns"]):
                    if col in t["money"] and (row_hidden or not counts):
                        row[1 + i] = mark
            if t["total"] is not None:
                for i, col in enumerate(t["columns"]):
                    kind = hidden.get((t["key"], TOTAL, col))
                    if kind:
                        t["total"][i] = small if kind == PRIMARY else mark
        tables.append(t)
    return {**content, "tables": tables, "threshold": threshold}
