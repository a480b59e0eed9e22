"""Key rotation cannot lose identities: `reencrypt_identities --verify` proves every field
decrypts with the first key alone before an older key is removed; /healthz and the
database deploy check say when the keys in use do not fit the identities stored."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

from core.crypto import _fernet, key_fingerprint
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def keys(settings, *values):
    settings.FIELD_ENCRYPTION_KEYS = list(values)
    _fernet.cache_clear()


@pytest.fixture
def old_key(settings):
    key = settings.FIELD_ENCRYPTION_KEYS[0]
    yield key
    _fernet.cache_clear()


def test_verify_refuses_while_an_identity_is_under_an_older_key(unit_bjm, settings, old_key):
    make_case(unit_bjm, victims=2)
    new = Fernet.generate_key().decode()
    keys(settings, new, old_key)
    with pytest.raises(CommandError, match="2 of 2 identities do not decrypt"):
        call_command("reencrypt_identities", "--verify", stdout=io.StringIO())
    out = io.StringIO()
    call_command("reencrypt_identities", stdout=out)
    assert "Verified: all 2 identities decrypt with the first key" in out.getvalue()


def test_verify_finds_what_a_process_with_the_old_keys_wrote_after_the_rotation(
    unit_bjm, settings, old_key
):
    """The lost-identities case: a web process still running with the old key list keeps
    writing under the old key after re-encryption; --verify must catch it."""
    new = Fernet.generate_key().decode()
    make_case(unit_bjm)
    keys(settings, new, old_key)
    call_command("reencrypt_identities", stdout=io.StringIO())
    keys(settings, old_key)  # a process that was only restarted, not recreated
    make_case(unit_bjm)
    keys(settings, new, old_key)
    with pytest.raises(CommandError, match="1 of 2 identities"):
        call_command("reencrypt_identities", "--verify", stdout=io.StringIO())


def test_healthz_names_the_key_and_fails_when_identities_do_not_decrypt(
    client, unit_bjm, settings, old_key
):
    make_case(unit_bjm)
    ok = client.get("/healthz").json()
    assert ok["checks"]["identities"] == "ok"
    assert ok["encryption_key"] == key_fingerprint() and len(ok["encryption_key"]) == 12
    assert old_key not in str(ok)
    keys(settings, Fernet.generate_key().decode())  # a restore under the wrong key
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["identities"] == "error"


def test_the_database_deploy_check_fails_under_the_wrong_key(unit_bjm, settings, old_key):
    make_case(unit_bjm)
    call_command("check", "--database", "default", stdout=io.StringIO())
    keys(settings, Fernet.generate_key().decode())
    with pytest.raises(SystemCheckError, match=r"tppo\.E001"):
        call_command("check", "--database", "default", stdout=io.StringIO())
