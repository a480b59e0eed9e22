"""Every filter and sort of the case list (pages and API) is served by an index, so that a
page of 100,000 cases, or of a million, is an index walk rather than a scan and a sort of
every case. The plans were checked with EXPLAIN at 100,000 cases (cases/migrations/0003)."""

import pytest
from django.db import connection
from django.db.models import Model, UniqueConstraint

from cases.api.filters import CaseApiFilter
from cases.filters import CaseFilter
from cases.forms import CasePageFilter
from cases.models import Case, CaseCode
from cases.selectors import CASE_SORTS
from tests.conftest import requires_postgres

# Filters that compare no column of the case directly; each has its own test below.
METHOD_FILTERS = {"exploitation_type", "search"}


def index_columns(model: type[Model]) -> list[tuple[str, ...]]:
    """The columns of every index the model declares: its Meta indexes, its unconditional
    unique constraints, and the one-column indexes of its key, unique and indexed fields
    (foreign keys are indexed)."""
    opts = model._meta

    def columns(names) -> tuple[str, ...]:
        return tuple(opts.get_field(name.lstrip("-")).column for name in names)

    found = [columns(index.fields) for index in opts.indexes if index.fields]
    found += [
        columns(constraint.fields)
        for constraint in opts.constraints
        if isinstance(constraint, UniqueConstraint) and constraint.condition is None
    ]
    found += [(f.column,) for f in opts.concrete_fields if f.primary_key or f.unique or f.db_index]
    return found


def served(model: type[Model], *fields: str) -> bool:
    """Whether an index starts with these columns, in this order (a B-tree is read in
    either direction, so `-a, -b` is served by an index on `a, b` too)."""
    wanted = tuple(model._meta.get_field(name).column for name in fields)
    return any(columns[: len(wanted)] == wanted for columns in index_columns(model))


@pytest.mark.parametrize("filterset", [CaseApiFilter, CasePageFilter])
def test_every_column_filter_leads_an_index(filterset):
    for name, spec in filterset.base_filters.items():
        if name in METHOD_FILTERS or name == "ordering":
            continue
        assert spec.method is None, f"{name}: a new method filter needs its own test here"
        assert served(Case, spec.field_name), name


def test_the_method_filters_are_the_ones_tested_here():
    methods = {name for name, spec in CaseApiFilter.base_filters.items() if spec.method}
    assert methods == METHOD_FILTERS


def test_the_exploitation_filter_is_served_by_the_code_index():
    # `with_code`: the case ids WHERE field = ... AND code = ..., from the index alone.
    assert served(CaseCode, "field", "code", "case")


SORTS = [
    *CASE_SORTS.values(),  # the list page's sorts
    Case._meta.ordering,  # the default, of the API and the page
    *[(name,) for name in CaseApiFilter.base_filters["ordering"].param_map],  # ?ordering=
]


@pytest.mark.parametrize("sort", SORTS, ids=lambda sort: ",".join(sort))
def test_every_sort_is_the_order_of_an_index(sort):
    assert len({name.startswith("-") for name in sort}) == 1, "one direction for every column"
    assert served(Case, *(name.lstrip("-") for name in sort))


@requires_postgres
@pytest.mark.django_db
def test_the_search_has_trigram_indexes_on_its_expressions():
    """The search is `icontains`, which PostgreSQL runs as UPPER(col::text) LIKE ...; a
    trigram index on that very expression serves it (else every case is read)."""
    sql = str(CaseFilter({"search": "LP/B"}, queryset=Case.objects.all()).qs.query)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'cases_case'")
        definitions = [row[0] for row in cursor.fetchall()]
    for column in ("register_no", "police_report_no"):
        assert f'UPPER("cases_case"."{column}"::text) LIKE' in sql
        assert any(
            f"gin (upper(({column})::text) gin_trgm_ops)" in definition
            for definition in definitions
        ), column
