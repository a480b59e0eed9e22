from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from agencies.models import ApiToken as Token
from agencies.models import Role
from tests.api.helpers import api_client
from tests.conftest import agency, client_for
from tests.factories import PASSWORD, UserFactory

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
    listing = client.get("/admin/agencies/apitoken/")
    assert listing.status_code == 200
    assert unit_bjm.username in listing.content.decode()
    assert key not in listing.content.decode()  # only its first characters
    assert key[:6] in listing.content.decode()

    token = Token.objects.get(user=unit_bjm)
    assert key not in client.get(f"/admin/agencies/apitoken/{token.pk}/change/").text
    response = client.post(f"/admin/agencies/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=unit_bjm).exists()


def test_other_staff_cannot_see_tokens(province, unit_bjm):
    issue(unit_bjm.username)
    staff = UserFactory(role=province.role, agency=province.agency, is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__model="apitoken", content_type__app_label="agencies"
        )
    )
    response = client_for(staff).get("/admin/agencies/apitoken/")
    assert response.status_code == 403


# --- Expiry and last use (#13.2) -------------------------------------------------------------

CASES = "/api/v1/cases/"


def token_client(key: str):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_expires_after_the_configured_days(unit_bjm, settings):
    settings.TOKEN_TTL_DAYS = 30
    before = timezone.now()
    key = issue(unit_bjm.username)
    token = Token.objects.get(key=key)
    assert before + timedelta(days=30) <= token.expires_at <= timezone.now() + timedelta(days=30)
    client = token_client(key)
    assert client.get(CASES).status_code == 200
    Token.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(CASES)
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert set(response.json()) == {"detail", "code"}


def test_a_token_records_when_it_was_last_used(unit_bjm):
    key = issue(unit_bjm.username)
    assert Token.objects.get(key=key).last_used_at is None
    token_client(key).get(CASES)
    used = Token.objects.get(key=key).last_used_at
    assert used is not None and timezone.now() - used < timedelta(minutes=1)


# --- Who may hold one -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.ADMIN])
def test_no_token_is_issued_to_a_role_that_requires_the_second_factor(role, settings):
    settings.OTP_REQUIRED_ROLES = ["PROVINCE", "ADMIN"]
    user = UserFactory(role=role, agency=agency("DP3AKB Provinsi Kalimantan Selatan"))
    with pytest.raises(CommandError, match="verifikasi dua langkah"):
        issue(user.username)
    assert not Token.objects.filter(user=user).exists()


def test_a_superuser_gets_no_token_when_administrators_need_the_second_factor(admin_user, settings):
    settings.OTP_REQUIRED_ROLES = ["ADMIN"]
    with pytest.raises(CommandError):
        issue(admin_user.username)


def test_an_old_token_of_such_a_role_is_refused(province, settings):
    key = issue(province.username)  # issued before the rule was set
    settings.OTP_REQUIRED_ROLES = ["PROVINCE", "ADMIN"]
    response = token_client(key).get(CASES)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_unit_service_user_keeps_its_token_when_the_second_factor_is_required(unit_bjm, settings):
    """The page middleware's exemption of /api/ still lets token clients in, even for a user
    who has set up a device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_REQUIRED_ROLES = ["PROVINCE", "ADMIN"]
    TOTPDevice.objects.create(user=unit_bjm, name="hp", confirmed=True)
    client = token_client(issue(unit_bjm.username))
    assert client.get(CASES).status_code == 200
    from tests.api.helpers import case_payload

    assert client.post(CASES, case_payload(), format="json").status_code == 201


# --- Revocation ---------------------------------------------------------------------------


def test_a_password_change_revokes_the_token(unit_bjm):
    client = token_client(issue(unit_bjm.username))
    unit_bjm.set_password("Kata-Sandi-Baru-2026!")
    unit_bjm.save()
    assert client.get(CASES).status_code == 401
    assert not Token.objects.filter(user=unit_bjm).exists()


def test_the_password_change_page_revokes_the_token(unit_bjm):
    client = token_client(issue(unit_bjm.username))
    page = client_for(unit_bjm).post(
        "/kata-sandi/",
        {
            "old_password": PASSWORD,
            "new_password1": "Kalsel-Aman-Untuk-Anak-2026",
            "new_password2": "Kalsel-Aman-Untuk-Anak-2026",
        },
    )
    assert page.status_code == 302
    assert client.get(CASES).status_code == 401


def test_the_admin_password_change_revokes_the_token(admin_user, unit_bjm):
    client = token_client(issue(unit_bjm.username))
    response = client_for(admin_user).post(
        f"/admin/agencies/user/{unit_bjm.pk}/password/",
        {"password1": "Kalsel-Aman-Untuk-Anak-2026", "password2": "Kalsel-Aman-Untuk-Anak-2026"},
    )
    assert response.status_code == 302
    assert client.get(CASES).status_code == 401


def test_deactivating_a_user_revokes_the_token(unit_bjm):
    issue(unit_bjm.username)
    unit_bjm.is_active = False
    unit_bjm.save(update_fields=["is_active"])
    assert not Token.objects.filter(user=unit_bjm).exists()


def test_other_saves_keep_the_token(unit_bjm):
    key = issue(unit_bjm.username)
    unit_bjm.first_name = "Nama Baru"
    unit_bjm.save()
    client_for(unit_bjm)  # signing in writes last_login
    assert token_client(key).get(CASES).status_code == 200


# --- An inactive agency (#14.9) ---------------------------------------------------------------


def test_the_token_of_an_inactive_agencys_user_is_refused(unit_bjm):
    client = token_client(issue(unit_bjm.username))
    assert client.get(CASES).status_code == 200
    unit_bjm.agency.is_active = False
    unit_bjm.agency.save(update_fields=["is_active"])
    assert client.get(CASES).status_code == 401
    from tests.api.helpers import case_payload

    assert client.post(CASES, case_payload(), format="json").status_code == 401


def test_no_token_is_issued_to_an_inactive_agencys_user(unit_bjm):
    unit_bjm.agency.is_active = False
    unit_bjm.agency.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        issue(unit_bjm.username)
