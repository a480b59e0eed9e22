"""Syncing follows the server's clock (#14.13): every list page carries `sync_from`, the
server's high-water mark, and a sync that starts from it sees every change made after the
read, whatever the unit's own clock says."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from cases.services import case_update
from core.api.errors import SYNC_OVERLAP
from tests.api.helpers import api_client
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_every_list_carries_the_servers_mark(unit_bjm):
    make_case(unit_bjm)
    client = api_client(unit_bjm)
    before = timezone.now()
    for url in ("/api/v1/cases/", "/api/v1/victims/", "/api/v1/perpetrators/", "/api/v1/agencies/"):
        page = client.get(url).json()
        mark = datetime.fromisoformat(page["sync_from"])
        assert before - SYNC_OVERLAP - timedelta(seconds=5) <= mark <= timezone.now(), url


def test_a_change_after_the_read_is_in_the_next_sync_from_the_mark(unit_bjm):
    client = api_client(unit_bjm)
    case = make_case(unit_bjm)
    first = client.get("/api/v1/cases/", {"ordering": "id"}).json()
    assert [r["id"] for r in first["results"]] == [case.pk]
    case_update(by=unit_bjm, case=case, version=1, summary="Diubah setelah dibaca.")
    # A unit whose clock runs an hour ahead would have asked from its own "now" and missed it.
    ahead = (timezone.now() + timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/cases/", {"updated_since": ahead}).json()["results"] == []
    again = client.get("/api/v1/cases/", {"updated_since": first["sync_from"]}).json()
    assert [r["summary"] for r in again["results"]] == ["Diubah setelah dibaca."]


def test_the_schema_documents_the_mark(unit_bjm):
    schema = api_client(unit_bjm).get("/api/v1/schema/", {"format": "json"}).json()
    page = schema["components"]["schemas"]["PaginatedCaseList"]
    assert "sync_from" in page["required"]
    assert page["properties"]["sync_from"]["format"] == "date-time"
