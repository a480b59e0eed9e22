"""Idempotency cannot be defeated (#14.6): a submission needs its reference, the reference
never changes once set, and the fingerprint survives a change of SECRET_KEY."""

import pytest

from cases.models import Case
from tests.api.helpers import api_client, case_payload

pytestmark = pytest.mark.django_db
CASES = "/api/v1/cases/"


def test_a_submission_without_a_reference_is_refused(unit_bjm):
    payload = case_payload()
    payload.pop("external_ref")
    client = api_client(unit_bjm)
    for _attempt in range(2):
        response = client.post(CASES, payload, format="json")
        assert response.status_code == 400
        assert "external_ref" in response.json()["errors"]
    blank = client.post(CASES, {**payload, "external_ref": "  "}, format="json")
    assert blank.status_code == 400
    assert not Case.objects.exists()


def test_the_reference_cannot_be_changed_so_a_resend_finds_its_case(unit_bjm):
    client = api_client(unit_bjm)
    payload = case_payload()
    created = client.post(CASES, payload, format="json")
    assert created.status_code == 201
    case_id = created.json()["id"]
    patch = client.patch(
        f"{CASES}{case_id}/", {"version": 1, "external_ref": "LAIN-1"}, format="json"
    )
    assert patch.status_code == 400
    assert "external_ref" in patch.json()["errors"]
    again = client.post(CASES, payload, format="json")
    assert (again.status_code, again.json()["id"]) == (200, case_id)
    assert Case.objects.count() == 1


def test_a_retry_after_a_new_secret_key_is_still_a_retry(unit_bjm, settings):
    """A restore on another host, or a rotation of SECRET_KEY, must not turn every honest
    retry into a 409."""
    client = api_client(unit_bjm)
    payload = case_payload()
    first = client.post(CASES, payload, format="json")
    settings.SECRET_KEY = "another-secret-key-after-a-restore-0123456789abcdef"
    again = client.post(CASES, payload, format="json")
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
