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
ranges) are narrowed by every equation, and then, for each hidden cell, a search (narrowing,
then splitting domains, trying values near the true ones first) looks for a solution of the
whole system that gives it another value than its own; a cell for which none is found, or
for which the search runs out of budget, counts as pinned. Narrowing alone is not enough:
``a = b + c`` and ``b + c + 5 = 8`` pin ``a`` though the bounds of ``b`` and ``c`` alone do
not. The steps below ask this again and again of the same content, each time with more
hidden: the solutions found are kept (see ``Reader``), so each question is mostly answered
by one found before.

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


def domain(kind: str, threshold: int, cap: int = BIG) -> Intervals:
    """What a reader knows of a hidden cell from its mark."""
    if kind == PRIMARY:
        return [(1, threshold - 1)]
    if kind == WITHHELD:
        return [(0, cap)]
    return [(0, 0), (threshold, cap)]


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


MAX_ROUNDS = 30  # passes over the equations per propagation; the search goes on from there
SEARCH_BUDGET = 1000  # search nodes per question; past it a cell is taken as pinned

Equation = tuple[Cell, list[Cell]]


class _OutOfBudget(Exception):
    pass


def _nearest(d: Intervals, v: int) -> int:
    """The value of `d` closest to `v` (the lower one on a tie)."""
    best = d[0][0]
    for lo, hi in d:
        x = min(max(v, lo), hi)
        if abs(x - v) < abs(best - v):
            best = x
    return best


def _contains(d: Intervals, v: int) -> bool:
    return any(lo <= v <= hi for lo, hi in d)


class Reader:
    """What a reader can work out of the hidden cells of one content, asked again and again
    as more is hidden. The true values and the equations stay the same between questions,
    so two things carry over:

    - every other solution found (a *witness*: the cells it changes, with their values).
      Hiding more only widens what the marks allow (a published cell, once hidden, may
      still hold its true value), so a witness whose cells are all hidden with marks that
      allow its values is still a solution, and each cell it changes is still free;
    - the answer for each group of hidden cells connected by equations, keyed by those
      cells and their marks: the rest of the content does not enter into it."""

    def __init__(self, eqs: list[Equation], values: dict[Cell, int], threshold: int):
        self.eqs = eqs
        self.values = values
        self.threshold = threshold
        # No count exceeds the sum of them all: looking for other solutions only below that
        # is stricter than the reader, never looser, and keeps the domains small.
        self.cap = sum(values.values()) + threshold
        self.touching: dict[Cell, list[int]] = {}
        for i, eq in enumerate(eqs):
            for c in _cells(eq):
                self.touching.setdefault(c, []).append(i)
        self.witnesses: dict[Cell, list[dict[Cell, int]]] = {}
        self.answers: dict[tuple, set[Cell]] = {}

    def domain(self, kind: str) -> Intervals:
        return domain(kind, self.threshold, self.cap)

    def components(self, hidden: dict[Cell, str]) -> list[tuple[list[Cell], list[int]]]:
        """The hidden cells grouped by the equations that connect them (in `hidden`'s
        order: the search's choices depend on it), with those equations' indices."""
        parent: dict[Cell, Cell] = {c: c for c in hidden}

        def root(c: Cell) -> Cell:
            while parent[c] != c:
                parent[c] = parent[parent[c]]
                c = parent[c]
            return c

        for eq in self.eqs:
            inside = [c for c in _cells(eq) if c in hidden]
            for c in inside[1:]:
                parent[root(c)] = root(inside[0])
        groups: dict[Cell, list[Cell]] = {}
        for c in hidden:
            groups.setdefault(root(c), []).append(c)
        return [
            (cells, sorted({i for c in cells for i in self.touching.get(c, [])}))
            for cells in groups.values()
        ]

    def pinned(self, hidden: dict[Cell, str], targets: set[Cell] | None = None) -> set[Cell]:
        """Hidden cells (of `targets`, if given) the reader can work out from all the
        equations together. A cell is free when some solution of the whole system, within
        what the marks allow, gives it another value than its own; this is searched exactly
        (propagation, then splitting domains), and a search that runs out of budget counts
        the cell as pinned."""
        found: set[Cell] = set()
        for cells, eq_ids in self.components(hidden):
            asked = cells if targets is None else [c for c in cells if c in targets]
            key = (tuple((c, hidden[c]) for c in cells), tuple(asked))
            if key not in self.answers:
                self.answers[key] = self._pinned_group(cells, eq_ids, hidden, asked)
            found |= self.answers[key]
        return found

    def _pinned_group(
        self, cells: list[Cell], eq_ids: list[int], hidden: dict[Cell, str], asked: list[Cell]
    ) -> set[Cell]:
        doms = {c: self.domain(hidden[c]) for c in cells}
        self._propagate(doms, eq_ids, len(eq_ids))
        found = {c for c, d in doms.items() if _size(d) <= 1}
        for c in sorted(asked):
            if c in found or self._witnessed(c, hidden):
                continue
            v = self.values[c]
            other = _intersect(doms[c], [(-BIG, v - 1), (v + 1, BIG)])
            rank = self._distances(c)
            try:
                sol = self._solution(eq_ids, {**doms, c: other}, c, [SEARCH_BUDGET], rank)
            except _OutOfBudget:
                sol = None
            if sol is None:
                found.add(c)
                continue
            witness = {x: y for x, y in sol.items() if y != self.values[x]}
            for x in witness:
                self.witnesses.setdefault(x, []).append(witness)
        return found

    def _witnessed(self, c: Cell, hidden: dict[Cell, str]) -> bool:
        return any(
            all(x in hidden and _contains(self.domain(hidden[x]), y) for x, y in w.items())
            for w in self.witnesses.get(c, [])
        )

    def _propagate(self, doms: dict[Cell, Intervals], queue: list[int], n_eqs: int) -> bool:
        """Narrow `doms` in place, starting from the equations `queue`, to a fixed point or
        until MAX_ROUNDS passes worth of steps (bounds creeping around a cycle can take
        long); False if a domain empties. Stopping early leaves the domains wider than the
        reader's knowledge, never narrower: the search goes on from there."""
        queue = list(queue)
        queued = set(queue)
        steps = MAX_ROUNDS * max(n_eqs, 1)
        while queue and steps > 0:
            steps -= 1
            i = queue.pop(0)
            queued.discard(i)
            for c, feasible in (_narrow(self.eqs[i], self.values, doms) or {}).items():
                if not feasible:
                    return False
                if feasible != doms[c]:
                    doms[c] = feasible
                    for j in self.touching[c]:
                        if j not in queued:
                            queue.append(j)
                            queued.add(j)
        return True

    def _guess(self, eq_ids: list[int], doms: dict[Cell, Intervals]) -> dict[Cell, int] | None:
        """A solution within `doms` if an easy one is at hand: each cell at the value of its
        domain nearest its own; an equation left unbalanced is made up by a cell of it that
        no other equation holds. Checked before it is returned."""
        guess = {c: _nearest(d, self.values[c]) for c, d in doms.items()}
        full = {**self.values, **guess}
        for i in eq_ids:
            total, members = self.eqs[i]
            gap = full[total] - sum(full[m] for m in members)
            if not gap:
                continue
            for c, change in [(total, -gap)] + [(m, gap) for m in members]:
                if (
                    c in doms
                    and len(self.touching[c]) == 1
                    and _contains(doms[c], full[c] + change)
                ):
                    full[c] = guess[c] = full[c] + change
                    break
        ok = all(
            full[total] == sum(full[m] for m in members)
            for total, members in (self.eqs[i] for i in eq_ids)
        )
        return guess if ok else None

    def _solution(
        self,
        eq_ids: list[int],
        doms: dict[Cell, Intervals],
        changed: Cell,
        budget: list[int],
        rank: dict[Cell, int],
    ) -> dict[Cell, int] | None:
        """Values for the hidden cells within `doms` that satisfy the equations `eq_ids`, or
        None; `doms` was narrowed as far as it goes but for the cell `changed`. Depth
        first, each cell tried first at the value of its domain nearest its own, cells
        nearest the questioned one (`rank`) first: the true values are a solution, and
        another one is most often close to them."""
        budget[0] -= 1
        if budget[0] < 0:
            raise _OutOfBudget
        doms = dict(doms)
        if not self._propagate(doms, self.touching.get(changed, []), len(eq_ids)):
            return None
        guess = self._guess(eq_ids, doms)
        if guess is not None:
            return guess
        open_ = [c for c, d in doms.items() if _size(d) > 1]
        if not open_:
            return None
        pick = min(open_, key=lambda c: (rank[c], _size(doms[c])))
        d, v = doms[pick], self.values[pick]
        near = _nearest(d, v)
        sides = [_intersect(d, [(-BIG, near - 1)]), _intersect(d, [(near + 1, BIG)])]
        sides = sorted((s for s in sides if s), key=lambda s: abs(_nearest(s, v) - v))
        # The branches partition the domain: the search stays exhaustive.
        for branch in [[(near, near)], *sides]:
            found = self._solution(eq_ids, {**doms, pick: branch}, pick, budget, rank)
            if found is not None:
                return found
        return None

    def _distances(self, start: Cell) -> dict[Cell, int]:
        """How many equations away from `start` each cell is: a change to `start` is made
        up for by the cells nearest to it, so the search decides those first."""
        dist = {start: 0}
        frontier = [start]
        while frontier:
            nxt = []
            for c in frontier:
                for i in self.touching.get(c, []):
                    for x in _cells(self.eqs[i]):
                        if x not in dist:
                            dist[x] = dist[c] + 1
                            nxt.append(x)
            frontier = nxt
        return dist


def _cells(eq: Equation) -> list[Cell]:
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


def _next_complement(reader: Reader, hidden: dict[Cell, str], found: set[Cell]) -> Cell | None:
    """The published cell to hide next. An equation that pins a cell on its own comes first;
    else, of the equations holding a pinned cell and then of the others linked to it through
    hidden cells, the first whose choice leaves fewer cells pinned (an equation can hold a
    cell pinned by another, where hiding in it is no help)."""
    eqs, values = reader.eqs, reader.values
    for eq in eqs:
        if pinned_in(eq, values, hidden, reader.threshold):
            choice = _complement_choice(eq, values, hidden)
            if choice is not None:
                return choice
    involved = [eq for eq in eqs if any(c in found for c in _cells(eq))]
    # A cell can also be pinned through a chain of equations (a = b + c, b + c + d = t):
    # then the published cell to hide may sit in another equation of the chain.
    chained = [
        eqs[i]
        for cells, eq_ids in reader.components(hidden)
        if found.intersection(cells)
        for i in eq_ids
        if eqs[i] not in involved
    ]
    choices = [_complement_choice(eq, values, hidden) for eq in involved + chained]
    choices = [c for c in dict.fromkeys(choices) if c is not None]
    for choice in choices:
        if len(reader.pinned(hidden | {choice: COMPLEMENT})) < len(found):
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
    small = [c for c, v in values.items() if 0 < v < threshold]  # a list: order matters
    reader = Reader(eqs, values, threshold)

    # 1. Withholding, decided with every count hidden.
    withheld: dict[Cell, str] = {}
    while True:
        world = {c: PRIMARY if c in small else COMPLEMENT for c in values} | withheld
        targets = {c for c, k in world.items() if k != COMPLEMENT}
        found = reader.pinned(world, targets) & targets
        if not found or not _withhold_one(eqs, world, found):
            break
        withheld = {c: k for c, k in world.items() if k == WITHHELD}

    # 2. and 3. Complementary suppression of the real figures.
    hidden: dict[Cell, str] = dict.fromkeys(small, PRIMARY) | withheld
    while True:
        _hide_ytd(values, hidden)
        found = reader.pinned(hidden)
        if not found:
            break
        choice = _next_complement(reader, hidden, found)
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
