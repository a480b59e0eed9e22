"""One error shape, translated, with no stack trace and no personal data; tokens;
throttling."""

import json

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from agencies.models import ApiToken
from cases.models import Case
from core.api.errors import exception_handler
from tests.api.helpers import api_client, case_payload

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def test_validation_errors_have_the_one_shape_in_indonesian(unit_bjm):
    response = api_client(unit_bjm).post(CASES, {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["code"] == "invalid"
    assert body["errors"]["regency"] == ["Bidang ini harus diisi."]
    assert body["errors"]["reported_on"] == ["Bidang ini harus diisi."]


def test_english_with_accept_language(unit_bjm):
    client = api_client(unit_bjm, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(CASES, {}, format="json")
    assert response.json()["errors"]["regency"] == ["This field is required."]
    assert client.get(f"{CASES}999999/").json()["detail"] == "Not found."


@pytest.mark.parametrize(
    ("field", "value"), [("nik", "6371-ABCDEFGHIJK"), ("full_name", "Nurhayati " * 60)]
)
def test_bad_identity_fields_are_refused_without_echoing_them(unit_bjm, field, value):
    payload = case_payload()
    payload["victims"][0]["identity"][field] = value
    response = api_client(unit_bjm).post(CASES, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [f"victims.0.identity.{field}"]
    assert value.split()[0][-8:] not in response.content.decode()


def test_malformed_json_is_400_in_the_shape(unit_bjm):
    response = api_client(unit_bjm).generic(
        "POST", CASES, '{"regency": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"detail", "code"}


def test_a_non_object_body_is_400(unit_bjm):
    response = api_client(unit_bjm).post(CASES, [1, 2], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


def test_form_bodies_are_refused(unit_bjm):
    response = api_client(unit_bjm).post(CASES, {"regency": "6371"})  # multipart
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_unknown_addresses_under_the_api_are_json_404(unit_bjm):
    client = api_client(unit_bjm)
    for path in ("/api/v1/nope/", "/api/v1/victims/a/b/c/", "/api/v1/cases/1.5/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"


def test_an_unexpected_error_is_a_bare_json_500():
    # Bad input never gets here (it is a 400 above); a bug answers without any detail.
    response = exception_handler(RuntimeError("secret internal detail"), {})
    assert response.status_code == 500
    assert response.data == {"detail": "Terjadi kesalahan pada server.", "code": "server_error"}


# --- Authentication ------------------------------------------------------------------------


def test_no_token_is_401(db):
    response = api_client().get(CASES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_a_wrong_token_is_401(db):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get(CASES).status_code == 401


def test_an_inactive_users_token_no_longer_works(unit_bjm):
    client = api_client(unit_bjm)
    assert client.get(CASES).status_code == 200
    unit_bjm.is_active = False
    unit_bjm.save(update_fields=["is_active"])
    response = client.get(CASES)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_browser_sessions_work_too(unit_bjm):
    from tests.conftest import client_for

    assert client_for(unit_bjm).get(CASES).status_code == 200


# --- Throttling ----------------------------------------------------------------------------


def test_throttled_clients_get_429_with_retry_after(unit_bjm, outsider, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min"})
    client = api_client(unit_bjm)
    assert [client.get(CASES).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(CASES)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"
    # Per token: another unit is not slowed down by this one.
    assert api_client(outsider).get(CASES).status_code == 200


def test_a_throttled_submission_writes_nothing(unit_bjm, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/min"})
    client = api_client(unit_bjm)
    client.get(CASES)
    assert client.post(CASES, case_payload(), format="json").status_code == 429
    assert Case.objects.count() == 0


def test_tokens_are_one_per_user(unit_bjm):
    api_client(unit_bjm)
    api_client(unit_bjm)
    assert ApiToken.objects.filter(user=unit_bjm).count() == 1


LISTS = [
    "/api/v1/regencies/",
    "/api/v1/agencies/",
    "/api/v1/cases/",
    "/api/v1/victims/",
    "/api/v1/services/",
    "/api/v1/perpetrators/",
]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_takes_updated_since(unit_bjm, path):
    client = api_client(unit_bjm)
    assert client.get(path, {"updated_since": "2026-03-01T00:00:00+08:00"}).status_code == 200
    # An offset PostgreSQL does not take is converted, not passed on.
    assert client.get(path, {"updated_since": "0655-06-10T02:06:30+19:51"}).status_code == 200
    for bad in ("kemarin", "0001-01-01T00:00:00+15:00", "9999-12-31T23:59:59-12:00"):
        response = client.get(path, {"updated_since": bad})
        assert response.status_code == 400, bad
        assert list(response.json()["errors"]) == ["updated_since"]


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_a_malformed_page_number_is_400(unit_bjm, page):
    response = api_client(unit_bjm).get(CASES, {"page": page})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page"]


def test_a_page_past_the_last_is_404(unit_bjm):
    assert api_client(unit_bjm).get(CASES, {"page": 2}).status_code == 404


# --- Bodies the parser must refuse (#13.7) --------------------------------------------------


@pytest.mark.parametrize("depth", [65, 1000, 100_000])
def test_deeply_nested_json_is_a_400(unit_bjm, depth):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(unit_bjm)
    body = "[" * depth + "]" * depth
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "64" in response.json()["detail"]
    assert not Case.objects.exists()


def test_nesting_of_64_levels_is_parsed(unit_bjm):
    from core.api.errors import json_depth_exceeds

    nested: list = []
    for _ in range(63):
        nested = [nested]
    assert not json_depth_exceeds(nested, 64)
    assert json_depth_exceeds([nested], 64)
    assert not json_depth_exceeds({"a": [1, {"b": "c"}]}, 3)


def test_a_body_over_the_upload_limit_is_a_413_in_the_error_shape(unit_bjm, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(unit_bjm)
    body = json.dumps({"summary": "x" * (1024 * 1024 + 1)})
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Data yang dikirim terlalu besar (paling banyak 1 MB).",
        "code": "payload_too_large",
    }
    assert not Case.objects.exists()
