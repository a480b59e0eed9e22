from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from tests.api.helpers import api_client
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def issue(username: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("issue_token", username, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_issue_token_prints_a_working_key(unit_bjm):
    key = issue(unit_bjm.username)
    assert Token.objects.get(user=unit_bjm).key == key
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/cases/").status_code == 200


def test_a_new_token_revokes_the_old_one(unit_bjm):
    old = issue(unit_bjm.username)
    new = issue(unit_bjm.username)
    assert old != new
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/cases/").status_code == 401


def test_revoke_only(unit_bjm):
    issue(unit_bjm.username)
    call_command("issue_token", unit_bjm.username, "--revoke", stdout=StringIO(), stderr=StringIO())
    assert not Token.objects.filter(user=unit_bjm).exists()


def test_no_token_for_unknown_or_inactive_users(unit_bjm):
    with pytest.raises(CommandError):
        issue("tidak-ada")
    unit_bjm.is_active = False
    unit_bjm.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        issue(unit_bjm.username)
    assert not Token.objects.exists()


def test_superusers_list_and_revoke_tokens_in_admin(admin_user, unit_bjm):
    key = issue(unit_bjm.username)
    client = client_for(admin_user)
    listing = client.get("/admin/authtoken/tokenproxy/")
    assert listing.status_code == 200
    assert unit_bjm.username in listing.content.decode()
    assert key not in listing.content.decode()  # only its first characters
    assert key[:6] in listing.content.decode()

    response = client.post(f"/admin/authtoken/tokenproxy/{unit_bjm.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=unit_bjm).exists()


def test_other_staff_cannot_see_tokens(province, unit_bjm):
    issue(unit_bjm.username)
    staff = UserFactory(role=province.role, agency=province.agency, is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="authtoken"))
    response = client_for(staff).get("/admin/authtoken/tokenproxy/")
    assert response.status_code == 403
