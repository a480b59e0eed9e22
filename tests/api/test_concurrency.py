"""Racing clients on PostgreSQL: retries never duplicate a case, concurrent edits never
overwrite each other silently."""

import threading

import pytest
from django.db import connection

from cases.models import Case
from tests.api.helpers import api_client, case_payload
from tests.conftest import requires_postgres
from tests.factories import make_case
from victims.models import Victim

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def race(n: int, request) -> list:
    """Run `request()` in n threads released at the same moment; their responses."""
    barrier = threading.Barrier(n)
    responses = [None] * n

    def run(i):
        try:
            barrier.wait()
            responses[i] = request()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_ten_identical_submissions_at_once_leave_one_case(unit_bjm):
    payload = case_payload(n_victims=2)
    clients = [api_client(unit_bjm) for _ in range(10)]
    slots = iter(clients)
    lock = threading.Lock()

    def submit():
        with lock:
            client = next(slots)
        return client.post("/api/v1/cases/", payload, format="json")

    responses = race(10, submit)

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 9 + [201], [r.content[:200] for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Case.objects.count() == 1
    assert Victim.objects.count() == 2
    assert Case.objects.get().register_no.endswith("-0001")


def test_two_concurrent_updates_from_one_version_one_wins(unit_bjm, regency_bjm):
    case = make_case(unit_bjm)
    clients = iter([(api_client(unit_bjm), "LP/A"), (api_client(regency_bjm), "LP/B")])
    lock = threading.Lock()

    def update():
        with lock:
            client, number = next(clients)
        return client.patch(
            f"/api/v1/cases/{case.pk}/",
            {"version": 1, "police_report_no": number},
            format="json",
        )

    responses = race(2, update)

    assert sorted(r.status_code for r in responses) == [200, 409]
    winner = next(r for r in responses if r.status_code == 200).json()
    loser = next(r for r in responses if r.status_code == 409).json()
    assert loser["current_version"] == 2
    case.refresh_from_db()
    assert (case.police_report_no, case.version) == (winner["police_report_no"], 2)


def test_linking_the_same_perpetrator_twice_at_once_is_one_link_and_no_500(unit_bjm, outsider):
    """#14.11: two officers link the same recorded person to a case at the same moment;
    the constraint decides, and the loser is told the person is already in the case."""
    from django.core.exceptions import ValidationError

    from cases.models import Involvement
    from cases.services import involvement_create

    case = make_case(unit_bjm, perpetrators=0)
    person = make_case(unit_bjm).involvements.get().perpetrator
    outcomes = []

    def link():
        try:
            involvement_create(by=unit_bjm, case=case, perpetrator=person, roles=["PEREKRUT"])
            outcomes.append("linked")
        except ValidationError as exc:
            outcomes.append(("refused", list(exc.message_dict)))

    race(6, link)
    assert sorted(map(str, outcomes)) == sorted(
        ["linked"] + [str(("refused", ["perpetrator"]))] * 5
    )
    assert Involvement.objects.filter(case=case, perpetrator=person).count() == 1
