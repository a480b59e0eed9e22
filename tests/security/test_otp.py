"""The optional second factor, required for the roles the settings name."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_without_a_device_or_requirement_no_code_is_asked(client, unit_bjm):
    sign_in(client, unit_bjm)
    assert client.get(reverse("home")).status_code == 200


def test_a_user_with_a_device_must_give_the_code(client, unit_bjm):
    device = TOTPDevice.objects.create(user=unit_bjm, name="hp", confirmed=True)
    sign_in(client, unit_bjm)
    blocked = client.get(reverse("home"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("otp_verify"))
    wrong = client.post(reverse("otp_verify"), {"token": "000000"})
    assert wrong.status_code == 200 and "Kode salah" in wrong.text
    assert client.get(reverse("home")).status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above throttles the next try
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(reverse("otp_verify"), {"token": code(device), "next": "/"})
    assert right.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_required_role_must_set_up_a_device_first(client, province, settings):
    settings.OTP_REQUIRED_ROLES = ["PROVINCE", "ADMIN"]
    sign_in(client, province)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("otp_setup")
    setup = client.get(reverse("otp_setup"))
    assert setup.status_code == 200 and "otpauth://" in setup.text
    device = TOTPDevice.objects.get(user=province, confirmed=False)
    assert client.post(reverse("otp_setup"), {"token": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200


def test_the_api_is_not_blocked_by_the_page_second_factor(client, unit_bjm):
    TOTPDevice.objects.create(user=unit_bjm, name="hp", confirmed=True)
    sign_in(client, unit_bjm)
    assert client.get("/healthz").status_code in (200, 503)


# --- The API checks the second factor itself (#13.2) -----------------------------------------


def test_a_password_only_session_of_the_province_is_refused_by_the_api(client, province, settings):
    """The page middleware lets /api/ through (tokens are for systems), so a password-only
    session must be refused by the API: no list, no identity, no write."""
    settings.OTP_REQUIRED_ROLES = ["PROVINCE", "ADMIN"]
    from tests.api.helpers import case_payload
    from tests.factories import make_case

    case = make_case(province)
    code_ = case.victim_links.get().victim.code
    sign_in(client, province)
    listing = client.get("/api/v1/cases/")
    assert listing.status_code == 403
    assert listing.json()["code"] == "otp_required"
    assert set(listing.json()) == {"detail", "code"}
    assert client.get(f"/api/v1/victims/{code_}/").status_code == 403
    write = client.post("/api/v1/cases/", case_payload(), content_type="application/json")
    assert write.status_code == 403
    assert client.get("/api/v1/schema/").status_code == 403


def test_a_verified_session_of_the_province_uses_the_api(client, province, settings):
    settings.OTP_REQUIRED_ROLES = ["PROVINCE", "ADMIN"]
    device = TOTPDevice.objects.create(user=province, name="hp", confirmed=True)
    sign_in(client, province)
    assert client.get("/api/v1/cases/").status_code == 403
    assert (
        client.post(reverse("otp_verify"), {"token": code(device), "next": "/"}).status_code == 302
    )
    assert client.get("/api/v1/cases/").status_code == 200


def test_a_session_with_a_device_but_no_code_is_refused_by_the_api(client, unit_bjm):
    TOTPDevice.objects.create(user=unit_bjm, name="hp", confirmed=True)
    sign_in(client, unit_bjm)
    assert client.get("/api/v1/cases/").status_code == 403


def test_a_session_without_requirement_or_device_uses_the_api(client, unit_bjm, settings):
    settings.OTP_REQUIRED_ROLES = ["PROVINCE", "ADMIN"]
    sign_in(client, unit_bjm)
    assert client.get("/api/v1/cases/").status_code == 200


def test_the_api_docs_send_a_session_without_the_code_to_the_code_page(client, province, settings):
    settings.OTP_REQUIRED_ROLES = ["PROVINCE", "ADMIN"]
    sign_in(client, province)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))
