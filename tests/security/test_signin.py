"""Sign-in hardening: lockout after repeated failures (per username and address, plus a
ceiling per address), the province's unlock page, inactive agencies, strong passwords,
security headers."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, username, password, ip="10.1.2.3"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_the_nth_failure_locks_the_username_at_that_address(client, unit_bjm, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert attempt(client, unit_bjm.username, "salah").status_code == 200
    locked = attempt(client, unit_bjm.username, "salah")
    assert locked.status_code == 429
    # How long, and no claim that "your account" is locked (a colleague may read it).
    assert "30 menit" in locked.text
    assert "akun Anda" not in locked.text and "akun ini" not in locked.text
    right = attempt(client, unit_bjm.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # The officer signs in from another address (another office, a phone) meanwhile.
    assert attempt(client, unit_bjm.username, PASSWORD, ip="10.9.9.9").status_code == 302


def test_the_last_attempt_is_announced(client, unit_bjm, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 2):
        page = attempt(client, unit_bjm.username, "salah")
        assert "Satu percobaan lagi" not in page.text
    warned = attempt(client, unit_bjm.username, "salah")
    assert warned.status_code == 200
    assert "Satu percobaan lagi sebelum nama pengguna ini dikunci 30 menit" in warned.text


def test_colleagues_behind_the_same_address_still_sign_in(client, unit_bjm, outsider, settings):
    """One officer's typos do not lock a whole Polres behind its NAT (#13.11)."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, unit_bjm.username, "salah", ip="10.5.5.5")
    assert attempt(client, unit_bjm.username, PASSWORD, ip="10.5.5.5").status_code == 429
    assert attempt(client, outsider.username, PASSWORD, ip="10.5.5.5").status_code == 302


def test_many_usernames_from_one_address_lock_the_address(client, outsider, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 3 * settings.AXES_FAILURE_LIMIT
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        assert attempt(client, f"tebakan{i}", "salah", ip="10.5.5.5").status_code == 200
    last = attempt(client, "tebakan-terakhir", "salah", ip="10.5.5.5")
    assert last.status_code == 429
    assert "alamat jaringan ini" in last.text and "30 menit" in last.text
    assert attempt(client, outsider.username, PASSWORD, ip="10.5.5.5").status_code == 429
    # ... while the same account signs in from elsewhere.
    ok = attempt(client, outsider.username, PASSWORD, ip="10.6.6.6")
    assert ok.status_code == 302


def test_the_default_address_ceiling_is_much_higher_than_the_username_limit(settings):
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_ADDRESS_FAILURE_LIMIT >= 10 * settings.AXES_FAILURE_LIMIT


# --- The province lifts a lock ------------------------------------------------------------


def lock(client, username, ip, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, username, "salah", ip=ip)


def test_the_province_lists_and_lifts_a_lock(client, unit_bjm, province, settings):
    lock(client, unit_bjm.username, "10.5.5.5", settings)
    assert attempt(client, unit_bjm.username, PASSWORD, ip="10.5.5.5").status_code == 429
    staff = client_for(province)
    page = staff.get(reverse("lockouts"))
    assert page.status_code == 200
    assert unit_bjm.username in page.text and "10.5.5.5" in page.text
    unlocked = staff.post(
        reverse("lockout_unlock"), {"ip_address": "10.5.5.5", "username": unit_bjm.username}
    )
    assert unlocked.status_code == 302
    assert unit_bjm.username not in staff.get(reverse("lockouts")).text
    assert attempt(Client(), unit_bjm.username, PASSWORD, ip="10.5.5.5").status_code == 302


def test_the_province_lifts_an_address_lock(client, outsider, province, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 2 * settings.AXES_FAILURE_LIMIT
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        attempt(client, f"tebakan{i}", "salah", ip="10.5.5.5")
    staff = client_for(province)
    assert "10.5.5.5" in staff.get(reverse("lockouts")).text
    staff.post(reverse("lockout_unlock"), {"ip_address": "10.5.5.5"})
    assert attempt(Client(), outsider.username, PASSWORD, ip="10.5.5.5").status_code == 302


def test_a_bad_unlock_request_changes_nothing(client, unit_bjm, province, settings):
    lock(client, unit_bjm.username, "10.5.5.5", settings)
    response = client_for(province).post(reverse("lockout_unlock"), {"ip_address": "bukan\x00ip"})
    assert response.status_code == 302
    assert attempt(Client(), unit_bjm.username, PASSWORD, ip="10.5.5.5").status_code == 429


@pytest.mark.parametrize("persona", ["unit_bjm", "regency_bjm", "analyst"])
def test_the_lockout_page_is_not_there_for_others(persona, request, client, outsider, settings):
    lock(client, outsider.username, "10.5.5.5", settings)
    other = client_for(request.getfixturevalue(persona))
    assert other.get(reverse("lockouts")).status_code == 404
    response = other.post(
        reverse("lockout_unlock"), {"ip_address": "10.5.5.5", "username": outsider.username}
    )
    assert response.status_code == 404
    assert attempt(Client(), outsider.username, PASSWORD, ip="10.5.5.5").status_code == 429


# --- An inactive agency (#14.9) -----------------------------------------------------------


def test_an_inactive_agencys_users_cannot_sign_in(client, unit_bjm):
    unit_bjm.agency.is_active = False
    unit_bjm.agency.save(update_fields=["is_active"])
    page = attempt(client, unit_bjm.username, PASSWORD)
    assert page.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in page.text
    assert "_auth_user_id" not in client.session


def test_an_open_session_ends_when_the_agency_is_deactivated(unit_bjm):
    session = client_for(unit_bjm)
    assert session.get(reverse("home")).status_code == 200
    unit_bjm.agency.is_active = False
    unit_bjm.agency.save(update_fields=["is_active"])
    assert session.get(reverse("home")).status_code == 302
    assert session.get("/api/v1/cases/").status_code in (401, 403)


def test_an_inactive_agencys_cases_stay_with_the_regency_and_the_province(
    unit_bjm, regency_bjm, province
):
    from cases.models import Case
    from tests.factories import make_case

    case = make_case(unit_bjm)
    unit_bjm.agency.is_active = False
    unit_bjm.agency.save(update_fields=["is_active"])
    assert Case.objects.visible_to(regency_bjm).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(province).filter(pk=case.pk).exists()
    assert client_for(regency_bjm).get(f"/kasus/{case.pk}/").status_code == 200
    assert client_for(province).get(f"/kasus/{case.pk}/").status_code == 200


def test_success_before_the_limit_resets_the_count(client, unit_bjm, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, unit_bjm.username, "salah")
    assert attempt(client, unit_bjm.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, unit_bjm.username, "salah")
    assert attempt(client, unit_bjm.username, PASSWORD).status_code == 302


@pytest.mark.parametrize("weak", ["pendek", "password123", "1234567890123", "petugas-bjm"])
def test_weak_passwords_are_refused(weak, unit_bjm):
    unit_bjm.username = "petugas-bjm"
    with pytest.raises(ValidationError):
        validate_password(weak, user=unit_bjm)
    validate_password("Kalsel-Aman-Untuk-Anak-2026", user=unit_bjm)


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
