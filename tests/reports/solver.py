"""An attacker's solver for published summaries, independent of reports.suppression.

Given a published content, it reads what the reader sees (numbers, "<t" for 1..t-1, "x" for
0 or at least t, ".." for a withheld count: any value), sets up every published equation
(table totals and the links between tables), and asks, for each hidden cell, which values
some complete solution of the whole system allows. A cell is disclosed when only one value remains."""

from __future__ import annotations

from reports.suppression import count_cells, equations

BOUND = 120  # no crafted count comes near; a smaller bound only makes the check stricter


def _domain(mark, threshold: int) -> set[int]:
    if mark == f"<{threshold}":
        return set(range(1, threshold))
    if mark == "x":
        return {0} | set(range(threshold, BOUND + 1))
    if mark == "..":
        return set(range(BOUND + 1))
    raise AssertionError(f"not a hidden mark: {mark!r}")


class System:
    def __init__(self, published: dict):
        self.t = published["threshold"]
        cells = count_cells(published)
        self.known = {c: v for c, v in cells.items() if isinstance(v, int)}
        self.hidden = {c: _domain(v, self.t) for c, v in cells.items() if not isinstance(v, int)}
        self.eqs = [
            [(total, -1)] + [(m, 1) for m in members]
            for total, members in equations(published)
            if total in cells and all(m in cells for m in members)
        ]
        self.eqs = [eq for eq in self.eqs if any(c in self.hidden for c, _s in eq)]

    def _propagate(self, doms: dict) -> bool:
        changed = True
        while changed:
            changed = False
            for eq in self.eqs:
                const = sum(s * self.known[c] for c, s in eq if c not in doms)
                unknown = [(c, s) for c, s in eq if c in doms]
                for c, s in unknown:
                    others = {0}
                    for o, so in unknown:
                        if o != c:
                            others = {a + so * b for a in others for b in doms[o]}
                    # Keep the values x for which s times x, plus the others and the constant, is 0.
                    keep = {x for x in doms[c] if -(s * x + const) in others}
                    if not keep:
                        return False
                    if keep != doms[c]:
                        doms[c] = keep
                        changed = True
        return True

    def _solvable(self, doms: dict) -> bool:
        doms = {c: set(v) for c, v in doms.items()}
        if not self._propagate(doms):
            return False
        open_ = [c for c, v in doms.items() if len(v) > 1]
        if not open_:
            return True
        pick = min(open_, key=lambda c: len(doms[c]))
        return any(self._solvable({**doms, pick: {value}}) for value in sorted(doms[pick]))

    def disclosed(self) -> dict:
        """Hidden cells with exactly one feasible value, and that value."""
        base = {c: set(v) for c, v in self.hidden.items()}
        assert self._propagate(base), "the published figures contradict each other"
        found = {}
        for cell, values in base.items():
            feasible = []
            for value in sorted(values):
                if self._solvable({**base, cell: {value}}):
                    feasible.append(value)
                    if len(feasible) > 1:
                        break
            if len(feasible) == 1:
                found[cell] = feasible[0]
        return found


def disclosed(published: dict) -> dict:
    return System(published).disclosed()
