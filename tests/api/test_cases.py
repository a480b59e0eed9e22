from datetime import date

import pytest

from cases.models import Case, StageEvent
from core.models import Counter
from tests.api.helpers import api_client, case_payload, keys_in, victim_payload
from tests.factories import make_case
from victims.models import Victim, VictimIdentity

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def detail(case_id) -> str:
    return f"{CASES}{case_id}/"


# --- Submission ----------------------------------------------------------------------------


def test_submission_creates_the_case_with_victims_and_perpetrators(unit_bjm):
    response = api_client(unit_bjm).post(CASES, case_payload(n_victims=2), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert body["register_no"] == case.register_no == "TPPO-6371-2026-0001"
    assert body["reporting_agency"] == unit_bjm.agency_id  # from the token, not the body
    assert body["version"] == 1
    assert body["stage"] == "PENGADUAN"
    assert body["exploitation_types"] == ["SEKS_PROSTITUSI"]
    assert [v["age"] for v in body["victims"]] == [22, 22]
    assert body["perpetrators"][0]["name"] == "Budi Santoso"
    assert body["perpetrators"][0]["roles"] == ["PEREKRUT"]
    assert response["ETag"] == '"1"'
    assert case.victim_links.count() == 2
    assert VictimIdentity.objects.count() == 2


def test_identity_is_write_only_on_submission(unit_bjm):
    response = api_client(unit_bjm).post(CASES, case_payload(), format="json")
    assert response.status_code == 201
    assert "identity" not in keys_in(response.json())
    assert "Siti Rahmawati" not in response.content.decode()
    case_id = response.json()["id"]
    again = api_client(unit_bjm).get(detail(case_id))
    assert "identity" not in keys_in(again.json())


def test_a_body_cannot_choose_the_reporting_agency(unit_bjm, outsider):
    payload = case_payload(reporting_agency=outsider.agency_id)
    response = api_client(unit_bjm).post(CASES, payload, format="json")
    assert response.status_code == 201
    assert response.json()["reporting_agency"] == unit_bjm.agency_id


def test_a_retry_returns_the_case_already_created(unit_bjm):
    client = api_client(unit_bjm)
    payload = case_payload()
    first = client.post(CASES, payload, format="json")
    retry = client.post(CASES, payload, format="json")

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1
    assert Victim.objects.count() == 1


def test_the_same_reference_with_another_payload_conflicts(unit_bjm):
    client = api_client(unit_bjm)
    payload = case_payload()
    first = client.post(CASES, payload, format="json")
    changed = dict(payload, summary="Isi lain untuk nomor rujukan yang sama.")
    response = client.post(CASES, changed, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "submission_conflict"
    assert response.json()["case_id"] == first.json()["id"]
    assert Case.objects.count() == 1


def test_another_agency_may_use_the_same_reference(unit_bjm, outsider):
    payload = case_payload()
    assert api_client(unit_bjm).post(CASES, payload, format="json").status_code == 201
    other = dict(payload, victims=[victim_payload()])
    assert api_client(outsider).post(CASES, other, format="json").status_code == 201
    assert Case.objects.count() == 2


def _nothing_was_written():
    assert Case.objects.count() == 0
    assert Victim.objects.count() == 0
    assert VictimIdentity.objects.count() == 0
    assert StageEvent.objects.count() == 0
    # The counters of register numbers and victim codes moved on for nothing: no gap.
    assert not Counter.objects.filter(last__gt=0).exists()


def test_an_invalid_third_victim_leaves_nothing_behind(unit_bjm):
    payload = case_payload(n_victims=3)
    payload["victims"][2]["identity"]["nik"] = "12345"  # not 16 digits
    response = api_client(unit_bjm).post(CASES, payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["victims.2.identity.nik"]
    assert "12345" not in response.content.decode()  # the bad value is not echoed
    _nothing_was_written()


def test_a_third_victim_refused_by_the_service_rolls_back_the_first_two(unit_bjm):
    # Ages that contradict each other are found by the model's rule, after the case and
    # the first two victims were written: the whole submission is undone.
    payload = case_payload(n_victims=3)
    payload["victims"][2].update(age=20, age_at_exploitation=30)
    client = api_client(unit_bjm)
    response = client.post(CASES, payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["victims.2.age_at_exploitation"]
    _nothing_was_written()

    fixed = client.post(CASES, case_payload(n_victims=3), format="json")
    assert fixed.status_code == 201
    assert fixed.json()["register_no"] == "TPPO-6371-2026-0001"
    assert sorted(Victim.objects.values_list("code", flat=True))[0].endswith("-00001")


def test_an_adult_identified_without_means_is_refused_with_the_field_named(unit_bjm):
    payload = case_payload(means_of_control=[])
    response = api_client(unit_bjm).post(CASES, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["victims.0.status"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("regency", "9999"),
        ("reported_on", "2026-13-45"),
        ("exploitation_types", ["NOT_A_CODE"]),
        ("destination_country", "Malaysia"),
        ("stage", "P21"),
        ("victims", "not a list"),
    ],
)
def test_bad_fields_are_named(unit_bjm, field, value):
    response = api_client(unit_bjm).post(CASES, case_payload(**{field: value}), format="json")
    assert response.status_code == 400
    assert any(key.split(".")[0] == field for key in response.json()["errors"])
    assert Case.objects.count() == 0


def test_a_future_report_date_is_refused_by_the_service(unit_bjm):
    response = api_client(unit_bjm).post(
        CASES, case_payload(reported_on="2999-01-01"), format="json"
    )
    assert response.status_code == 400
    assert "reported_on" in response.json()["errors"]


def test_a_regency_officer_may_not_report_in_another_regency(regency_bjm):
    response = api_client(regency_bjm).post(CASES, case_payload(regency="6310"), format="json")
    assert response.status_code == 403
    assert Case.objects.count() == 0


# --- Updates -------------------------------------------------------------------------------


def test_patch_with_the_current_version_changes_the_case(unit_bjm):
    case = make_case(unit_bjm)
    response = api_client(unit_bjm).patch(
        detail(case.pk),
        {"version": 1, "status": "TINDAK_LANJUT", "recruitment_channels": ["MICHAT"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response.json()["recruitment_channels"] == ["MICHAT"]
    assert response["ETag"] == '"2"'
    case.refresh_from_db()
    assert (case.status, case.version) == ("TINDAK_LANJUT", 2)


def test_patch_without_a_version_is_refused(unit_bjm):
    case = make_case(unit_bjm)
    response = api_client(unit_bjm).patch(detail(case.pk), {"status": "DITUTUP"}, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    case.refresh_from_db()
    assert case.status == "AKTIF"


def test_a_stale_version_is_409_with_the_current_one_and_changes_nothing(unit_bjm):
    case = make_case(unit_bjm)
    client = api_client(unit_bjm)
    assert (
        client.patch(detail(case.pk), {"version": 1, "summary": "A"}, format="json").status_code
        == 200
    )

    response = client.patch(detail(case.pk), {"version": 1, "summary": "B"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert response.json()["current_version"] == 2
    case.refresh_from_db()
    assert (case.summary, case.version) == ("A", 2)


def test_if_match_works_and_a_stale_one_is_412(unit_bjm):
    case = make_case(unit_bjm)
    client = api_client(unit_bjm)
    etag = client.get(detail(case.pk))["ETag"]
    ok = client.patch(detail(case.pk), {"summary": "A"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    stale = client.patch(detail(case.pk), {"summary": "B"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    case.refresh_from_db()
    assert case.summary == "A"


def test_two_updates_from_the_same_version_one_wins(unit_bjm, regency_bjm):
    case = make_case(unit_bjm)
    first = api_client(unit_bjm).patch(
        detail(case.pk), {"version": 1, "police_report_no": "LP/1"}, format="json"
    )
    second = api_client(regency_bjm).patch(
        detail(case.pk), {"version": 1, "police_report_no": "LP/2"}, format="json"
    )
    assert (first.status_code, second.status_code) == (200, 409)
    case.refresh_from_db()
    assert (case.police_report_no, case.version) == ("LP/1", 2)


def test_patch_refuses_fields_changed_elsewhere(unit_bjm):
    case = make_case(unit_bjm)
    response = api_client(unit_bjm).patch(
        detail(case.pk), {"version": 1, "stage": "P21"}, format="json"
    )
    assert response.status_code == 400
    assert "stages" in response.json()["errors"]["stage"][0]
    case.refresh_from_db()
    assert (case.stage, case.version) == ("PENGADUAN", 1)


def test_patch_to_a_reference_used_by_another_case_is_400(unit_bjm):
    make_case(unit_bjm, external_ref="A-1")
    case = make_case(unit_bjm, external_ref="A-2")
    response = api_client(unit_bjm).patch(
        detail(case.pk), {"version": 1, "external_ref": "A-1"}, format="json"
    )
    assert response.status_code == 400
    assert "external_ref" in response.json()["errors"]


# --- Stages --------------------------------------------------------------------------------


def test_recording_a_stage_appends_to_the_timeline(unit_bjm):
    case = make_case(unit_bjm)
    response = api_client(unit_bjm).post(
        f"{detail(case.pk)}stages/",
        {"stage": "LAPORAN_POLISI", "occurred_on": "2026-03-03", "document_no": "LP/9"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["case_version"] == 2
    case.refresh_from_db()
    assert case.stage == "LAPORAN_POLISI"
    assert list(case.stage_events.values_list("stage", flat=True)) == [
        "PENGADUAN",
        "LAPORAN_POLISI",
    ]


def test_an_impossible_stage_names_the_allowed_ones(unit_bjm):
    case = make_case(unit_bjm)
    response = api_client(unit_bjm).post(
        f"{detail(case.pk)}stages/",
        {"stage": "PUTUSAN", "occurred_on": "2026-03-03"},
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["errors"]["stage"][0]
    assert "LAPORAN_POLISI" in message and "PENYELIDIKAN" in message
    case.refresh_from_db()
    assert (case.stage, case.version) == ("PENGADUAN", 1)


# --- Listing and sync ----------------------------------------------------------------------


def test_updated_since_returns_only_what_changed(unit_bjm):
    old = make_case(unit_bjm)
    new = make_case(unit_bjm)
    Case.objects.filter(pk=old.pk).update(updated_at="2026-01-01T00:00:00+08:00")
    client = api_client(unit_bjm)
    response = client.get(CASES, {"updated_since": "2026-02-01T00:00:00+08:00"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [new.pk]
    assert response.json()["count"] == 1


def test_perpetrators_updated_since_ignores_changes_in_cases_the_caller_cannot_see(
    unit_bjm, outsider
):
    """Item 10: a perpetrator of a Banjarmasin case is also in a Tanah Bumbu case; a change
    of the Tanah Bumbu involvement must not show up in Banjarmasin's sync (it would tell the
    unit that the perpetrator is active elsewhere)."""
    from cases.models import Involvement, Perpetrator
    from cases.services import involvement_create, involvement_update

    bjm = make_case(unit_bjm)
    person = bjm.involvements.get().perpetrator
    tanbu = make_case(outsider, regency="6310", perpetrators=0)
    elsewhere = involvement_create(by=outsider, case=tanbu, perpetrator=person)
    old = "2026-01-01T00:00:00+08:00"
    Perpetrator.objects.update(updated_at=old)
    Involvement.objects.update(updated_at=old)
    since = {"updated_since": "2026-02-01T00:00:00+08:00"}
    involvement_update(
        by=outsider, involvement=elsewhere, version=elsewhere.version, legal_status="TERDAKWA"
    )
    mine = api_client(unit_bjm).get("/api/v1/perpetrators/", since).json()
    assert mine["count"] == 0 and mine["results"] == []
    theirs = api_client(outsider).get("/api/v1/perpetrators/", since).json()
    assert [row["id"] for row in theirs["results"]] == [person.pk]
    # A change in the caller's own case still shows.
    involvement_update(
        by=unit_bjm,
        involvement=bjm.involvements.get(),
        version=bjm.involvements.get().version,
        legal_status="TERDAKWA",
    )
    mine = api_client(unit_bjm).get("/api/v1/perpetrators/", since).json()
    assert [row["id"] for row in mine["results"]] == [person.pk]


def test_filters_by_external_ref(unit_bjm):
    case = make_case(unit_bjm, external_ref="SIM-42")
    make_case(unit_bjm)
    response = api_client(unit_bjm).get(CASES, {"external_ref": "SIM-42"})
    assert [row["id"] for row in response.json()["results"]] == [case.pk]


def test_page_size_is_at_most_200(unit_bjm):
    make_case(unit_bjm)
    assert api_client(unit_bjm).get(CASES, {"page_size": 200}).status_code == 200
    for bad in (201, 0, "x"):
        response = api_client(unit_bjm).get(CASES, {"page_size": bad})
        assert response.status_code == 400 and "page_size" in response.json()["errors"]


def test_a_bad_filter_is_400_naming_it(unit_bjm):
    response = api_client(unit_bjm).get(CASES, {"updated_since": "kemarin"})
    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]


def test_a_perpetrator_of_a_visible_case_can_be_linked(unit_bjm):
    first = make_case(unit_bjm)
    known = first.involvements.get().perpetrator
    payload = case_payload(perpetrators=[{"perpetrator": known.pk, "roles": ["PENAMPUNG"]}])
    response = api_client(unit_bjm).post(CASES, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["perpetrators"][0]["perpetrator"] == known.pk
    assert known.involvements.count() == 2


def test_a_perpetrator_outside_the_scope_cannot_be_linked(unit_bjm, outsider):
    theirs = make_case(outsider, regency="6310").involvements.get().perpetrator
    payload = case_payload(perpetrators=[{"perpetrator": theirs.pk}])
    response = api_client(unit_bjm).post(CASES, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["perpetrators.0.perpetrator"]
    assert Case.objects.count() == 1


def test_sync_may_order_cases_by_id(unit_bjm):
    first, second = make_case(unit_bjm), make_case(unit_bjm, reported_on=date(2026, 3, 20))
    client = api_client(unit_bjm)
    newest_report_first = client.get(CASES).json()["results"]
    assert [row["id"] for row in newest_report_first] == [second.pk, first.pk]
    rows = client.get(CASES, {"ordering": "id"}).json()["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk]
    assert client.get(CASES, {"ordering": "summary"}).status_code == 400
