"""A create made twice is stored once (#14.1, #14.2): every create form carries a one-time
submission key, every API create takes an `Idempotency-Key`; one mechanism
(core.idempotency.once) behind both."""

import re
import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from cases.models import Case, Involvement, Perpetrator, StageEvent
from cases.services import case_create, case_record_stage
from core.idempotency import once
from core.models import SubmissionKey
from reports.models import UnitReturn
from tests.api.helpers import api_client
from tests.conftest import client_for, requires_postgres
from tests.factories import make_case
from tests.pages.test_cases import _create_payload
from victims.models import VictimService

pytestmark = pytest.mark.django_db
KEY = "kunci-uji-0123456789"


def _key_of(response) -> str:
    """The submission key the page rendered in its hidden field."""
    found = re.search(r'name="submission_key" value="([^"]+)"', response.content.decode())
    assert found, "the form carries no submission key"
    return found.group(1)


def _post_twice(client, url, data):
    first = client.post(url, data)
    second = client.post(url, data)
    return first, second


def _at_p19(user) -> Case:
    case = make_case(user, stage="LAPORAN_POLISI")
    for stage in ("PENYIDIKAN", "P19"):
        case_record_stage(by=user, case=case, stage=stage, occurred_on=date(2026, 3, 5))
    return Case.objects.get(pk=case.pk)


# --- Pages ------------------------------------------------------------------------------


def test_every_create_form_renders_a_fresh_key(unit_bjm):
    client = client_for(unit_bjm)
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    urls = [
        reverse("cases:create"),
        reverse("cases:stage", args=[case.pk]),
        reverse("cases:involvement_add", args=[case.pk]),
        reverse("victims:service_create", args=[victim.pk]),
        reverse("reports:return_list"),
    ]
    for url in urls:
        first, again = _key_of(client.get(url)), _key_of(client.get(url))
        assert first != again and len(first) >= 16, url


def test_the_case_form_sent_twice_stores_one_case(unit_bjm):
    client = client_for(unit_bjm)
    data = {**_create_payload(), "submission_key": _key_of(client.get(reverse("cases:create")))}
    first, second = _post_twice(client, reverse("cases:create"), data)
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("cases:detail", args=[case.pk])
    page = client.get(second["Location"])
    assert f"Kasus {case.register_no} tercatat." in page.content.decode()
    assert case.victim_links.count() == 2 and Perpetrator.objects.count() == 1


def test_a_resend_with_an_external_reference_is_no_server_error(unit_bjm):
    client = client_for(unit_bjm)
    data = {**_create_payload(external_ref="LP-77"), "submission_key": KEY}
    first, second = _post_twice(client, reverse("cases:create"), data)
    assert (first.status_code, second.status_code) == (302, 302)
    # A new form (a new key) with a reference already used: a message on the field.
    other = client.post(reverse("cases:create"), {**data, "submission_key": KEY + "-b"})
    assert other.status_code == 400
    assert "sudah dipakai" in other.content.decode()
    assert Case.objects.count() == 1


def test_a_form_shown_again_after_an_error_keeps_its_key_and_stores_once(unit_bjm):
    client = client_for(unit_bjm)
    data = {**_create_payload(reported_on=""), "submission_key": KEY}
    refused = client.post(reverse("cases:create"), data)
    assert refused.status_code == 400 and _key_of(refused) == KEY
    fixed = {**data, "reported_on": "2026-11-20"}
    assert client.post(reverse("cases:create"), fixed).status_code == 302
    assert client.post(reverse("cases:create"), fixed).status_code == 302
    assert Case.objects.count() == 1


def test_a_repeatable_stage_sent_twice_is_recorded_once(unit_bjm):
    case = _at_p19(unit_bjm)
    client = client_for(unit_bjm)
    url = reverse("cases:stage", args=[case.pk])
    data = {"stage": "P19", "occurred_on": "2026-03-06", "submission_key": KEY}
    first, second = _post_twice(client, url, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert case.stage_events.filter(stage="P19").count() == 2  # the earlier one and this one
    # A new form is a new P-19: recorded.
    assert client.post(url, {**data, "submission_key": KEY + "-2"}).status_code == 302
    assert case.stage_events.filter(stage="P19").count() == 3


def test_a_new_perpetrator_sent_twice_is_one_person(unit_bjm):
    case = make_case(unit_bjm, perpetrators=0)
    client = client_for(unit_bjm)
    data = {
        "action": "add",
        "kind": "ORANG",
        "name": "Joko Santoso",
        "sex": "L",
        "nationality": "IDN",
        "legal_status": "TERSANGKA",
        "submission_key": KEY,
    }
    first, second = _post_twice(client, reverse("cases:involvement_add", args=[case.pk]), data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert Perpetrator.objects.filter(name="Joko Santoso").count() == 1
    assert Involvement.objects.filter(case=case).count() == 1


def test_a_referral_sent_twice_is_one_referral(unit_bjm):
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    provider = Agency.objects.get(name="DP3A Kota Banjarmasin")
    data = {
        "case": case.pk,
        "type": "PENDAMPINGAN_HUKUM",
        "provider_agency": provider.pk,
        "referred_on": timezone.localdate().isoformat(),
        "note": "",
        "submission_key": KEY,
    }
    url = reverse("victims:service_create", args=[victim.pk])
    first, second = _post_twice(client_for(unit_bjm), url, data)
    assert (first.status_code, second.status_code) == (302, 302), first.content
    assert VictimService.objects.count() == 1


def test_a_monthly_return_sent_twice_is_filed_once_without_an_error(unit_bjm):
    client = client_for(unit_bjm)
    data = {"period": "2026-03", "nil": "on", "note": "", "submission_key": KEY}
    first, second = _post_twice(client, reverse("reports:return_list"), data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert UnitReturn.objects.count() == 1


def test_a_tampered_key_is_a_message_not_an_error(unit_bjm):
    client = client_for(unit_bjm)
    data = {**_create_payload(), "submission_key": "<script>"}
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 400
    assert "Muat ulang halaman" in response.content.decode()
    assert not Case.objects.exists()


# --- API --------------------------------------------------------------------------------


def _stage_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/stages/"


def test_api_stage_retried_with_its_key_is_recorded_once(unit_bjm):
    case = _at_p19(unit_bjm)
    client = api_client(unit_bjm)
    body = {"stage": "P19", "occurred_on": "2026-03-06"}
    first = client.post(_stage_url(case), body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = client.post(_stage_url(case), body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert case.stage_events.filter(stage="P19").count() == 2
    # Without a key a second P-19 is a second P-19 (it may legitimately happen).
    assert client.post(_stage_url(case), body, format="json").status_code == 201
    assert case.stage_events.filter(stage="P19").count() == 3


def test_api_the_same_key_with_another_body_is_a_conflict(unit_bjm):
    case = _at_p19(unit_bjm)
    client = api_client(unit_bjm)
    body = {"stage": "P19", "occurred_on": "2026-03-06"}
    client.post(_stage_url(case), body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    other = client.post(
        _stage_url(case), {**body, "note": "lain"}, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused" and other.json()["detail"]
    assert case.stage_events.filter(stage="P19").count() == 2


def test_api_a_malformed_key_is_a_400(unit_bjm):
    case = _at_p19(unit_bjm)
    response = api_client(unit_bjm).post(
        _stage_url(case),
        {"stage": "P19", "occurred_on": "2026-03-06"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="x",
    )
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["errors"]


def test_api_keys_belong_to_their_user(unit_bjm):
    """Another officer's key is not a retry of yours (nor a way to learn your records)."""
    from tests.factories import UserFactory

    case = _at_p19(unit_bjm)
    colleague = UserFactory(role=unit_bjm.role, agency=unit_bjm.agency)
    body = {"stage": "P19", "occurred_on": "2026-03-06"}
    mine = api_client(unit_bjm).post(
        _stage_url(case), body, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )
    theirs = api_client(colleague).post(
        _stage_url(case), body, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]


def test_api_referral_retried_with_its_key_is_one_referral(unit_bjm):
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    provider = Agency.objects.get(name="DP3A Kota Banjarmasin")
    body = {"case": case.pk, "type": "PENDAMPINGAN_HUKUM", "provider_agency": provider.pk}
    url = f"/api/v1/victims/{victim.code}/services/"
    client = api_client(unit_bjm)
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert first.json() == again.json()
    assert VictimService.objects.count() == 1


def test_api_return_retried_with_its_key_answers_the_return(unit_bjm):
    client = api_client(unit_bjm)
    body = {"period": "2026-03", "nil": True}
    first = client.post("/api/v1/returns/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = client.post("/api/v1/returns/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    # Without the key, a second filing is still the documented 409.
    assert client.post("/api/v1/returns/", body, format="json").status_code == 409


def test_the_schema_documents_the_header_on_every_create(unit_bjm):
    schema = api_client(unit_bjm).get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/cases/{id}/stages/",
        "/api/v1/victims/{code}/services/",
        "/api/v1/returns/",
    ):
        params = paths[path]["post"].get("parameters", [])
        header = [p for p in params if p["in"] == "header" and p["name"] == "Idempotency-Key"]
        assert header and not header[0].get("required", False), path


def test_once_keeps_nothing_when_the_create_fails(unit_bjm):
    from django.core.exceptions import ValidationError

    def refused():
        raise ValidationError({"summary": "x"})

    with pytest.raises(ValidationError):
        once(user=unit_bjm, key=KEY, create=refused)
    assert not SubmissionKey.objects.exists()


# --- Races (PostgreSQL) -----------------------------------------------------------------


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_key_at_once_make_one_case(unit_bjm):
    from tests.factories import perpetrator_data, victim_data

    start = threading.Barrier(4)
    results, errors = [], []

    def submit():
        try:
            start.wait()
            case, _created = once(
                user=unit_bjm,
                key=KEY,
                create=lambda: case_create(
                    by=unit_bjm,
                    regency=unit_bjm.agency.regency,
                    reported_on=date(2026, 3, 2),
                    summary="Korban direkrut.",
                    means_of_control=["JERATAN_UTANG"],
                    victims=[victim_data()],
                    perpetrators=[perpetrator_data(name="Pelaku Balapan")],
                ),
            )
            results.append(case.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Case.objects.count() == 1 and len(set(results)) == 1
    assert Case.objects.get().register_no.endswith("-0001")
    assert Perpetrator.objects.filter(name="Pelaku Balapan").count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_stage_retries_at_once_record_one_stage(unit_bjm):
    case = _at_p19(unit_bjm)
    start = threading.Barrier(3)
    codes, errors = [], []
    clients = [api_client(unit_bjm) for _ in range(3)]

    def post(client):
        try:
            start.wait()
            response = client.post(
                _stage_url(case),
                {"stage": "P19", "occurred_on": "2026-03-06"},
                format="json",
                HTTP_IDEMPOTENCY_KEY=KEY,
            )
            codes.append(response.status_code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(codes) == [200, 200, 201]
    assert StageEvent.objects.filter(case=case, stage="P19").count() == 2
