"""Sign-in hardening: lockout after repeated failures, strong passwords, security headers."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, username, password, ip="10.1.2.3"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_the_nth_failure_locks_and_the_right_password_is_refused_while_locked(
    client, unit_bjm, settings
):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert attempt(client, unit_bjm.username, "salah").status_code == 200
    locked = attempt(client, unit_bjm.username, "salah")
    assert locked.status_code == 429
    assert "terkunci" in locked.text
    right = attempt(client, unit_bjm.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # The account is locked from another address too ...
    assert attempt(client, unit_bjm.username, PASSWORD, ip="10.9.9.9").status_code == 429


def test_the_source_address_is_locked_for_other_accounts(client, unit_bjm, outsider, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"tebakan{i}", "salah", ip="10.5.5.5")
    assert attempt(client, outsider.username, PASSWORD, ip="10.5.5.5").status_code == 429
    # ... while the same account signs in from elsewhere.
    ok = attempt(client, outsider.username, PASSWORD, ip="10.6.6.6")
    assert ok.status_code == 302


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
