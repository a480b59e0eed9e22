"""The example client of docs/api.md works against a running server."""

import importlib.util
import io
from pathlib import Path

import pytest

from agencies.services import issue_token
from cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "unit_client.py"


def load_client():
    spec = importlib.util.spec_from_file_location("unit_client", CLIENT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_client_submits_retries_updates_and_syncs(live_server, settings, unit_bjm):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    unit_client = load_client()
    token = issue_token(user=unit_bjm).key

    seen = unit_client.demo(unit_client.Client(live_server.url, token), out=io.StringIO())

    assert seen["again"]["id"] == seen["case"]["id"]
    assert seen["updated"]["version"] == 2
    assert seen["changed"] == [seen["case"]["register_no"]]
    assert Case.objects.count() == 1
