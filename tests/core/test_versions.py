"""No silent lost updates (#14.3): every editable record carries a version, and a write
based on an old one is refused the same way on pages, API and admin (core.versions)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from cases.models import Involvement
from core.versions import StaleVersion
from reports.models import UnitReturn
from tests.api.helpers import api_client
from tests.conftest import client_for
from tests.factories import make_case
from victims.models import Consent, Victim, VictimService
from victims.services import consent_record, consent_withdraw, service_create, victim_update

pytestmark = pytest.mark.django_db


def test_existing_rows_and_new_ones_start_at_version_1(unit_bjm):
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    assert case.involvements.get().version == 1 and victim.version == 1
    for model in (Involvement, Victim, VictimService, Consent, UnitReturn):
        assert model._meta.get_field("version").default == 1


def test_a_second_officers_verdict_page_does_not_erase_the_conviction(unit_bjm):
    involvement = make_case(unit_bjm).involvements.get()
    url = reverse("cases:involvement_edit", args=[involvement.pk])
    first, second = client_for(unit_bjm), client_for(unit_bjm)
    form = first.get(url).context["form"]
    assert form["version"].value() == 1
    second.get(url)  # both officers opened the page at version 1
    conviction = {
        "legal_status": "TERPIDANA",
        "verdict": "DIPIDANA",
        "verdict_on": "2026-11-01",
        "sentence_months": "84",
        "fine": "120000000",
        "articles": "Pasal 2 UU 21/2007",
        "version": "1",
    }
    assert first.post(url, conviction).status_code == 302
    stale = {"legal_status": "TERDAKWA", "articles": "Pasal 10", "version": "1"}
    refused = second.post(url, stale)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "telah diubah oleh pengguna lain" in page
    assert "Pasal 10" in page  # what the second officer typed is still in the form
    involvement.refresh_from_db()
    assert (involvement.verdict, involvement.sentence_months, involvement.fine) == (
        "DIPIDANA",
        84,
        120_000_000,
    )
    assert involvement.version == 2


def test_model_update_writes_only_the_changed_fields(unit_bjm):
    from core.versions import model_update

    involvement = make_case(unit_bjm).involvements.get()
    Involvement.objects.filter(pk=involvement.pk).update(articles="ditulis orang lain")
    written = model_update(
        involvement,
        {"legal_status": "TERDAKWA", "verdict": ""},
        allowed={"legal_status", "verdict"},
    )
    assert written == ["legal_status", "updated_at", "version"]
    involvement.refresh_from_db()
    assert involvement.articles == "ditulis orang lain" and involvement.version == 2


def test_victim_update_refuses_a_stale_version(unit_bjm):
    victim = make_case(unit_bjm).victim_links.get().victim
    victim_update(by=unit_bjm, victim=victim, version=1, occupation="Buruh")
    with pytest.raises(StaleVersion) as exc:
        victim_update(by=unit_bjm, victim=victim, version=1, occupation="Petani")
    assert exc.value.current == 2
    assert Victim.objects.get(pk=victim.pk).occupation == "Buruh"


def test_victim_admin_uses_the_version(admin_user):
    from django.forms import modelform_factory

    from victims.admin import VictimAdminForm as Base

    VictimAdminForm = modelform_factory(Victim, form=Base, fields=["occupation"])
    victim = make_case(admin_user, regency="6371").victim_links.get().victim
    form = VictimAdminForm(instance=victim)
    assert form.fields["seen"].initial == victim.version == 1
    victim_update(by=admin_user, victim=victim, version=1, occupation="Buruh")
    stale = VictimAdminForm(
        {"occupation": "Petani", "seen": "1"},
        instance=Victim.objects.get(pk=victim.pk),
    )
    assert not stale.is_valid()
    assert "diubah orang lain" in str(stale.non_field_errors())


def test_consent_withdraw_refuses_a_stale_version(unit_bjm):
    victim = make_case(unit_bjm).victim_links.get().victim
    consent = consent_record(
        by=unit_bjm,
        victim=victim,
        basis="PERSETUJUAN",
        given_by="KORBAN",
        scope="LAYANAN",
        given_on=date(2026, 3, 2),
    )
    consent_withdraw(by=unit_bjm, consent=consent, withdrawn_on=date(2026, 3, 5), version=1)
    with pytest.raises(StaleVersion):
        consent_withdraw(by=unit_bjm, consent=consent, withdrawn_on=date(2026, 3, 6), version=1)
    assert Consent.objects.get(pk=consent.pk).withdrawn_on == date(2026, 3, 5)


def test_api_a_stale_service_transition_is_a_409_with_the_current_version(unit_bjm, regency_bjm):
    case = make_case(unit_bjm)
    provider = Agency.objects.get(name="DP3A Kota Banjarmasin")
    service = service_create(
        by=unit_bjm,
        victim=case.victim_links.get().victim,
        case=case,
        type="PENDAMPINGAN_HUKUM",
        provider_agency=provider,
        referred_on=timezone.localdate(),
    )
    client = api_client(regency_bjm)
    url = f"/api/v1/services/{service.pk}/transition/"
    ok = client.post(url, {"status": "DITERIMA", "version": 1}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 2
    stale = client.post(url, {"status": "BERJALAN", "version": 1}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert (body["code"], body["current_version"]) == ("stale_version", 2)
    assert VictimService.objects.get(pk=service.pk).status == "DITERIMA"
