"""The API takes its input as the schema states it (found by schemathesis, see
tests/api/test_schema.py): a value of the wrong JSON type, a filter value that is not what
the filter takes, or a timestamp PostgreSQL cannot hold is a 400 naming the field, never
silently converted, ignored or a 500; a well-formed code or id that names no record
matches nothing."""

import pytest

from reports.services import summaries_build
from tests.api.helpers import api_client, case_payload
from tests.factories import make_case
from victims.services import service_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim(unit_bjm):
    return make_case(unit_bjm).victim_links.get().victim


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/victims/", {"is_child": "ya"}, "is_child"),
        ("/api/v1/services/", {"awaiting": "-1"}, "awaiting"),
        ("/api/v1/victims/", {"home_regency": "AB"}, "home_regency"),
        ("/api/v1/services/", {"provider_agency": "x"}, "provider_agency"),
        ("/api/v1/summaries/", {"regency": "AAA"}, "regency"),
        ("/api/v1/summaries/", {"period": "2026-13"}, "period"),
        ("/api/v1/returns/", {"updated_since": "0001-01-01T00:00:00+01:00"}, "updated_since"),
    ],
)
def test_a_malformed_filter_is_a_400_naming_it(unit_bjm, victim, path, params, field):
    response = api_client(unit_bjm).get(path, params)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_boolean_filters_take_true_and_false(unit_bjm, victim):
    client = api_client(unit_bjm)
    assert client.get("/api/v1/victims/", {"is_child": "false"}).json()["count"] == 1
    assert client.get("/api/v1/victims/", {"is_child": "true"}).json()["count"] == 0
    assert client.get("/api/v1/victims/", {"is_child": ""}).json()["count"] == 1


def test_a_code_or_id_that_names_nothing_matches_nothing(unit_bjm, regency_bjm, victim):
    service_create(
        by=unit_bjm,
        victim=victim,
        case=victim.case_links.get().case,
        type="REHAB_SOSIAL",
        provider_agency=regency_bjm.agency,
    )
    client = api_client(unit_bjm)
    assert client.get("/api/v1/victims/", {"home_regency": "9999"}).json()["count"] == 0
    assert client.get("/api/v1/services/", {"provider_agency": 999999}).json()["count"] == 0
    listed = client.get("/api/v1/services/", {"provider_agency": regency_bjm.agency_id})
    assert listed.json()["count"] == 1


def test_a_far_offset_is_taken_in_utc_not_a_server_error(unit_bjm):
    """PostgreSQL takes offsets up to ±15:59 only; Python up to ±23:59."""
    for path in ("/api/v1/returns/", "/api/v1/summaries/"):
        response = api_client(unit_bjm).get(path, {"updated_since": "2026-01-01T00:00:00+23:59"})
        assert response.status_code == 200, (path, response.content)


def test_the_province_summary_is_asked_for_with_an_empty_regency(province, unit_bjm):
    make_case(unit_bjm)
    summaries_build(period="2026-03")
    rows = api_client(province).get("/api/v1/summaries/", {"regency": ""}).json()["results"]
    assert rows and all(row["regency"] is None for row in rows)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", "22"),
        ("age", True),
        ("disability", "yes"),
        ("occupation", 5),
        ("home_regency", 6371),
    ],
)
def test_a_victim_value_of_another_type_is_refused(unit_bjm, field, value):
    payload = case_payload()
    payload["victims"][0][field] = value
    response = api_client(unit_bjm).post("/api/v1/cases/", payload, format="json")
    assert response.status_code == 400, response.content
    assert f"victims.0.{field}" in response.json()["errors"]


def test_an_identity_value_of_another_type_is_refused(unit_bjm):
    payload = case_payload()
    payload["victims"][0]["identity"]["nik"] = 6371015506100001
    response = api_client(unit_bjm).post("/api/v1/cases/", payload, format="json")
    assert response.status_code == 400
    assert "victims.0.identity.nik" in response.json()["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"case": "the case's id as text", "type": "PSIKOLOGIS"}, "case"),
        ({"type": "PSIKOLOGIS", "provider_agency": "1"}, "provider_agency"),
        ({"type": "PSIKOLOGIS", "note": 5}, "note"),
    ],
)
def test_a_service_value_of_another_type_is_refused(unit_bjm, regency_bjm, victim, body, field):
    case_id = victim.case_links.get().case_id
    data = {"case": case_id, "provider_agency": regency_bjm.agency_id, **body}
    if data["case"] == "the case's id as text":
        data["case"] = str(case_id)
    response = api_client(unit_bjm).post(
        f"/api/v1/victims/{victim.code}/services/", data, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


@pytest.mark.parametrize(("body", "field"), [({"note": 5}, "note"), ({"nil": "true"}, "nil")])
def test_a_return_value_of_another_type_is_refused(unit_bjm, body, field):
    response = api_client(unit_bjm).post(
        "/api/v1/returns/", {"period": "2026-02", **body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_returns_take_json_only(unit_bjm):
    response = api_client(unit_bjm).post("/api/v1/returns/", {"period": "2026-02"})
    assert response.status_code == 415
