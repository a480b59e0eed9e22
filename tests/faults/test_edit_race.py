"""Two edits of one case based on the same version race: one wins, the other is refused."""

import threading

import pytest
from django.db import connection

from cases.models import Case
from cases.services import StaleVersion, case_update
from tests.conftest import requires_postgres
from tests.factories import make_case

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def race(edits: list[tuple]) -> tuple[list, list]:
    """Run the edits in threads released at the same moment; return (winners, refusals)."""
    start = threading.Barrier(len(edits))
    won, refused, errors = [], [], []

    def edit(by, case_pk, version, summary):
        try:
            case = Case.objects.get(pk=case_pk)
            start.wait()
            case_update(by=by, case=case, version=version, summary=summary)
            won.append(summary)
        except StaleVersion as exc:
            refused.append((summary, exc.current))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=args) for args in edits]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return won, refused


def test_exactly_one_of_two_racing_edits_wins(unit_bjm, regency_bjm):
    for _round in range(5):
        case = make_case(unit_bjm)
        v = case.version
        won, refused = race(
            [
                (unit_bjm, case.pk, v, "Perubahan oleh unit."),
                (regency_bjm, case.pk, v, "Perubahan oleh kabupaten."),
            ]
        )
        assert len(won) == 1 and len(refused) == 1
        assert refused[0][1] == v + 1  # the loser is told the version it missed
        stored = Case.objects.get(pk=case.pk)
        assert (stored.summary, stored.version) == (won[0], v + 1)


def test_of_many_racing_edits_one_wins(unit_bjm, regency_bjm, province):
    case = make_case(unit_bjm)
    v = case.version
    people = [unit_bjm, regency_bjm, province] * 3
    won, refused = race([(by, case.pk, v, f"Versi {i}.") for i, by in enumerate(people)])
    assert len(won) == 1 and len(refused) == len(people) - 1
    stored = Case.objects.get(pk=case.pk)
    assert (stored.summary, stored.version) == (won[0], v + 1)
