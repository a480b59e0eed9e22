"""Identities: encrypted at rest, keys rotate, the same person is found by NIK, every view logged."""

import base64
import io
import secrets

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection
from django.http import Http404

from audit.models import IdentityAccess
from core.crypto import _fernet
from tests.factories import make_case, victim_data
from victims.models import Victim, VictimIdentity
from victims.services import identity_erase, identity_read

pytestmark = pytest.mark.django_db

NAME, NIK = "Nur Aisyah Putri", "6371014509050003"


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def raw_identity_row(victim_id: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, nik, birth_date, phone, address FROM victims_victimidentity "
            "WHERE victim_id = %s",
            [victim_id],
        )
        return cursor.fetchone()


def case_with_identity(user, **identity):
    data = victim_data()
    data["identity"] = {**data["identity"], "full_name": NAME, "nik": NIK, **identity}
    case = make_case(user, victims=[data])
    return case, case.victim_links.get().victim


def test_the_database_holds_no_plaintext_name_or_nik(unit_bjm):
    _case, victim = case_with_identity(unit_bjm)
    row = raw_identity_row(victim.pk)
    raw = " ".join(str(v) for v in row)
    assert NAME not in raw and NIK not in raw and "2004-03-01" not in raw
    assert all(str(v).startswith("gAAAA") for v in row)  # Fernet tokens
    assert VictimIdentity.objects.get(victim=victim).full_name == NAME
    # Nor the history tables or the victim row.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM victims_victim WHERE id = %s", [victim.pk])
        assert NAME not in str(cursor.fetchone())


def test_an_identity_under_an_old_key_still_reads_after_a_new_key(unit_bjm, settings):
    _case, victim = case_with_identity(unit_bjm)
    old = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [new_key(), *old]
    _fernet.cache_clear()
    assert VictimIdentity.objects.get(victim=victim).nik == NIK


def test_reencrypt_leaves_nothing_under_the_old_key(unit_bjm, settings):
    _case, victim = case_with_identity(unit_bjm)
    old = list(settings.FIELD_ENCRYPTION_KEYS)
    fresh = new_key()
    settings.FIELD_ENCRYPTION_KEYS = [fresh, *old]
    _fernet.cache_clear()
    call_command("reencrypt_identities", stdout=io.StringIO())
    for token in raw_identity_row(victim.pk):
        if not token:
            continue
        Fernet(fresh).decrypt(token.encode())  # readable with the new key alone
        with pytest.raises(InvalidToken):
            Fernet(old[0]).decrypt(token.encode())
    settings.FIELD_ENCRYPTION_KEYS = [fresh]  # the old key can go
    _fernet.cache_clear()
    assert VictimIdentity.objects.get(victim=victim).full_name == NAME


def test_the_same_nik_in_two_cases_of_one_scope_is_the_same_person(unit_bjm, regency_bjm):
    first, victim = case_with_identity(unit_bjm)
    second, again = case_with_identity(regency_bjm, nik="6371-0145-0905-0003")  # same digits
    assert again.pk == victim.pk
    assert set(victim.case_links.values_list("case_id", flat=True)) == {first.pk, second.pk}
    assert second.victim_links.get().matched_existing is True
    assert Victim.objects.count() == 1


def test_the_same_nik_outside_the_scope_is_a_new_person_and_a_candidate(unit_bjm, outsider):
    # Formerly linked to the outsider's case (and her identity readable by it): #13 item 1.
    from victims.models import DuplicateCandidate

    first, victim = case_with_identity(unit_bjm)
    second, other = case_with_identity(outsider, nik="6371-0145-0905-0003")  # same digits
    assert other.pk != victim.pk
    assert list(victim.case_links.values_list("case_id", flat=True)) == [first.pk]
    assert second.victim_links.get().matched_existing is False
    assert DuplicateCandidate.objects.filter(existing_victim=victim, new_victim=other).exists()


def test_every_identity_view_is_logged_and_analysts_get_none(unit_bjm, analyst, outsider):
    _case, victim = case_with_identity(unit_bjm)
    identity = identity_read(user=unit_bjm, victim=victim, channel="test", ip_address="10.0.0.1")
    assert identity.full_name == NAME
    log = IdentityAccess.objects.get()
    assert (log.user, log.victim, log.channel, log.ip_address) == (
        unit_bjm,
        victim,
        "test",
        "10.0.0.1",
    )
    for user in (analyst, outsider):
        with pytest.raises(Http404):
            identity_read(user=user, victim=victim, channel="test")
    assert IdentityAccess.objects.count() == 1


def test_the_access_log_is_append_only(unit_bjm):
    _case, victim = case_with_identity(unit_bjm)
    identity_read(user=unit_bjm, victim=victim, channel="test")
    entry = IdentityAccess.objects.get()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        IdentityAccess.objects.all().delete()
    with pytest.raises(PermissionError):
        IdentityAccess.objects.update(channel="x")


@pytest.mark.skipif(
    not __import__("os").environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the trigger exists on PostgreSQL",
)
def test_the_database_refuses_to_change_the_access_log(unit_bjm):
    from django.db import DatabaseError, transaction

    _case, victim = case_with_identity(unit_bjm)
    identity_read(user=unit_bjm, victim=victim, channel="test")
    for sql in (
        "UPDATE victims_identityaccess SET channel = 'x'",
        "DELETE FROM victims_identityaccess",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert IdentityAccess.objects.get().channel == "test"


def test_erasure_removes_the_identity_keeps_the_statistics_and_is_logged(unit_bjm, province):
    case, victim = case_with_identity(unit_bjm)
    identity_erase(by=province, victim=victim)
    identity = VictimIdentity.objects.get(victim=victim)
    assert (identity.full_name, identity.nik, identity.nik_hash) == ("", "", "")
    assert identity.erased_at is not None
    assert Victim.objects.get(pk=victim.pk).sex == "P"
    assert case.victim_links.count() == 1
    assert IdentityAccess.objects.get().channel == IdentityAccess.ERASURE
