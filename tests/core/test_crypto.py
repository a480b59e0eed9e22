"""The NIK's blind index is keyed: without NIK_HASH_KEY nobody can recompute it from a
list of NIKs, and it never holds the digits themselves."""

import hashlib
import hmac

import pytest
from django.db import connection

from core.crypto import nik_hash
from tests.factories import make_case, victim_data

NIK = "6371014509050003"


def test_the_hash_is_an_hmac_under_the_configured_key(settings):
    expected = hmac.new(settings.NIK_HASH_KEY.encode(), NIK.encode(), hashlib.sha256).hexdigest()
    assert nik_hash(NIK) == expected


def test_the_hash_is_neither_the_digits_nor_an_unkeyed_digest(settings):
    value = nik_hash(NIK)
    assert NIK not in value
    assert value != hashlib.sha256(NIK.encode()).hexdigest()
    settings.NIK_HASH_KEY = settings.NIK_HASH_KEY + "-other"
    assert nik_hash(NIK) != value  # another key, another index


@pytest.mark.django_db
def test_the_stored_index_is_the_keyed_hash_and_no_column_holds_the_nik(unit_bjm):
    data = victim_data()
    data["identity"] = {**data["identity"], "nik": NIK}
    make_case(unit_bjm, victims=[data])
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM victims_victimidentity")
        row = cursor.fetchone()
    assert nik_hash(NIK) in row
    assert not any(NIK in str(value) for value in row)
