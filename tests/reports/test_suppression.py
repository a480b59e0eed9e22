"""Disclosure control: no count 1..threshold-1 published, and no hidden cell recoverable
from the published totals and the equations between tables (checked by solving)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import suppression
from reports.figures import summary_figures, table
from reports.models import MonthlySummary, SummaryVersion
from reports.presentation import legend
from reports.services import summaries_build
from reports.suppression import (
    COMPLEMENT,
    PRIMARY,
    WITHHELD_MARK,
    Reader,
    count_cells,
    equations,
    publish,
    suppress,
)
from tests.reports.crafted import MARCH, build
from tests.reports.solver import disclosed


def small_counts(published: dict) -> list:
    t = published["threshold"]
    return [(c, v) for c, v in count_cells(published).items() if isinstance(v, int) and 0 < v < t]


@pytest.mark.django_db
def test_the_crafted_month_discloses_nothing(unit_bjm, outsider):
    build(unit_bjm, outsider)
    summaries_build(period=MARCH)
    published = MonthlySummary.objects.filter(version=SummaryVersion.PUBLISHED)
    assert published.count() == 14
    for summary in published:
        content = summary.content
        assert small_counts(content) == [], summary
        assert disclosed(content) == {}, summary
    province = published.get(regency__isnull=True).content
    sex = next(t for t in province["tables"] if t["key"] == "victims_sex")
    assert sex["rows"] == [["L", "<5"], ["P", "<5"], ["TIDAK_DIKETAHUI", 0]]
    # 4 + 4 = 8 would give both away ("<5" is at most 4): the total goes too, and with it
    # the same 8 wherever it appears (other victim tables, the TIP table).
    assert sex["total"] == ["x"]
    tip = next(t for t in province["tables"] if t["key"] == "tip")
    assert tip["rows"][3] == ["KORBAN_TERIDENTIFIKASI", "x", "x"]  # no YTD differencing
    restitution = next(t for t in province["tables"] if t["key"] == "restitution")
    assert all(row[2] == "x" for row in restitution["rows"])  # one defendant's money


def test_a_lone_small_cell_gets_a_partner():
    # 3 + 10 = 13: hiding the 3 alone gives it away; the 10 must go too.
    content = {"tables": [table("t", [("A", [3]), ("B", [10]), ("C", [0])])], "links": []}
    out = publish(content, 5)
    assert out["tables"][0]["rows"] == [["A", "<5"], ["B", "x"], ["C", 0]]
    assert disclosed(out) == {}


def test_when_partners_cannot_protect_the_total_is_hidden():
    # 1 + 5 = 6 with "<5" meaning 1..4 and "x" meaning 0 or 5+: only 1 + 5 fits, so the
    # total must be hidden as well.
    content = {"tables": [table("t", [("A", [1]), ("B", [5])])], "links": []}
    out = publish(content, 5)
    assert out["tables"][0]["total"] == ["x"]
    assert disclosed(out) == {}


def test_a_hidden_total_is_hidden_wherever_the_same_number_appears():
    content = {
        "tables": [
            table("sex", [("L", [1]), ("P", [5])]),
            table("age", [("A", [6]), ("B", [0])]),
        ],
        "links": [{"total": ["sex", "TOTAL", "JUMLAH"], "members": [["age", "TOTAL", "JUMLAH"]]}],
    }
    out = publish(content, 5)
    assert out["tables"][1]["total"] == ["x"]
    assert disclosed(out) == {}


def test_small_cells_with_a_small_total_withhold_the_total():
    # 1+1+1+1 = 4: four "<5" (each at least 1) with a total "<5" (at most 4) are all 1.
    # Nothing left to hide can help: the total is withheld, and ".." says nothing of it.
    content = {"tables": [table("t", [(f"R{j}", [1]) for j in range(4)])], "links": []}
    out = publish(content, 5)
    assert out["tables"][0]["rows"] == [[f"R{j}", "<5"] for j in range(4)]
    assert out["tables"][0]["total"] == [WITHHELD_MARK]
    assert small_counts(out) == []
    assert disclosed(out) == {}


def test_a_withheld_total_is_withheld_in_linked_tables():
    # The same 4 people by two breakdowns: withholding only one total would let the other
    # ("<5") bound it.
    content = {
        "tables": [
            table("sex", [(f"R{j}", [1]) for j in range(4)]),
            table("age", [("A", [2]), ("B", [2]), ("C", [0])]),
        ],
        "links": [{"total": ["sex", "TOTAL", "JUMLAH"], "members": [["age", "TOTAL", "JUMLAH"]]}],
    }
    out = publish(content, 5)
    assert [t["total"] for t in out["tables"]] == [[WITHHELD_MARK], [WITHHELD_MARK]]
    assert out["tables"][1]["rows"] == [["A", "<5"], ["B", "<5"], ["C", 0]]
    assert disclosed(out) == {}


COMBINED = {
    # child = 0-5 + 6-17 (a link), and the age table adds up to the published 8: so
    # 0-5 + 6-17 = 8 - 5 = 3 = child, and adult = 8 - 3 = 5, though no single equation
    # pins anything.
    "tables": [
        table("child", [("ANAK", [3]), ("DEWASA", [5])]),
        table("age", [("0-5", [1]), ("6-17", [2]), ("18+", [5])]),
    ],
    "links": [
        {"total": ["child", "TOTAL", "JUMLAH"], "members": [["age", "TOTAL", "JUMLAH"]]},
        {
            "total": ["child", "ANAK", "JUMLAH"],
            "members": [["age", "0-5", "JUMLAH"], ["age", "6-17", "JUMLAH"]],
        },
    ],
}


def test_equations_are_combined_not_only_read_one_at_a_time():
    # Bounds alone (0-5 and 6-17 in 1..2, so child in 2..4) miss it.
    out = publish(COMBINED, 5)
    assert small_counts(out) == []
    assert disclosed(out) == {}


def test_a_search_out_of_budget_withholds_more_never_less(monkeypatch):
    # A search that runs out of budget counts its cell as pinned. With no budget at all,
    # every cell that needs a search stays pinned: more is hidden than with a budget, and
    # still nothing can be worked out (taking it as free would publish what it pins).
    with_budget = suppress(COMBINED, 5)
    monkeypatch.setattr(suppression, "SEARCH_BUDGET", 0)
    starved = suppress(COMBINED, 5)
    assert set(with_budget) < set(starved)
    out = publish(COMBINED, 5)
    assert small_counts(out) == []
    assert disclosed(out) == {}


def test_an_earlier_solution_frees_a_cell_only_while_the_cells_it_changes_stay_hidden():
    # a + b = T (a table) and a + b + c = X (a link): with T published, c = X - T = 2,
    # though each equation alone leaves it 1..4. With T hidden too, c is free, by a
    # solution that changes T; once T is published that solution no longer holds.
    content = {
        "tables": [
            table("t", [("a", [3]), ("b", [3])]),
            table("v", [("X", [8]), ("c", [2])], total=False),
        ],
        "links": [
            {
                "total": ["v", "X", "JUMLAH"],
                "members": [["t", "a", "JUMLAH"], ["t", "b", "JUMLAH"], ["v", "c", "JUMLAH"]],
            }
        ],
    }
    a, b, c, t = (
        ("t", "a", "JUMLAH"),
        ("t", "b", "JUMLAH"),
        ("v", "c", "JUMLAH"),
        ("t", "TOTAL", "JUMLAH"),
    )
    reader = Reader(equations(content), count_cells(content), 5)
    small = {a: PRIMARY, b: PRIMARY, c: PRIMARY}
    assert c not in reader.pinned(small | {t: COMPLEMENT})
    assert c in reader.pinned(small)
    assert c in Reader(equations(content), count_cells(content), 5).pinned(small)


def test_the_legend_explains_a_withheld_total():
    content = publish({"tables": [table("t", [("A", [1]), ("B", [1])])], "links": []}, 5)
    summary = MonthlySummary(version=SummaryVersion.PUBLISHED, content=content)
    assert WITHHELD_MARK not in legend(summary)
    content = publish({"tables": [table("t", [(f"R{j}", [1]) for j in range(4)])]}, 5)
    summary = MonthlySummary(version=SummaryVersion.PUBLISHED, content=content)
    assert f'"{WITHHELD_MARK}"' in legend(summary)


tables_strategy = st.lists(
    st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=5),
    min_size=1,
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(tables_strategy)
def test_random_tables_disclose_nothing(columns):
    # Tables of one column each, all of the same population (their totals linked).
    tables = [
        table(f"t{i}", [(f"R{j}", [v]) for j, v in enumerate(values)])
        for i, values in enumerate(columns)
    ]
    totals = {t["total"][0] for t in tables}
    links = []
    if len(totals) == 1:
        links = [
            {"total": ["t0", "TOTAL", "JUMLAH"], "members": [[t["key"], "TOTAL", "JUMLAH"]]}
            for t in tables[1:]
        ]
    out = publish({"tables": tables, "links": links}, 5)
    assert small_counts(out) == []
    assert disclosed(out) == {}


@pytest.mark.django_db
def test_published_content_has_no_small_count_for_an_empty_month():
    content = publish(summary_figures(MARCH, None), 5)
    assert small_counts(content) == []
