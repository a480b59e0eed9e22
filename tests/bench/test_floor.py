"""The benchmark's SQL floor answers the same JSON as the API's case list."""

import json
from datetime import datetime

import pytest
from rest_framework.test import APIRequestFactory, force_authenticate

from scripts.bench.floor import case_list_floor
from tests.conftest import client_for, requires_postgres
from tests.factories import make_case, victim_data

pytestmark = [requires_postgres, pytest.mark.django_db]

TIMESTAMPS = {"created_at", "updated_at", "recorded_at"}


def normalise(value):
    """Timestamps compared as instants (the API writes WITA, PostgreSQL UTC)."""
    if isinstance(value, dict):
        return {
            k: datetime.fromisoformat(v) if k in TIMESTAMPS and v else normalise(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def test_floor_and_api_give_the_same_page(province, unit_bjm, outsider):
    from cases.services import case_record_stage

    for _ in range(3):
        case = make_case(
            unit_bjm,
            victims=[victim_data(), victim_data(age_at_identification=15, age_at_exploitation=15)],
        )
        case_record_stage(
            by=unit_bjm, case=case, stage="LAPORAN_POLISI", occurred_on=case.reported_on
        )
    make_case(outsider, regency="6310", transnational=True, destination_country="MYS")
    api = client_for(province).get("/api/v1/cases/", {"page_size": 2})
    assert api.status_code == 200
    request = APIRequestFactory().get("/api/v1/_floor/cases/", {"page_size": 2})
    force_authenticate(request, user=province)
    floor = json.loads(case_list_floor(request).content)
    expected = api.json()
    assert floor["count"] == expected["count"] == 4
    assert normalise(floor["results"]) == normalise(expected["results"])
    assert (floor["next"] is None) == (expected["next"] is None)
