"""Erasure on a lawful request (UU 27/2022): the province erases an identity through a
confirmed form; the statistics and built summaries do not change; the erasure and its
reference are logged and shown on the audit page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import ErasureLog, IdentityAccess
from reports.models import MonthlySummary
from reports.services import summaries_build
from tests.audit.conftest import NAME, NIK, case_with_victims
from tests.conftest import client_for
from victims.models import Victim, VictimIdentity
from victims.services import identity_erase

pytestmark = pytest.mark.django_db

REFERENCE = "B-17/DP3AKB/III/2026"


def erase_url(victim) -> str:
    return reverse("victims:identity_erase", args=[victim.pk])


def test_the_province_erases_through_the_form(unit_bjm, province):
    _case, (victim,) = case_with_victims(unit_bjm)
    c = client_for(province)
    page = c.get(erase_url(victim))
    assert page.status_code == 200
    assert NAME not in page.content.decode()
    detail = c.get(reverse("victims:detail", args=[victim.pk])).content.decode()
    assert f'href="{erase_url(victim)}"' in detail
    response = c.post(
        erase_url(victim),
        {"reference": REFERENCE, "confirm_code": victim.code.lower()},
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 302
    identity = VictimIdentity.objects.get(victim=victim)
    assert (identity.full_name, identity.nik, identity.nik_hash) == ("", "", "")
    assert identity.erased_at is not None
    access = IdentityAccess.objects.get(channel=IdentityAccess.ERASURE)
    assert (access.user, access.victim, access.ip_address) == (province, victim, "10.9.8.7")
    log = ErasureLog.objects.get()
    assert (log.access, log.victim, log.by, log.reference) == (access, victim, province, REFERENCE)
    # Revealed afterwards, the identity shows as erased.
    revealed = c.post(reverse("victims:identity", args=[victim.pk])).content.decode()
    assert "Identitas ini telah dihapus atas permintaan yang sah." in revealed
    assert NAME not in revealed


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reference": "", "confirm_code": "{code}"}, "reference"),
        ({"reference": "x" * 101, "confirm_code": "{code}"}, "reference"),
        ({"reference": REFERENCE, "confirm_code": "KRB-1999-00001"}, "confirm_code"),
    ],
)
def test_bad_input_is_named_and_changes_nothing(unit_bjm, province, data, field):
    _case, (victim,) = case_with_victims(unit_bjm)
    data = {k: v.format(code=victim.code) for k, v in data.items()}
    response = client_for(province).post(erase_url(victim), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert VictimIdentity.objects.get(victim=victim).full_name == NAME
    assert not IdentityAccess.objects.exists()
    assert not ErasureLog.objects.exists()


def test_only_the_province_may_erase(personas, unit_bjm):
    _case, (victim,) = case_with_victims(unit_bjm)
    expected = {"unit_bjm": 403, "regency_bjm": 403, "analyst": 404, "outsider": 404}
    for who, status in expected.items():
        c = client_for(personas[who])
        assert c.get(erase_url(victim)).status_code == status, who
        posted = c.post(erase_url(victim), {"reference": REFERENCE, "confirm_code": victim.code})
        assert posted.status_code == status, who
        detail = c.get(reverse("victims:detail", args=[victim.pk])).content.decode()
        assert erase_url(victim) not in detail, who
    assert VictimIdentity.objects.get(victim=victim).full_name == NAME
    assert not ErasureLog.objects.exists()
    assert client_for(personas["admin"]).get(erase_url(victim)).status_code == 200


def test_the_service_refuses_an_overlong_reference(unit_bjm, province):
    _case, (victim,) = case_with_victims(unit_bjm)
    with pytest.raises(ValidationError) as exc:
        identity_erase(by=province, victim=victim, reference="x" * 101)
    assert "reference" in exc.value.message_dict
    assert VictimIdentity.objects.get(victim=victim).nik == NIK


def test_erasure_leaves_the_statistics_and_summaries_unchanged(unit_bjm, province):
    _case, victims = case_with_victims(unit_bjm, n=2)
    summaries_build(period="2026-03")
    before = dict(MonthlySummary.objects.values_list("pk", "checksum"))
    stats = list(Victim.objects.order_by("pk").values("sex", "age_at_identification", "is_child"))
    for victim in victims:
        identity_erase(by=province, victim=victim, reference=REFERENCE)
    summaries_build(period="2026-03")
    assert dict(MonthlySummary.objects.values_list("pk", "checksum")) == before
    province_summary = MonthlySummary.objects.get(regency=None, version="INTERNAL")
    assert province_summary.content["tables"]  # the figures exist, and did not change
    assert (
        list(Victim.objects.order_by("pk").values("sex", "age_at_identification", "is_child"))
        == stats
    )
    assert {link.victim_id for link in _case.victim_links.all()} == {v.pk for v in victims}


def test_the_erasure_is_visible_on_the_audit_page(unit_bjm, province):
    _case, (victim,) = case_with_victims(unit_bjm)
    client_for(province).post(
        erase_url(victim), {"reference": REFERENCE, "confirm_code": victim.code}
    )
    page = client_for(province).get(reverse("reports:audit_access"), {"melalui": "erasure"})
    (row,) = page.context["page"]
    assert (row.victim, row.user, row.erasure.reference) == (victim, province, REFERENCE)
    html = page.content.decode()
    assert REFERENCE in html and victim.code in html
    assert NAME not in html
