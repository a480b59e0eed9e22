"""Concurrent submissions carrying the same new NIK (#14 item 11): once 6 of 12 got 500
(check-then-insert). Now the identity's constraint lets one first holder in; the others
look again and get what a later retry would: the same person, or (out of scope) a new
one and a duplicate candidate. PostgreSQL only (SQLite serialises writers)."""

import threading

import pytest

from tests.api.helpers import api_client, case_payload, victim_payload
from tests.api.test_concurrency import race
from tests.conftest import requires_postgres
from victims.models import DuplicateCandidate, Victim, VictimIdentity

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

NIK = "6371014509050777"


def payload():
    return case_payload(victims=[victim_payload(identity={"full_name": "X", "nik": NIK})])


def submit_all(clients: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Each (label, client) posts a case at the same moment; (label, response) pairs."""
    slots = iter(clients)
    lock = threading.Lock()

    def submit():
        with lock:
            label, client = next(slots)
        return label, client.post("/api/v1/cases/", payload(), format="json")

    return race(len(clients), submit)


def test_twelve_cases_with_the_same_new_nik_at_once_make_one_person(unit_bjm):
    answers = submit_all([("bjm", api_client(unit_bjm)) for _ in range(12)])
    responses = [r for _label, r in answers]

    assert [r.status_code for r in responses] == [201] * 12, [r.content[:300] for r in responses]
    victims = [r.json()["victims"][0] for r in responses]
    assert len({v["code"] for v in victims}) == 1
    assert sorted(v["matched_existing"] for v in victims) == [False] + [True] * 11
    assert Victim.objects.count() == 1
    assert Victim.objects.get().case_links.count() == 12
    assert DuplicateCandidate.objects.count() == 0


def test_the_same_new_nik_from_two_scopes_at_once_makes_two_people_and_one_candidate(
    unit_bjm, outsider
):
    clients = [("bjm", api_client(unit_bjm)) for _ in range(3)]
    clients += [("tanbu", api_client(outsider)) for _ in range(3)]
    answers = submit_all(clients)

    assert [r.status_code for _l, r in answers] == [201] * 6, [r.content[:300] for _l, r in answers]
    codes = {
        label: {r.json()["victims"][0]["code"] for lab, r in answers if lab == label}
        for label in ("bjm", "tanbu")
    }
    # Each unit's three cases share its own victim; the two units never share one.
    assert len(codes["bjm"]) == len(codes["tanbu"]) == 1
    assert codes["bjm"] != codes["tanbu"]
    assert Victim.objects.count() == 2
    assert VictimIdentity.objects.filter(nik_primary=True).count() == 1
    candidate = DuplicateCandidate.objects.get()
    assert candidate.existing_victim.identity.nik_primary is True
    assert candidate.new_victim.identity.nik_primary is False
