"""Register numbers stay unique and gap-free under concurrent creation (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from cases.models import Case
from tests.conftest import requires_postgres
from tests.factories import make_case

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_cases_created_at_the_same_moment_get_gap_free_numbers(unit_bjm):
    start = threading.Barrier(20)
    errors: list[BaseException] = []

    def create():
        try:
            start.wait()
            make_case(unit_bjm, victims=1, perpetrators=0)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    numbers = sorted(Case.objects.values_list("register_no", flat=True))
    assert numbers == [f"TPPO-6371-2026-{n:04d}" for n in range(1, 21)]
    codes = sorted(c for c in Case.objects.values_list("victim_links__victim__code", flat=True))
    assert len(set(codes)) == 20


def test_a_failed_creation_leaves_no_gap(unit_bjm):
    from django.core.exceptions import ValidationError

    from tests.factories import victim_data

    make_case(unit_bjm)
    bad = victim_data()
    bad["identity"]["nik"] = "123"
    with pytest.raises(ValidationError):
        make_case(unit_bjm, victims=[victim_data(), victim_data(), bad])
    assert make_case(unit_bjm).register_no == "TPPO-6371-2026-0002"
