"""The reporting lists filter through FilterSets like every other list (no hand parsing):
a bad period or regency is a 400 naming the parameter, `updated_since` is the shared one,
and an empty `regency` asks for the province."""

import pytest

from reports.filters import MonthlySummaryFilter, UnitReturnFilter
from reports.services import summaries_build, unit_return_file
from tests.api.helpers import api_client
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/returns/", "/api/v1/summaries/"])
@pytest.mark.parametrize("value", ["2026-13", "maret", "1999-12"])
def test_a_bad_period_is_a_400_naming_it(province, path, value):
    response = api_client(province).get(path, {"period": value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["period"]


def test_returns_and_summaries_filter_by_period(province, unit_bjm):
    make_case(unit_bjm)
    unit_return_file(by=unit_bjm, period="2026-03")
    unit_return_file(by=unit_bjm, period="2026-04", nil=True)
    summaries_build(period="2026-03")
    client = api_client(province)
    returns = client.get("/api/v1/returns/", {"period": "2026-04"}).json()["results"]
    assert [r["period"] for r in returns] == ["2026-04"]
    summaries = client.get("/api/v1/summaries/", {"period": "2026-03", "regency": "6371"}).json()
    assert {(r["period"], r["regency"]) for r in summaries["results"]} == {("2026-03", "6371")}
    assert client.get("/api/v1/summaries/", {"regency": "63"}).status_code == 400


def test_the_filters_are_filtersets_with_the_shared_updated_since():
    from core.api.base import UpdatedSinceFilter

    for filterset in (UnitReturnFilter, MonthlySummaryFilter):
        assert isinstance(filterset.base_filters["updated_since"], UpdatedSinceFilter)
