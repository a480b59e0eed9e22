"""A database dump restores into a working copy whose identities read back with the keys.

This is the procedure of docs/operations.md, run for real: pg_dump, pg_restore, read."""

import shutil
import subprocess
import uuid

import psycopg2
import pytest
from django.db import connection

from core.crypto import decrypt
from tests.conftest import requires_postgres
from tests.factories import make_case, victim_data

pytestmark = [
    requires_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump and pg_restore"),
]


def test_dump_and_restore_keeps_identities_readable(unit_bjm, tmp_path):
    data = victim_data()
    data["identity"] = {**data["identity"], "full_name": "Rina Marlina", "nik": "6371015505050001"}
    case = make_case(unit_bjm, victims=[data])
    victim_id = case.victim_links.get().victim_id

    params = connection.settings_dict
    conn_args = [
        "-h",
        params["HOST"] or "127.0.0.1",
        "-p",
        str(params["PORT"] or 5432),
        "-U",
        params["USER"] or "postgres",
    ]
    dump = tmp_path / "tppo.dump"
    subprocess.run(["pg_dump", *conn_args, "-Fc", "-f", str(dump), params["NAME"]], check=True)
    restored = f"tppo_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", *conn_args, restored], check=True)
    try:
        subprocess.run(
            ["pg_restore", *conn_args, "--no-owner", "-d", restored, str(dump)], check=True
        )
        with (
            psycopg2.connect(
                host=conn_args[1], port=conn_args[3], user=conn_args[5], dbname=restored
            ) as pg,
            pg.cursor() as cursor,
        ):
            cursor.execute(
                "SELECT full_name, nik FROM victims_victimidentity WHERE victim_id = %s",
                [victim_id],
            )
            name_token, nik_token = cursor.fetchone()
            cursor.execute("SELECT register_no FROM cases_case WHERE id = %s", [case.pk])
            assert cursor.fetchone()[0] == case.register_no
        pg.close()
        assert decrypt(name_token) == "Rina Marlina"
        assert decrypt(nik_token) == "6371015505050001"
    finally:
        subprocess.run(["dropdb", *conn_args, "--if-exists", restored], check=True)
