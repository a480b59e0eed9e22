"""The permission matrix: every endpoint and method, for every persona, on a record inside
and outside the persona's scope. Outsiders get 404, the analyst (aggregates only) 403 on
every record route, lists included, and no response carries a field the role may not see."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction

from agencies.models import Agency
from tests.api.helpers import api_client, case_payload, keys_in
from tests.factories import make_case
from victims.services import service_create

pytestmark = pytest.mark.django_db

FULL_NAME = "Siti Rahmawati"  # in every identity the factories write
PERPETRATOR = "Pelaku 0"  # the perpetrator's name make_case gives

# Which record each persona may see: "in" is a case of Banjarmasin reported by the
# Banjarmasin unit, "out" one of Tanah Bumbu reported by the Tanah Bumbu unit.
SEES = {
    "unit_bjm": {"in"},
    "regency_bjm": {"in"},
    "outsider": {"out"},
    "analyst": set(),  # aggregates only: published summaries, no record
    "province": {"in", "out"},
    "admin": {"in", "out"},
    "anonymous": set(),
}
WRITES = {"unit_bjm", "regency_bjm", "outsider", "province", "admin"}
IDENTITIES = WRITES


@dataclass
class Record:
    case: object
    victim: object
    perpetrator: object
    service: object


@pytest.fixture
def world(personas):
    def record(by, regency, provider):
        case = make_case(by, regency=regency)
        victim = case.victim_links.get().victim
        service = service_create(
            by=by,
            victim=victim,
            case=case,
            type="REHAB_SOSIAL",
            provider_agency=Agency.objects.get(name=provider),
            referred_on=date(2026, 3, 4),
        )
        return Record(case, victim, case.involvements.get().perpetrator, service)

    return {
        "in": record(personas["unit_bjm"], "6371", "DP3A Kota Banjarmasin"),
        "out": record(personas["outsider"], "6310", "DP3A Kabupaten Tanah Bumbu"),
    }


@dataclass
class Endpoint:
    method: str
    path: callable
    kind: str  # "reference", "list", "read", "write", "submit"
    body: callable = None
    success: int = 200
    key: callable = None  # how a list shows the record


E = Endpoint
ENDPOINTS = {
    "regencies": E("get", lambda r: "/api/v1/regencies/", "reference"),
    "agencies": E("get", lambda r: "/api/v1/agencies/", "reference"),
    "cases-list": E("get", lambda r: "/api/v1/cases/", "list", key=lambda r: r.case.pk),
    "cases-create": E(
        "post",
        lambda r: "/api/v1/cases/",
        "submit",
        body=lambda r: case_payload(regency=r.case.regency_id),
        success=201,
    ),
    "case-detail": E("get", lambda r: f"/api/v1/cases/{r.case.pk}/", "read"),
    "case-patch": E(
        "patch",
        lambda r: f"/api/v1/cases/{r.case.pk}/",
        "write",
        body=lambda r: {"version": 1, "status": "TINDAK_LANJUT"},
    ),
    "case-stages": E(
        "post",
        lambda r: f"/api/v1/cases/{r.case.pk}/stages/",
        "write",
        body=lambda r: {"stage": "LAPORAN_POLISI", "occurred_on": "2026-03-03"},
        success=201,
    ),
    "victims-list": E("get", lambda r: "/api/v1/victims/", "list", key=lambda r: r.victim.code),
    "victim-detail": E("get", lambda r: f"/api/v1/victims/{r.victim.code}/", "read"),
    "victim-services": E("get", lambda r: f"/api/v1/victims/{r.victim.code}/services/", "read"),
    "victim-services-create": E(
        "post",
        lambda r: f"/api/v1/victims/{r.victim.code}/services/",
        "write",
        body=lambda r: {
            "case": r.case.pk,
            "type": "PSIKOLOGIS",
            "provider_agency": Agency.objects.get(name="UPTD PPA Provinsi Kalimantan Selatan").pk,
        },
        success=201,
    ),
    "services-list": E("get", lambda r: "/api/v1/services/", "list", key=lambda r: r.service.pk),
    "service-detail": E("get", lambda r: f"/api/v1/services/{r.service.pk}/", "read"),
    # Cancelling: the referrer, the provider and the province may; see test_victims for
    # the answers only the provider may give.
    "service-transition": E(
        "post",
        lambda r: f"/api/v1/services/{r.service.pk}/transition/",
        "write",
        body=lambda r: {"status": "DIBATALKAN", "reason": "Korban pindah domisili."},
    ),
    "perpetrators-list": E(
        "get", lambda r: "/api/v1/perpetrators/", "list", key=lambda r: r.perpetrator.pk
    ),
    "perpetrator-detail": E("get", lambda r: f"/api/v1/perpetrators/{r.perpetrator.pk}/", "read"),
}


def expected_status(endpoint: Endpoint, persona: str, where: str) -> int:
    if persona == "anonymous":
        return 401
    visible = where in SEES[persona]
    if persona == "analyst" and endpoint.kind != "reference":
        return 403  # every record route, lists and counts included, before any lookup
    if endpoint.kind in ("reference", "list"):
        return 200
    if endpoint.kind == "read":
        return 200 if visible else 404
    if endpoint.kind == "submit":  # no record yet: the regency decides
        if persona not in WRITES:
            return 403
        return 403 if persona == "regency_bjm" and where == "out" else endpoint.success
    return endpoint.success if visible else 404


def row_keys(body, endpoint: Endpoint, record) -> list:
    rows = body["results"]
    field = "code" if isinstance(endpoint.key(record), str) else "id"
    return [row[field] for row in rows]


def check(name: str, persona: str, where: str, personas, world) -> list[str]:
    """One request; the problems found, if any."""
    endpoint = ENDPOINTS[name]
    record = world[where]
    client = api_client(personas.get(persona))
    body = endpoint.body(record) if endpoint.body else None
    response = getattr(client, endpoint.method)(endpoint.path(record), body, format="json")

    expected = expected_status(endpoint, persona, where)
    if response.status_code != expected:
        return [f"status {response.status_code}, expected {expected}: {response.content[:200]}"]
    problems = []
    data = response.json()
    text = response.content.decode()

    if endpoint.kind == "list" and expected == 200:
        listed = endpoint.key(record) in row_keys(data, endpoint, record)
        if listed != (where in SEES[persona]):
            problems.append(f"listed={listed}")

    # No field a role may not see.
    keys = keys_in(data)
    shows_identity = name == "victim-detail" and expected == 200 and persona in IDENTITIES
    if shows_identity:
        if (data.get("identity") or {}).get("full_name") != FULL_NAME:
            problems.append("identity missing")
    elif "identity" in keys or FULL_NAME in text:
        problems.append("identity shown")
    if persona == "analyst" and endpoint.kind != "reference":
        if "name" in keys or PERPETRATOR in text:
            problems.append("perpetrator name shown to an analyst")
        if "simfoni_id" in keys and not name.startswith("case"):
            problems.append("victim's SIMFONI id shown to an analyst")
    return problems


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_permission_matrix(name, personas, world):
    """Every persona, on the record inside and the record outside its scope. Each request
    runs in a savepoint rolled back afterwards, so every persona meets the same state."""
    failures = {}
    for persona in SEES:
        for where in ("in", "out"):
            with transaction.atomic():
                problems = check(name, persona, where, personas, world)
                transaction.set_rollback(True)
            if problems:
                failures[f"{persona}/{where}"] = problems
    assert failures == {}
