"""Query budgets: every list costs the same number of queries for 2 rows as for 20."""

from datetime import date

import pytest

from agencies.models import Agency
from tests.api.helpers import api_client
from tests.factories import make_case, victim_data
from victims.services import service_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def twenty(unit_bjm):
    """Twenty cases, each with a victim, a perpetrator and a referral; all on one victim's
    name too (the same NIK), so that one victim has twenty services."""
    provider = Agency.objects.get(name="DP3A Kota Banjarmasin")
    shared = victim_data()["identity"]["nik"]
    for _ in range(20):
        case = make_case(unit_bjm, victims=[victim_data(identity={"nik": shared}), victim_data()])
        victim = case.victim_links.order_by("id").first().victim
        service_create(
            by=unit_bjm,
            victim=victim,
            case=case,
            type="PSIKOLOGIS",
            provider_agency=provider,
            referred_on=date(2026, 3, 5),
        )
    return victim


def rows(client, path: str, page_size: int, budget: int, assert_num_queries) -> int:
    with assert_num_queries(budget):
        response = client.get(path, {"page_size": page_size})
    assert response.status_code == 200, response.content
    return len(response.json()["results"])


# Every request starts with the token lookup: 1 query (token joined to its user).
BUDGETS = {
    # count, page
    "/api/v1/regencies/": 1 + 2,
    # count, page
    "/api/v1/agencies/": 1 + 2,
    # count, page of cases, then one query each for: code lists, handling agencies,
    # journey, stage timeline, victims (links joined to victims), perpetrators' roles,
    # perpetrators (involvements joined to perpetrators)
    "/api/v1/cases/": 1 + 2 + 7,
    # count, page of victims, their links to visible cases
    "/api/v1/victims/": 1 + 2 + 1,
    # count, page of services joined to their victims
    "/api/v1/services/": 1 + 2,
    # count, page of perpetrators, their visible involvements, the roles in those
    "/api/v1/perpetrators/": 1 + 2 + 2,
}


@pytest.mark.parametrize("path", list(BUDGETS))
def test_list_queries_do_not_grow_with_rows(path, unit_bjm, twenty, django_assert_num_queries):
    client = api_client(unit_bjm)
    client.get(path)  # creates the token
    assert rows(client, path, 2, BUDGETS[path], django_assert_num_queries) == 2
    assert rows(client, path, 20, BUDGETS[path], django_assert_num_queries) >= 13


def test_victim_services_queries_do_not_grow_with_rows(unit_bjm, twenty, django_assert_num_queries):
    path = f"/api/v1/victims/{twenty.code}/services/"
    client = api_client(unit_bjm)
    client.get(path)
    # token; the victim (scoped); count; page of services joined to their victim
    budget = 1 + 1 + 2
    assert rows(client, path, 2, budget, django_assert_num_queries) == 2
    assert rows(client, path, 20, budget, django_assert_num_queries) == 20


def test_case_detail_queries_do_not_grow_with_relations(unit_bjm, django_assert_num_queries):
    small = make_case(unit_bjm)
    large = make_case(unit_bjm, victims=[victim_data() for _ in range(6)], perpetrators=5)
    client = api_client(unit_bjm)
    client.get(f"/api/v1/cases/{small.pk}/")
    for case in (small, large):
        # token; the case (scoped); its code lists, handling agencies, journey, stage
        # timeline, victims, perpetrators' roles, perpetrators
        with django_assert_num_queries(1 + 1 + 7):
            response = client.get(f"/api/v1/cases/{case.pk}/")
        assert response.status_code == 200
    assert len(response.json()["victims"]) == 6
