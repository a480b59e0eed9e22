"""The database connection drops in the middle of a submission: an error, nothing partial."""

import psycopg2
import pytest
from django.apps import apps
from django.db import DatabaseError, connection

import cases.services
from cases.models import Case
from core.models import Counter
from tests.conftest import requires_postgres
from tests.factories import make_case

# Every table a submission writes to, history tables included.
APPS = ("cases", "victims", "tppo")


def snapshot() -> dict:
    counts = {
        model._meta.label: model.objects.count()
        for name in APPS
        for model in apps.get_app_config(name).get_models()
    }
    counts["counters"] = dict(Counter.objects.values_list("key", "last"))
    return counts


def fail_at_the_first_perpetrator(monkeypatch, fault):
    """Run `fault` when case_create reaches the perpetrators: the case, its codes, its
    timeline, its victims and their identities have been inserted by then."""
    original = cases.services.involvement_create
    reached = []

    def step(**kwargs):
        assert Case.objects.filter(pk=kwargs["case"].pk).exists()  # rows were written
        reached.append(True)
        fault()
        return original(**kwargs)

    monkeypatch.setattr(cases.services, "involvement_create", step)
    return reached


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_mid_submission_leaves_nothing(unit_bjm, monkeypatch):
    make_case(unit_bjm)
    before = snapshot()
    pid = connection.connection.info.backend_pid

    def kill_the_connection():
        s = connection.settings_dict
        other = psycopg2.connect(
            dbname=s["NAME"],
            user=s["USER"],
            password=s["PASSWORD"],
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
        )
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                assert cursor.fetchone() == (True,)
        finally:
            other.close()

    reached = fail_at_the_first_perpetrator(monkeypatch, kill_the_connection)
    with pytest.raises(DatabaseError) as error:
        make_case(unit_bjm, victims=3, perpetrators=2)
    assert reached
    assert "terminat" in str(error.value) or "closed" in str(error.value)
    monkeypatch.undo()

    connection.close()  # the dead connection; the next query opens a new one
    assert connection.connection is None
    assert snapshot() == before  # read on a new connection
    # The numbering carries on without a gap: the killed submission's number was never issued.
    assert make_case(unit_bjm).register_no == "TPPO-6371-2026-0002"


@pytest.mark.django_db(transaction=True)
def test_a_database_error_mid_submission_leaves_nothing(unit_bjm, monkeypatch):
    """The same on any database (SQLite too): a failure after rows were written undoes them."""
    from django.db import OperationalError

    make_case(unit_bjm)
    before = snapshot()

    def fail():
        raise OperationalError("server closed the connection unexpectedly")

    reached = fail_at_the_first_perpetrator(monkeypatch, fail)
    with pytest.raises(OperationalError):
        make_case(unit_bjm, victims=3, perpetrators=2)
    assert reached
    monkeypatch.undo()
    assert snapshot() == before
    assert make_case(unit_bjm).register_no == "TPPO-6371-2026-0002"
