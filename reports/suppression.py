"""Disclosure control for published summaries.

Every protected count is published either as its number or as one of three marks. What the
reader may conclude from each (``t`` is the threshold, 5 unless configured):

``"<t"`` (primary suppression)
    The count is between 1 and t-1. *Every* count in that range is hidden, so it is never
    shown as a number.
``"x"`` (complementary suppression)
    The count is 0 or at least t: a count of 1..t-1 would read ``"<t"``. Cells are hidden
    this way so that a ``"<t"`` cell cannot be worked out from the totals.
``".."`` (withheld)
    Nothing is published about the count: it may be any number, 1..t-1 included. Used for
    totals (and, failing those, other cells of an equation) when even hiding every
    published member could not protect the small cells, e.g. four cells ``"<5"`` whose
    total 4 would also read ``"<5"``: four counts of at least 1 summing to at most 4 are
    all 1. A withheld total is withheld wherever the same number is repeated (an equality
    link between tables), so the tables stay consistent with one another.

Equations known to the reader: each protected table's total row is the sum of its rows, and
the ``links`` between tables (the same population counted in several tables, and splits
that add up). A hidden cell is *pinned* when the marks and all the equations together leave
it a single possible value. This is decided exactly: the values each mark allows (unions of
ranges) are narrowed by every equation to a fixed point, and then, for each hidden cell, a
search (narrowing, then splitting domains) looks for a solution of the whole system that
gives it another value than its own; a cell for which none is found, or for which the search
runs out of budget, counts as pinned. Narrowing alone is not enough: ``a = b + c`` and
``b + c + 5 = 8`` pin ``a`` though the bounds of ``b`` and ``c`` alone do not.

The algorithm:

1. Withholding. Imagine every count hidden: small counts "<t", all the others "x". Hiding
   more can only take knowledge away, so a small (or withheld) count pinned even then can
   only be protected by withholding: a total of an equation that pins it is withheld, one
   at a time, until nothing small is pinned in that imagined world.
2. Complementary suppression. From the real published figures, while a hidden cell is
   pinned, hide one more published cell ("x"): first from an equation that pins a cell on
   its own (its smallest non-zero published member, else its total, else a zero member),
   else from an equation holding a pinned cell, or linked to one through hidden cells,
   whose choice leaves fewer cells pinned. Where a month's count is hidden, its
   year-to-date is hidden too (differencing across months beyond that is not covered).
3. If nothing published is left to hide around a pinned cell, a cell of an equation holding
   it is withheld as in step 1.

The test suite checks the result globally with an independent solver.
"""

from __future__ import annotations

PRIMARY, COMPLEMENT, WITHHELD = "P", "C", "W"
WITHHELD_MARK = ".."
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
    if kind == WITHHELD:
        return [(0, BIG)]
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


def _narrow(
    eq: tuple[Cell, list[Cell]], values: dict[Cell, int], doms: dict[Cell, Intervals]
) -> dict[Cell, Intervals] | None:
    """The feasible values one equation leaves to each of its hidden cells (keyed by cell),
    given `doms` for the hidden ones; None when nothing in it is hidden."""
    total, members = eq
    terms = [(total, -1)] + [(m, 1) for m in members]
    unknown = [(c, sign) for c, sign in terms if c in doms]
    if not unknown:
        return None
    known = sum(sign * values[c] for c, sign in terms if c not in doms)
    # sum(sign * x for the unknown) == -known
    signed = [doms[c] if s > 0 else _neg(doms[c]) for c, s in unknown]
    # sums of the signed domains before and after each position
    before: list[Intervals] = [[(0, 0)]]
    for d in signed[:-1]:
        before.append(_add(before[-1], d))
    after: list[Intervals] = [[(0, 0)]]
    for d in reversed(signed[1:]):
        after.append(_add(after[-1], d))
    after.reverse()
    out: dict[Cell, Intervals] = {}
    for i, (c, s) in enumerate(unknown):
        rest = _add(before[i], after[i])
        # s * x = -known - rest
        target = _add([(-known, -known)], _neg(rest))
        out[c] = _intersect(doms[c], target if s > 0 else _neg(target))
    return out


def pinned_in(
    eq: tuple[Cell, list[Cell]], values: dict[Cell, int], hidden: dict[Cell, str], threshold: int
) -> list[Cell]:
    """The hidden cells that one equation on its own (marks only) leaves a single value."""
    doms = {c: domain(k, threshold) for c, k in hidden.items() if c in eq[1] or c == eq[0]}
    feasible = _narrow(eq, values, doms) or {}
    return [c for c, f in feasible.items() if _size(f) <= 1]


MAX_ROUNDS = 1000  # propagation over these equations settles in a few rounds
SEARCH_BUDGET = 5000  # search nodes per question; past it a cell is taken as pinned


def _propagate(
    eqs: list[tuple[Cell, list[Cell]]], values: dict[Cell, int], doms: dict[Cell, Intervals]
) -> bool:
    """Narrow `doms` in place by every equation to a fixed point; False if one empties."""
    touching: dict[Cell, list[int]] = {}
    for i, eq in enumerate(eqs):
        for c in _cells(eq):
            if c in doms:
                touching.setdefault(c, []).append(i)
    queue = list(range(len(eqs)))
    queued = set(queue)
    steps = MAX_ROUNDS * max(len(eqs), 1)
    while queue and steps > 0:
        steps -= 1
        i = queue.pop(0)
        queued.discard(i)
        for c, feasible in (_narrow(eqs[i], values, doms) or {}).items():
            if not feasible:
                return False
            if feasible != doms[c]:
                doms[c] = feasible
                for j in touching[c]:
                    if j not in queued:
                        queue.append(j)
                        queued.add(j)
    return True


def knowledge(
    eqs: list[tuple[Cell, list[Cell]]],
    values: dict[Cell, int],
    hidden: dict[Cell, str],
    threshold: int,
) -> dict[Cell, Intervals]:
    """What the reader can conclude of each hidden cell from the equations one at a time:
    its mark's values narrowed by every equation, to a fixed point."""
    doms = {c: domain(k, threshold) for c, k in hidden.items()}
    _propagate(eqs, values, doms)
    return doms


class _OutOfBudget(Exception):
    pass


def _solution(
    eqs: list[tuple[Cell, list[Cell]]],
    values: dict[Cell, int],
    doms: dict[Cell, Intervals],
    budget: list[int],
) -> dict[Cell, int] | None:
    """Values for the hidden cells within `doms` that satisfy every equation, or None."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _OutOfBudget
    doms = dict(doms)
    if not _propagate(eqs, values, doms):
        return None
    open_ = [c for c, d in doms.items() if _size(d) > 1]
    if not open_:
        return {c: d[0][0] for c, d in doms.items()}
    pick = min(open_, key=lambda c: _size(doms[c]))
    d = doms[pick]
    if len(d) > 1:
        branches = [[r] for r in d]
    else:
        lo, hi = d[0]
        mid = (lo + hi) // 2
        branches = [[(lo, mid)], [(mid + 1, hi)]]
    for branch in branches:
        found = _solution(eqs, values, {**doms, pick: branch}, budget)
        if found is not None:
            return found
    return None


def _components(
    eqs: list[tuple[Cell, list[Cell]]], hidden: dict[Cell, str]
) -> list[tuple[set[Cell], list[tuple[Cell, list[Cell]]]]]:
    """The hidden cells grouped by the equations that connect them, with those equations."""
    parent: dict[Cell, Cell] = {c: c for c in hidden}

    def root(c: Cell) -> Cell:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for eq in eqs:
        inside = [c for c in _cells(eq) if c in hidden]
        for c in inside[1:]:
            parent[root(c)] = root(inside[0])
    groups: dict[Cell, set[Cell]] = {}
    for c in hidden:
        groups.setdefault(root(c), set()).add(c)
    return [
        (cells, [eq for eq in eqs if any(c in cells for c in _cells(eq))])
        for cells in groups.values()
    ]


def pinned(
    eqs: list[tuple[Cell, list[Cell]]],
    values: dict[Cell, int],
    hidden: dict[Cell, str],
    threshold: int,
    targets: set[Cell] | None = None,
) -> set[Cell]:
    """Hidden cells (of `targets`, if given) the reader can work out from all the equations
    together. A cell is free
    when some solution of the whole system, within what the marks allow, gives it another
    value than its own; this is searched exactly (propagation, then splitting domains), and
    a search that runs out of budget counts the cell as pinned."""
    doms = knowledge(eqs, values, hidden, threshold)
    found = {c for c, d in doms.items() if _size(d) <= 1}
    free: set[Cell] = set()
    for cells, eqs_c in _components(eqs, hidden):
        doms_c = {c: doms[c] for c in cells}
        for c in sorted(cells - found):
            if c in free or (targets is not None and c not in targets):
                continue
            v = values[c]
            other = _intersect(doms_c[c], [(-BIG, v - 1), (v + 1, BIG)])
            try:
                sol = _solution(eqs_c, values, {**doms_c, c: other}, [SEARCH_BUDGET])
            except _OutOfBudget:
                sol = None
            if sol is None:
                found.add(c)
            else:
                free |= {x for x, y in sol.items() if y != values[x]}
    return found


def _cells(eq: tuple[Cell, list[Cell]]) -> list[Cell]:
    return [eq[0], *eq[1]]


def _withhold_one(
    eqs: list[tuple[Cell, list[Cell]]], hidden: dict[Cell, str], found: set[Cell]
) -> bool:
    """Withhold one cell of an equation that holds a pinned cell: a table total if there is
    one, else the equation's total, else a member; with it, whatever equals it by a link."""
    involved = [eq for eq in eqs if any(c in found for c in _cells(eq))]
    candidates = (
        [c for eq in involved for c in _cells(eq) if c[1] == TOTAL]
        + [eq[0] for eq in involved]
        + [c for eq in involved for c in eq[1]]
    )
    choice = next((c for c in candidates if hidden.get(c) != WITHHELD), None)
    if choice is None:
        return False
    spread = [choice]
    while spread:
        cell = spread.pop()
        if hidden.get(cell) == WITHHELD:
            continue
        hidden[cell] = WITHHELD
        for total, members in eqs:
            if len(members) == 1 and cell in (total, members[0]):
                spread.append(members[0] if cell == total else total)
    return True


def _hide_ytd(values: dict[Cell, int], hidden: dict[Cell, str]) -> None:
    # Year-to-date minus last month's year-to-date is this month: where this month is
    # hidden, its year-to-date is hidden too.
    for key, row, col in list(hidden):
        ytd = (key, row, YTD)
        if col == MONTH and ytd in values and ytd not in hidden:
            hidden[ytd] = COMPLEMENT


def _complement_choice(
    eq: tuple[Cell, list[Cell]], values: dict[Cell, int], hidden: dict[Cell, str]
):
    """The published cell of the equation to hide next; None when all of it is hidden."""
    total, members = eq
    open_members = [m for m in members if m not in hidden]
    nonzero = [m for m in open_members if values[m] > 0]
    if nonzero:
        return min(nonzero, key=lambda m: (values[m], members.index(m)))
    if total not in hidden:
        return total
    return open_members[0] if open_members else None


def _next_complement(
    eqs: list[tuple[Cell, list[Cell]]],
    values: dict[Cell, int],
    hidden: dict[Cell, str],
    threshold: int,
    found: set[Cell],
) -> Cell | None:
    """The published cell to hide next. An equation that pins a cell on its own comes first;
    else, of the equations holding a pinned cell and then of the others linked to it through
    hidden cells, the first whose choice leaves fewer cells pinned (an equation can hold a
    cell pinned by another, where hiding in it is no help)."""
    for eq in eqs:
        if pinned_in(eq, values, hidden, threshold):
            choice = _complement_choice(eq, values, hidden)
            if choice is not None:
                return choice
    involved = [eq for eq in eqs if any(c in found for c in _cells(eq))]
    # A cell can also be pinned through a chain of equations (a = b + c, b + c + d = t):
    # then the published cell to hide may sit in another equation of the chain.
    chained = [
        eq
        for cells, eqs_c in _components(eqs, hidden)
        if cells & found
        for eq in eqs_c
        if eq not in involved
    ]
    choices = [_complement_choice(eq, values, hidden) for eq in involved + chained]
    choices = [c for c in dict.fromkeys(choices) if c is not None]
    for choice in choices:
        if len(pinned(eqs, values, hidden | {choice: COMPLEMENT}, threshold)) < len(found):
            return choice
    return choices[0] if choices else None


def suppress(content: dict, threshold: int) -> dict[Cell, str]:
    """The cells to hide and how (PRIMARY "<t", COMPLEMENT "x", WITHHELD "..")."""
    values = count_cells(content)
    eqs = [
        (total, members)
        for total, members in equations(content)
        if total in values and all(m in values for m in members)
    ]
    small = {c for c, v in values.items() if 0 < v < threshold}

    # 1. Withholding, decided with every count hidden.
    withheld: dict[Cell, str] = {}
    while True:
        world = {c: PRIMARY if c in small else COMPLEMENT for c in values} | withheld
        targets = {c for c, k in world.items() if k != COMPLEMENT}
        found = pinned(eqs, values, world, threshold, targets) & targets
        if not found or not _withhold_one(eqs, world, found):
            break
        withheld = {c: k for c, k in world.items() if k == WITHHELD}

    # 2. and 3. Complementary suppression of the real figures.
    hidden: dict[Cell, str] = dict.fromkeys(small, PRIMARY) | withheld
    while True:
        _hide_ytd(values, hidden)
        found = pinned(eqs, values, hidden, threshold)
        if not found:
            break
        choice = _next_complement(eqs, values, hidden, threshold, found)
        if choice is not None:
            hidden[choice] = COMPLEMENT
            continue
        if not _withhold_one(eqs, hidden, found):
            break  # everything involved is withheld: nothing is left to learn
    return hidden


def publish(content: dict, threshold: int) -> dict:
    """The published version: hidden counts replaced by marks, money of hidden rows too."""
    hidden = suppress(content, threshold)
    marks = {PRIMARY: f"<{threshold}", COMPLEMENT: "x", WITHHELD: WITHHELD_MARK}
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
                        row[1 + i] = marks[kind]
                        row_hidden = True
                # A sum of money over fewer than `threshold` defendants could name one.
                for i, col in enumerate(t["columns"]):
                    if col in t["money"] and (row_hidden or not counts):
                        row[1 + i] = marks[COMPLEMENT]
            if t["total"] is not None:
                for i, col in enumerate(t["columns"]):
                    kind = hidden.get((t["key"], TOTAL, col))
                    if kind:
                        t["total"][i] = marks[kind]
        tables.append(t)
    return {**content, "tables": tables, "threshold": threshold}
