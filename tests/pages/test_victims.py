"""Victim pages: codes only, identity on a logged POST, services and referrals."""

import pytest
from django.urls import reverse

from agencies.models import Agency
from audit.models import IdentityAccess
from tests.conftest import client_for
from tests.factories import make_case
from victims.models import VictimService
from victims.services import service_create

pytestmark = pytest.mark.django_db

NAME = "Siti Rahmawati"  # the identity make_case gives every victim


def _victim(by):
    case = make_case(by)
    return case, case.victim_links.get().victim


def test_list_and_detail_show_codes_and_never_the_identity(unit_bjm):
    _case, victim = _victim(unit_bjm)
    c = client_for(unit_bjm)
    listing = c.get(reverse("victims:list"), {"code": victim.code})
    assert victim.code in listing.text and NAME not in listing.text
    detail = c.get(reverse("victims:detail", args=[victim.pk]))
    assert NAME not in detail.text
    assert "Tampilkan identitas" in detail.text
    assert IdentityAccess.objects.count() == 0


def test_reveal_is_a_post_that_logs_the_access(unit_bjm):
    _case, victim = _victim(unit_bjm)
    c = client_for(unit_bjm)
    url = reverse("victims:identity", args=[victim.pk])
    assert c.get(url).status_code == 405  # never by GET (no identity behind a link)
    response = c.post(url)
    assert response.status_code == 200
    assert NAME in response.text
    assert "no-store" in response["Cache-Control"]
    access = IdentityAccess.objects.get()
    assert (access.user, access.victim, access.channel) == (unit_bjm, victim, "web")
    # The log is shown with the identity section.
    assert unit_bjm.username in response.text or unit_bjm.get_full_name() in response.text


def test_analyst_sees_no_victim_and_cannot_reveal(unit_bjm, analyst):
    _case, victim = _victim(unit_bjm)
    c = client_for(analyst)
    assert c.get(reverse("victims:detail", args=[victim.pk])).status_code == 404
    assert c.get(reverse("victims:list")).status_code == 403
    assert c.post(reverse("victims:identity", args=[victim.pk])).status_code == 404
    assert IdentityAccess.objects.count() == 0


def test_outsider_gets_404_everywhere(unit_bjm, outsider):
    case, victim = _victim(unit_bjm)
    service = service_create(
        by=unit_bjm,
        victim=victim,
        case=case,
        type="RUMAH_AMAN",
        provider_agency=Agency.objects.get(name="DP3A Kota Banjarmasin"),
    )
    c = client_for(outsider)
    for url in [
        reverse("victims:detail", args=[victim.pk]),
        reverse("victims:service_create", args=[victim.pk]),
        reverse("victims:referral_answer", args=[service.pk]),
    ]:
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("victims:identity", args=[victim.pk])).status_code == 404
    assert victim.code not in c.get(reverse("victims:list")).text


def test_refer_a_victim_and_the_receiver_accepts(unit_bjm, regency_bjm):
    case, victim = _victim(unit_bjm)
    receiver = Agency.objects.get(name="DP3A Kota Banjarmasin")
    response = client_for(unit_bjm).post(
        reverse("victims:service_create", args=[victim.pk]),
        {"case": case.pk, "type": "RUMAH_AMAN", "provider_agency": receiver.pk, "note": ""},
    )
    assert response.status_code == 302
    service = VictimService.objects.get()
    assert service.status == "DIRUJUK" and service.referring_agency == unit_bjm.agency
    # The referrer cannot answer its own referral.
    url = reverse("victims:referral_answer", args=[service.pk])
    assert client_for(unit_bjm).post(url, {"decision": "DITERIMA"}).status_code == 403
    c = client_for(regency_bjm)
    assert c.post(url, {"decision": "DITOLAK", "reason": " "}).status_code == 400
    service.refresh_from_db()
    assert service.status == "DIRUJUK"
    assert c.post(url, {"decision": "DITERIMA"}).status_code == 302
    service.refresh_from_db()
    assert service.status == "DITERIMA" and service.accepted_on is not None


def test_reject_a_referral_with_a_reason(unit_bjm, regency_bjm):
    case, victim = _victim(unit_bjm)
    service = service_create(
        by=unit_bjm,
        victim=victim,
        case=case,
        type="RUMAH_AMAN",
        provider_agency=regency_bjm.agency,
    )
    url = reverse("victims:referral_answer", args=[service.pk])
    response = client_for(regency_bjm).post(
        url, {"decision": "DITOLAK", "reason": "Rumah aman penuh."}
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.status == "DITOLAK" and service.rejection_reason == "Rumah aman penuh."


def test_analyst_gets_404_on_service_writes(unit_bjm, analyst):
    case, victim = _victim(unit_bjm)
    c = client_for(analyst)
    url = reverse("victims:service_create", args=[victim.pk])
    assert c.get(url).status_code == 404
    assert c.post(url, {"case": case.pk, "type": "RUMAH_AMAN"}).status_code == 404
    assert VictimService.objects.count() == 0


def test_service_form_refuses_bad_input_with_field_messages(unit_bjm):
    case, victim = _victim(unit_bjm)
    response = client_for(unit_bjm).post(
        reverse("victims:service_create", args=[victim.pk]),
        {
            "case": case.pk,
            "type": "NOPE",
            "provider_agency": unit_bjm.agency_id,
            "referred_on": "2099-01-01",
        },
    )
    assert response.status_code == 400
    assert "type" in response.context["form"].errors
    assert VictimService.objects.count() == 0


@pytest.mark.parametrize("rows", [1, 6])
def test_list_query_budget(unit_bjm, rows, django_assert_num_queries, overhead):
    for _ in range(rows):
        make_case(unit_bjm, victims=2)
    c = client_for(unit_bjm)
    # 1 count for the paginator, 2 the page of victims with their home regency
    with django_assert_num_queries(overhead(c) + 2):
        assert c.get(reverse("victims:list")).status_code == 200


@pytest.mark.parametrize("services", [1, 5])
def test_detail_query_budget(unit_bjm, services, django_assert_num_queries, overhead):
    case, victim = _victim(unit_bjm)
    for _ in range(services):
        service_create(
            by=unit_bjm, victim=victim, case=case, type="ASESMEN", provider_agency=unit_bjm.agency
        )
    c = client_for(unit_bjm)
    c.post(reverse("victims:identity", args=[victim.pk]))
    # 1 the victim (in scope) with home regency and identifying agency, 2 its visible
    # cases, 3 services, 4 whether the identity may be shown (the rule, with consent),
    # 5 consents, 6 the access log with users and agencies
    with django_assert_num_queries(overhead(c) + 6):
        assert c.get(reverse("victims:detail", args=[victim.pk])).status_code == 200
