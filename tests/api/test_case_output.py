"""A case's JSON, pinned: key order, value formats, nesting, and what each role is shown.

The list and the detail are built from plain rows with the serializer's fields
(`CaseSerializer`, `RowFields`); this is the contract they keep (docs/api.md)."""

from datetime import UTC, date, datetime

import pytest

from agencies.models import Agency, Regency
from cases.models import Case, Involvement, StageEvent
from cases.services import case_record_stage
from tests.api.helpers import api_client
from tests.factories import make_case, perpetrator_data, victim_data
from victims.services import service_create

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 5, 1, 2, 3, 456789, tzinfo=UTC)
AT_WITA = "2026-03-05T09:02:03.456789+08:00"  # timestamps are given in the server's zone


@pytest.fixture
def case(unit_bjm):
    case = make_case(
        unit_bjm,
        police_report_no="LP/B/7/III/2026",
        exploitation_types=["SEKS_PROSTITUSI", "KERJA_PAKSA"],
        recruitment_modus=["PMI_NONPROSEDURAL"],
        transnational=True,
        destination_country="mys",
        journey=[
            {
                "kind": "EKSPLOITASI",
                "country": "MYS",
                "place": "Kuching",
                "occurred_on": date(2026, 2, 1),
            },
            {
                "kind": "REKRUTMEN",
                "regency": Regency.objects.get(pk="6371"),
                "occurred_on": date(2026, 1, 12),
            },
        ],
        victims=[
            victim_data(simfoni_id="SIM-1", home_regency=Regency.objects.get(pk="6310")),
            victim_data(
                sex="L", age_at_identification=16, age_at_exploitation=15, status="TERIDENTIFIKASI"
            ),
        ],
        perpetrators=[
            perpetrator_data(name="Budi", roles=["PENAMPUNG", "PEREKRUT"]),
            perpetrator_data(name="PT Maju", kind="KORPORASI", sex="", nationality="MYS", roles=[]),
        ],
    )
    case_record_stage(by=unit_bjm, case=case, stage="LAPORAN_POLISI", occurred_on=date(2026, 3, 3))
    victim = case.victim_links.order_by("id").first().victim
    provider = Agency.objects.get(name="DP3A Kota Banjarmasin")
    service_create(
        by=unit_bjm, victim=victim, case=case, type="PSIKOLOGIS", provider_agency=provider
    )
    Involvement.objects.filter(case=case, perpetrator__name="Budi").update(fine=5_000_000)
    Case.objects.filter(pk=case.pk).update(created_at=AT, updated_at=AT)
    StageEvent.objects.filter(case=case).update(recorded_at=AT)
    return Case.objects.get(pk=case.pk)


def expected(case: Case, identities: bool) -> dict:
    events = list(case.stage_events.order_by("occurred_on", "id"))
    budi, pt = (i.perpetrator for i in case.involvements.order_by("id"))
    victims = [link.victim for link in case.victim_links.order_by("id")]

    def victim(v, sex, age, age_at_exploitation, is_child, home_regency, simfoni_id):
        data = {
            "code": v.code,
            "sex": sex,
            "age": age,
            "age_at_exploitation": age_at_exploitation,
            "is_child": is_child,
            "nationality": "IDN",
            "home_regency": home_regency,
            "education": "TIDAK_DIKETAHUI",
            "occupation": "",
            "disability": None,
            "status": "TERIDENTIFIKASI",
            "identified_on": None,
            "simfoni_id": simfoni_id,
            # The link's own: not found already on record by NIK, so nothing differed.
            "matched_existing": False,
            "differences": {},
        }
        if not identities:
            del data["simfoni_id"]
        return data

    def perpetrator(p, kind, name, sex, nationality, roles, fine):
        data = {
            "perpetrator": p.pk,
            "kind": kind,
            "name": name,
            "sex": sex,
            "nationality": nationality,
            "roles": roles,
            "legal_status": "TERSANGKA",
            "verdict": "",
            "verdict_on": None,
            "sentence_months": None,
            "fine": fine,
            "articles": "",
            "restitution_requested": None,
            "restitution_awarded": None,
            "restitution_paid": None,
        }
        if not identities:
            del data["name"]
        return data

    return {
        "id": case.pk,
        "register_no": case.register_no,
        "external_ref": case.external_ref,
        "regency": "6371",
        "reporting_agency": case.reporting_agency_id,
        # A referral no longer makes its provider a handler of the case (the access rule).
        "handling_agencies": [],
        "police_report_no": "LP/B/7/III/2026",
        "reported_on": "2026-03-02",
        "occurred_from": "2026-01-11",
        "occurred_to": "2026-02-20",
        "summary": "Korban direkrut untuk bekerja di tempat karaoke.",
        "exploitation_types": ["KERJA_PAKSA", "SEKS_PROSTITUSI"],
        "recruitment_modus": ["PMI_NONPROSEDURAL"],
        "recruitment_channels": [],
        "means_of_control": ["JERATAN_UTANG"],
        "labour_sector": "",
        "recruiter_relation": "",
        "transnational": True,
        "destination_country": "MYS",
        "complicity": None,
        "stage": "LAPORAN_POLISI",
        "status": "AKTIF",
        "simfoni_id": "",
        "version": case.version,
        "created_at": AT_WITA,
        "updated_at": AT_WITA,
        "journey": [
            {
                "kind": "REKRUTMEN",
                "regency": "6371",
                "country": "IDN",
                "place": "",
                "occurred_on": "2026-01-12",
            },
            {
                "kind": "EKSPLOITASI",
                "regency": None,
                "country": "MYS",
                "place": "Kuching",
                "occurred_on": "2026-02-01",
            },
        ],
        "stage_events": [
            {
                "id": event.pk,
                "stage": event.stage,
                "occurred_on": event.occurred_on.isoformat(),
                "document_no": event.document_no,
                "note": "",
                "reason": "",
                "recorded_at": AT_WITA,
            }
            for event in events
        ],
        "victims": [
            victim(victims[0], "P", 22, 21, False, "6310", "SIM-1"),
            victim(victims[1], "L", 16, 15, True, None, ""),
        ],
        "perpetrators": [
            perpetrator(budi, "ORANG", "Budi", "L", "IDN", ["PENAMPUNG", "PEREKRUT"], 5_000_000),
            perpetrator(pt, "KORPORASI", "PT Maju", "TIDAK_DIKETAHUI", "MYS", [], None),
        ],
    }


@pytest.mark.parametrize(
    ("persona", "identities"),
    [("unit_bjm", True), ("province", True), ("regency_bjm", True)],
)
def test_list_and_detail_give_the_case_as_the_contract_says(request, case, persona, identities):
    client = api_client(request.getfixturevalue(persona))
    want = expected(case, identities)
    listed = client.get("/api/v1/cases/").json()["results"]
    assert [list(item) for item in listed] == [list(want)]  # the keys, in order
    assert listed == [want]
    detail = client.get(f"/api/v1/cases/{case.pk}/")
    assert detail.json() == want
    assert list(detail.json()["victims"][0]) == list(want["victims"][0])
    assert list(detail.json()["perpetrators"][0]) == list(want["perpetrators"][0])
    assert detail["ETag"] == f'"{case.version}"'


def test_the_analyst_gets_no_case_and_no_count(case, analyst):
    client = api_client(analyst)
    for path in ("/api/v1/cases/", f"/api/v1/cases/{case.pk}/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "count" not in response.json() and case.register_no not in response.text


def test_a_case_without_relations_has_empty_lists_and_nulls(unit_bjm):
    case = make_case(unit_bjm, victims=0, perpetrators=0, destination_country="")
    body = api_client(unit_bjm).get(f"/api/v1/cases/{case.pk}/").json()
    assert body["destination_country"] is None
    assert body["handling_agencies"] == body["journey"] == body["victims"] == []
    assert body["perpetrators"] == [] and len(body["stage_events"]) == 1
