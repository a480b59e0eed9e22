"""What a referral grants, and for how long (issue #13, items 4 and 9, and the model behind
them): the referred victim and the service while the referral is live, the identity only
with a sharing consent, never the case; the analyst never receives one."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from agencies import scoping
from agencies.models import Agency, Regency, Role
from audit.models import IdentityAccess
from cases.models import Case
from cases.services import case_record_stage, case_update
from tests.api.helpers import api_client
from tests.conftest import client_for
from tests.factories import UserFactory, make_case, victim_data
from victims.codes import ConsentScope, ServiceStatus
from victims.models import Victim, VictimService
from victims.services import (
    TRANSITIONS,
    consent_record,
    consent_withdraw,
    identity_read,
    service_create,
    service_transition,
    victim_update,
)

pytestmark = pytest.mark.django_db

NAME = "Kartika Sari Dewi"
UPTD = "UPTD PPA Provinsi Kalimantan Selatan"


@pytest.fixture
def uptd_unit(db):
    return UserFactory(role=Role.UNIT, agency=Agency.objects.get(name=UPTD))


@pytest.fixture
def case(unit_bjm):
    victim = victim_data()
    victim["identity"] = {**victim["identity"], "full_name": NAME}
    return make_case(unit_bjm, victims=[victim, victim_data()])


def first_victim(case) -> Victim:
    return case.victim_links.order_by("id").first().victim


def refer(case, by, provider: str, victim=None) -> VictimService:
    return service_create(
        by=by,
        victim=victim or first_victim(case),
        case=case,
        type="RUMAH_AMAN",
        provider_agency=Agency.objects.get(name=provider),
    )


def share(victim, by, scope=ConsentScope.BERBAGI_DATA):
    return consent_record(
        by=by,
        victim=victim,
        basis="PERSETUJUAN",
        given_by="KORBAN",
        scope=scope,
        given_on=date(2026, 3, 2),
    )


def test_the_live_statuses_named_by_the_rule_are_the_unfinished_service_statuses():
    """agencies.scoping names the statuses and the consent scope by string (it imports no
    app above it): they must stay the ones victims.codes defines."""
    unfinished = {status for status, following in TRANSITIONS.items() if following}
    assert set(scoping.LIVE_REFERRAL_STATUSES) == unfinished
    assert set(scoping.LIVE_REFERRAL_STATUSES) <= set(ServiceStatus.values)
    assert scoping.SHARING_CONSENT_SCOPE == ConsentScope.BERBAGI_DATA


# --- A unit that rejected a referral ------------------------------------------------------


def test_a_unit_that_rejected_a_referral_keeps_nothing(case, unit_bjm, uptd_unit):
    """Item 4: it can no longer read the identity, move the case, change its stage or refer
    the victim onward; and it never could change the case, even while the referral was live."""
    victim = first_victim(case)
    share(victim, unit_bjm)
    service = refer(case, unit_bjm, UPTD)
    # While live (and with a sharing consent): the victim and her identity, not the case.
    assert identity_read(user=uptd_unit, victim=victim, channel="test").full_name == NAME
    for attempt in (
        lambda: case_update(
            by=uptd_unit,
            case=case,
            version=case.version,
            regency=Regency.objects.get(pk="6310"),
        ),
        lambda: case_record_stage(
            by=uptd_unit, case=case, stage="SP3_HENTI", occurred_on=date(2026, 3, 3)
        ),
    ):
        with pytest.raises(Http404):
            attempt()
    with pytest.raises(Http404):
        refer(case, uptd_unit, "DP3A Kabupaten Tanah Bumbu")

    service_transition(by=uptd_unit, service=service, status="DITOLAK", reason="Penuh.")

    with pytest.raises(Http404):
        identity_read(user=uptd_unit, victim=victim, channel="test")
    with pytest.raises(Http404):
        case_update(
            by=uptd_unit, case=case, version=case.version, regency=Regency.objects.get(pk="6310")
        )
    with pytest.raises(Http404):
        case_record_stage(by=uptd_unit, case=case, stage="SP3_HENTI", occurred_on=date(2026, 3, 3))
    with pytest.raises(Http404):
        refer(case, uptd_unit, "DP3A Kabupaten Tanah Bumbu")
    with pytest.raises(Http404):
        victim_update(by=uptd_unit, victim=victim, version=victim.version, sex="L")
    case.refresh_from_db()
    assert (case.regency_id, case.stage, case.version) == ("6371", "PENGADUAN", 1)
    assert VictimService.objects.count() == 1
    assert not case.agency_links.exists()
    # The pages and the API say the same.
    c = client_for(uptd_unit)
    for url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:edit", args=[case.pk]),
        reverse("cases:stage", args=[case.pk]),
        reverse("victims:detail", args=[victim.pk]),
        reverse("victims:service_create", args=[victim.pk]),
        reverse("victims:referral_answer", args=[service.pk]),
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("victims:identity", args=[victim.pk])).status_code == 404
    api = api_client(uptd_unit)
    assert api.get(f"/api/v1/victims/{victim.code}/").status_code == 404
    assert api.get(f"/api/v1/services/{service.pk}/").status_code == 404
    assert api.get("/api/v1/services/").json()["count"] == 0


def test_cancelled_and_completed_referrals_end_the_access_too(case, unit_bjm, uptd_unit):
    victim = first_victim(case)
    cancelled = refer(case, unit_bjm, UPTD)
    service_transition(by=unit_bjm, service=cancelled, status="DIBATALKAN")
    assert not Victim.objects.visible_to(uptd_unit).exists()
    done = refer(case, unit_bjm, UPTD)
    service_transition(by=uptd_unit, service=done, status="DITERIMA")
    assert Victim.objects.visible_to(uptd_unit).get() == victim
    service_transition(by=uptd_unit, service=done, status="SELESAI")
    assert not Victim.objects.visible_to(uptd_unit).exists()
    assert not VictimService.objects.visible_to(uptd_unit).exists()


def test_a_live_referral_shows_the_victim_service_and_case_facts_not_the_case(
    case, unit_bjm, uptd_unit
):
    victim, other = (link.victim for link in case.victim_links.order_by("id"))
    service = refer(case, unit_bjm, UPTD)
    c = client_for(uptd_unit)
    page = c.get(reverse("victims:referral_answer", args=[service.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert case.register_no in text and "SEKS_PROSTITUSI" in text  # what it needs
    assert case.summary not in text and "Pelaku 0" not in text  # not the narrative, no one else
    detail = c.get(reverse("victims:detail", args=[victim.pk])).content.decode()
    assert reverse("cases:detail", args=[case.pk]) not in detail  # no link to a 404
    assert reverse("victims:referral_answer", args=[service.pk]) in detail
    assert "Rujuk / catat layanan" not in detail  # no onward referral
    assert c.get(reverse("victims:detail", args=[other.pk])).status_code == 404
    assert c.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert c.get(reverse("victims:service_create", args=[victim.pk])).status_code == 403
    api = api_client(uptd_unit)
    body = api.get(f"/api/v1/victims/{victim.code}/").json()
    assert body["cases"] == [] and "identity" not in body
    assert [row["code"] for row in api.get("/api/v1/victims/").json()["results"]] == [victim.code]
    assert api.get("/api/v1/cases/").json()["count"] == 0
    assert api.get("/api/v1/perpetrators/").json()["count"] == 0
    assert api.get(f"/api/v1/victims/{other.code}/").status_code == 404
    # Read-only on the record: no change of the victim, no consent recorded or withdrawn.
    with pytest.raises(PermissionDenied):
        victim_update(by=uptd_unit, victim=victim, version=victim.version, sex="L")
    consent = share(victim, unit_bjm)
    with pytest.raises(PermissionDenied):
        consent_withdraw(by=uptd_unit, consent=consent, withdrawn_on=date(2026, 3, 5))
    with pytest.raises(PermissionDenied):
        share(victim, uptd_unit)


# --- Identity only with consent -----------------------------------------------------------


def test_a_referred_agency_sees_the_identity_only_with_a_sharing_consent(case, unit_bjm, uptd_unit):
    victim = first_victim(case)
    refer(case, unit_bjm, UPTD)
    page = reverse("victims:identity", args=[victim.pk])
    api = f"/api/v1/victims/{victim.code}/"

    def sees() -> bool:
        shown = NAME in client_for(uptd_unit).post(page).content.decode()
        body = api_client(uptd_unit).get(api).json()
        assert shown == ((body.get("identity") or {}).get("full_name") == NAME)
        return shown

    assert not sees()  # no consent recorded: no identity
    share(victim, unit_bjm, scope=ConsentScope.LAYANAN)
    assert not sees()  # consent to services is not consent to share her data
    assert not IdentityAccess.objects.filter(user=uptd_unit).exists()
    consent = share(victim, unit_bjm)
    assert sees()
    assert IdentityAccess.objects.filter(user=uptd_unit).count() == 2  # page and API, logged
    consent_withdraw(by=unit_bjm, consent=consent, withdrawn_on=date(2026, 3, 5))
    assert not sees()
    # The case's own agencies see it whatever the consent (they hold the case).
    assert identity_read(user=unit_bjm, victim=victim, channel="test").full_name == NAME


# --- A REGENCY-role receiver in another regency; the province; the analyst ----------------


def test_a_regency_role_receiver_in_another_regency_sees_and_answers_its_referral(case, unit_bjm):
    """Item 9: DP3A Tanah Bumbu (REGENCY role) receives a referral from a Banjarmasin case:
    the service, the transition and the answer page answer it (404 before)."""
    receiver = UserFactory(
        role=Role.REGENCY, agency=Agency.objects.get(name="DP3A Kabupaten Tanah Bumbu")
    )
    service = refer(case, unit_bjm, "DP3A Kabupaten Tanah Bumbu")
    api = api_client(receiver)
    assert api.get(f"/api/v1/services/{service.pk}/").status_code == 200
    assert [
        row["id"] for row in api.get("/api/v1/services/", {"awaiting": "true"}).json()["results"]
    ] == [service.pk]
    page = client_for(receiver).get(reverse("victims:referral_answer", args=[service.pk]))
    assert page.status_code == 200
    home = client_for(receiver).get(reverse("home")).content.decode()
    assert reverse("victims:referral_answer", args=[service.pk]) in home
    answered = api.post(
        f"/api/v1/services/{service.pk}/transition/", {"status": "DITERIMA"}, format="json"
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "DITERIMA"
    # ...and the page's answer works the same way for the next referral.
    second = refer(case, unit_bjm, "DP3A Kabupaten Tanah Bumbu")
    posted = client_for(receiver).post(
        reverse("victims:referral_answer", args=[second.pk]),
        {"decision": "DITOLAK", "reason": "Di luar wilayah layanan."},
    )
    assert posted.status_code == 302
    second.refresh_from_db()
    assert second.status == "DITOLAK"
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404  # still not the case


def test_the_province_may_answer_a_referral_on_the_page_as_the_service_allows(
    case, unit_bjm, province
):
    service = refer(case, unit_bjm, "BP3MI Kalimantan Selatan")
    response = client_for(province).post(
        reverse("victims:referral_answer", args=[service.pk]), {"decision": "DITERIMA"}
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.status == "DITERIMA"


def test_an_analyst_is_never_a_receiver(case, unit_bjm, analyst):
    """BP3MI's users are analysts in the demo: a referral there shows them nothing; the
    province answers it until the service-provider role arrives (#18)."""
    service = refer(case, unit_bjm, "BP3MI Kalimantan Selatan")
    assert analyst.agency_id == service.provider_agency_id
    assert not VictimService.objects.visible_to(analyst).exists()
    assert not Victim.objects.visible_to(analyst).exists()
    with pytest.raises(Http404):
        service_transition(by=analyst, service=service, status="DITERIMA")
    c = client_for(analyst)
    assert c.get(reverse("victims:referral_answer", args=[service.pk])).status_code == 404
    api = api_client(analyst)
    assert api.get(f"/api/v1/services/{service.pk}/").status_code == 403
    service.refresh_from_db()
    assert service.status == "DIRUJUK"


# --- Moving a case ------------------------------------------------------------------------


def test_moving_a_case_to_another_regency_is_the_provinces_decision(unit_bjm, province):
    case = make_case(unit_bjm)
    tanbu = Regency.objects.get(pk="6310")
    with pytest.raises(ValidationError) as refused:
        case_update(by=unit_bjm, case=case, version=case.version, regency=tanbu)
    assert "provinsi" in refused.value.message_dict["regency"][0]
    assert Case.objects.get(pk=case.pk).regency_id == "6371"
    case_update(by=province, case=case, version=case.version, regency=tanbu)
    assert Case.objects.get(pk=case.pk).regency_id == "6310"


# --- Scope checks of the victim services --------------------------------------------------


def test_victim_update_and_consent_withdraw_check_the_scope(case, unit_bjm, outsider):
    victim = first_victim(case)
    consent = share(victim, unit_bjm)
    with pytest.raises(Http404):
        victim_update(by=outsider, victim=victim, version=victim.version, sex="L")
    with pytest.raises(Http404):
        consent_withdraw(by=outsider, consent=consent, withdrawn_on=date(2026, 3, 5))
    victim.refresh_from_db()
    consent.refresh_from_db()
    assert victim.sex == "P" and consent.withdrawn_on is None
