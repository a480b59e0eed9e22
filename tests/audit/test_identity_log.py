"""The identity access log records who and from where, and the victim's page shows who."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import IdentityAccess
from tests.audit.conftest import NAME, case_with_victims
from tests.conftest import client_for
from victims.models import VictimIdentity
from victims.services import identity_erase

pytestmark = pytest.mark.django_db


def access_log_items(html: str) -> str:
    match = re.search(r'<ul class="[^"]*access-log[^"]*">(.*?)</ul>', html, re.S)
    assert match, "the page has no access log"
    return match.group(1)


def test_a_web_reveal_records_the_address_and_the_log_names_the_viewer(unit_bjm):
    unit_bjm.first_name, unit_bjm.last_name = "Siti", "Rahmawati"
    unit_bjm.save()
    _case, (victim,) = case_with_victims(unit_bjm)
    response = client_for(unit_bjm).post(
        reverse("victims:identity", args=[victim.pk]), REMOTE_ADDR="10.20.30.40"
    )
    assert response.status_code == 200 and NAME in response.text
    access = IdentityAccess.objects.get()
    assert (access.user, access.ip_address) == (unit_bjm, "10.20.30.40")
    assert "Siti Rahmawati" in access_log_items(response.text)


@pytest.mark.parametrize("who", ["unit_bjm", "regency_bjm"])
def test_the_erasure_service_itself_refuses_who_may_not_erase(request, unit_bjm, who):
    _case, (victim,) = case_with_victims(unit_bjm)
    with pytest.raises(PermissionDenied):
        identity_erase(by=request.getfixturevalue(who), victim=victim, reference="B-1/2026")
    assert VictimIdentity.objects.get(victim=victim).full_name == NAME
    assert not IdentityAccess.objects.exists()
