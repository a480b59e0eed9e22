"""Random sequences of stage changes, referrals and their answers, and edits with right and
stale versions, applied through the services by various personas, never leave a case in a
state the rules forbid. After every step:

- the case's stage is the last entry of its timeline, and the timeline starts at an initial
  stage; every consecutive pair is an allowed step, or a reopening by the province with a
  reason; its dates never go backwards;
- the version went up by exactly one with each successful write, and not otherwise; a
  write on another version than the stored one is refused as stale;
- every service moved only along the allowed transitions, its dates are in order and not in
  the future, and its status carries the date (and the reason) it needs;
- a refused step raises one of the services' errors (never anything that would be a 500).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cases.codes import INITIAL_STAGES, NEXT_STAGES, REOPEN_STAGES, CaseStatus, Stage
from cases.models import Case, StageEvent
from cases.services import StaleVersion, case_record_stage, case_update
from tests.factories import make_case
from victims.codes import ServiceStatus, ServiceType
from victims.models import VictimService
from victims.services import TRANSITIONS, service_create, service_transition

pytestmark = pytest.mark.django_db

# The referral lifecycle, spelled out here so that the test does not trust the table it checks.
S = ServiceStatus
SERVICE_STEPS = {
    S.DIRUJUK: {S.DITERIMA, S.DITOLAK, S.DIBATALKAN},
    S.DITERIMA: {S.BERJALAN, S.SELESAI, S.DIBATALKAN},
    S.BERJALAN: {S.SELESAI, S.DIBATALKAN},
    S.SELESAI: set(),
    S.DITOLAK: set(),
    S.DIBATALKAN: set(),
}
REFUSALS = (ValidationError, PermissionDenied, StaleVersion, Http404)
PEOPLE = ["unit_bjm", "unit_bjm", "regency_bjm", "province", "province", "outsider", "analyst"]
REOPENERS = ("PROVINCE", "ADMIN")

person = st.sampled_from(PEOPLE)
# Days after the latest date so far: negative ones must be refused; long runs reach the future.
days = st.integers(min_value=-3, max_value=12)
# Mostly one of the stages that may follow (index into the allowed list, reopening
# included; 0, the next stage down the funnel, is favoured so timelines get long),
# sometimes any stage at all.
stage_choice = st.one_of(st.sampled_from([0, 0, 0, 0, 1, 2, 3]), st.sampled_from(Stage.values))

# Mostly one of the statuses that may follow (index into the allowed ones), sometimes any.
status_choice = st.one_of(
    st.integers(min_value=0, max_value=2), st.sampled_from(ServiceStatus.values)
)
stage_step = st.tuples(st.just("stage"), person, stage_choice, days, st.booleans())
answer_step = st.tuples(
    st.just("answer"),
    st.one_of(st.just("provider"), person),  # often whoever was asked to give the service
    st.sampled_from([-1, -1, -1, 0, 1]),  # which service: mostly the latest
    status_choice,
    days,
    st.booleans(),  # with a reason
)

steps = st.lists(
    st.one_of(
        stage_step,
        stage_step,  # twice as likely: long timelines reach the late and reopened stages
        st.tuples(
            st.just("edit"),
            person,
            st.sampled_from([0, 0, 0, -1, 1, -2]),  # offset from the stored version
            st.sampled_from(["summary", "status"]),
            st.sampled_from(["Ringkasan baru.", "", "Korban dipindahkan ke rumah aman."]),
            st.sampled_from([*CaseStatus.values, "TIDAK_ADA"]),
        ),
        st.tuples(
            st.just("refer"),
            person,
            st.sampled_from(["regency_bjm", "outsider", "unit_bjm"]),  # the provider's agency
            st.sampled_from([ServiceType.RUMAH_AMAN, ServiceType.PSIKOLOGIS, ServiceType.VISUM]),
            days,
        ),
        answer_step,
        answer_step,  # twice as likely: services get to their later statuses
    ),
    min_size=15,
    max_size=40,
)


def check_timeline(case: Case) -> None:
    events = list(StageEvent.objects.filter(case=case).select_related("recorded_by").order_by("id"))
    assert events, "a case always has a timeline"
    assert events[0].stage in INITIAL_STAGES
    assert case.stage == events[-1].stage
    for before, after in itertools.pairwise(events):
        assert after.occurred_on >= before.occurred_on, "timeline dates went backwards"
        assert after.occurred_on <= timezone.localdate()
        if before.stage in REOPEN_STAGES:
            assert after.stage in REOPEN_STAGES[before.stage]
            assert after.reason.strip(), "a reopening needs a reason"
            assert after.recorded_by.role in REOPENERS, "only the province reopens"
        else:
            assert after.stage in NEXT_STAGES[before.stage]


def check_services(case: Case, before: dict[int, str]) -> dict[int, str]:
    today = timezone.localdate()
    now = {}
    for s in VictimService.objects.filter(case=case):
        if s.pk in before and s.status != before[s.pk]:
            assert s.status in SERVICE_STEPS[before[s.pk]], (before[s.pk], s.status)
        dates = [d for d in (s.referred_on, s.accepted_on, s.started_on, s.completed_on) if d]
        assert dates == sorted(dates), "service dates out of order"
        assert all(d <= today for d in [*dates, s.rejected_on] if d)
        if s.rejected_on and s.referred_on:
            assert s.rejected_on >= s.referred_on
        if s.status == ServiceStatus.DITERIMA:
            assert s.accepted_on
        if s.status == ServiceStatus.BERJALAN:
            assert s.started_on
        if s.status == ServiceStatus.SELESAI:
            assert s.completed_on and s.started_on
        if s.status == ServiceStatus.DITOLAK:
            assert s.rejected_on and s.rejection_reason.strip()
        now[s.pk] = s.status
    return now


def latest(*dates: date | None) -> date:
    return max(d for d in dates if d)


def apply(step: tuple, case: Case, people: dict, victim) -> bool:
    """Apply one step through the services; True if it was accepted."""
    kind, who, *rest = step
    by = people.get(who)
    if kind == "stage":
        choice, delta, with_reason = rest
        allowed = [
            *NEXT_STAGES.get(case.stage, ()),
            *REOPEN_STAGES.get(case.stage, ()),
        ]
        stage = allowed[choice % len(allowed)] if isinstance(choice, int) and allowed else choice
        if isinstance(stage, int):
            stage = Stage.PENYIDIKAN  # nothing may follow: try anything
        last = StageEvent.objects.filter(case=case).order_by("-id").first().occurred_on
        case_record_stage(
            by=by,
            case=case,
            stage=stage,
            occurred_on=last + timedelta(days=delta),
            reason="Bukti baru ditemukan." if with_reason else "",
        )
        return True
    if kind == "edit":
        offset, field, summary, status = rest
        value = summary if field == "summary" else status
        stale = offset != 0
        may_write = Case.objects.writable_by(by).filter(pk=case.pk).exists()
        try:
            case_update(by=by, case=case, version=case.version + offset, **{field: value})
        except StaleVersion:
            assert stale and may_write, "refused as stale although the version was right"
            raise
        except ValidationError:
            assert value == "TIDAK_ADA", "a valid edit on the right version was refused"
            raise
        except PermissionDenied:
            assert not may_write
            raise
        assert not stale, "a write on a stale version was accepted"
        return True
    if kind == "refer":
        provider, service_type, delta = rest
        last = StageEvent.objects.filter(case=case).order_by("id").first().occurred_on
        service_create(
            by=by,
            victim=victim,
            case=case,
            type=service_type,
            provider_agency=people[provider].agency,
            referred_on=last + timedelta(days=delta),
        )
        return True
    index, status, delta, with_reason = rest
    services = list(VictimService.objects.filter(case=case).order_by("id"))
    if not services:
        return False
    service = services[index % len(services)]
    if who == "provider":
        by = next(u for u in people.values() if u.agency_id == service.provider_agency_id)
    if isinstance(status, int):
        allowed = sorted(TRANSITIONS[service.status]) or [ServiceStatus.DITERIMA]
        status = allowed[status % len(allowed)]
    on = latest(
        service.referred_on,
        service.accepted_on,
        service.started_on,
        service.completed_on,
        service.rejected_on,
    ) + timedelta(days=delta)
    service_transition(
        by=by,
        service=service,
        status=status,
        on=on,
        reason="Kapasitas rumah aman penuh." if with_reason else "",
    )
    return True


@settings(
    max_examples=30,
    deadline=None,
    database=None,  # nothing written under the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_no_sequence_of_changes_breaks_the_rules(personas, steps):
    today = timezone.localdate()
    with transaction.atomic():
        case = make_case(personas["unit_bjm"], reported_on=today - timedelta(days=120))
        victim = case.victim_links.get().victim
        version = case.version
        statuses: dict[int, str] = {}
        for step in steps:
            case = Case.objects.get(pk=case.pk)
            events = StageEvent.objects.filter(case=case).count()
            try:
                accepted = apply(step, case, personas, victim)
            except REFUSALS:
                accepted = False
            event(f"{step[0]} {'accepted' if accepted else 'refused'}")
            case = Case.objects.get(pk=case.pk)
            writes = step[0] in ("stage", "edit") and accepted
            assert case.version == version + writes, (step, case.version, version)
            version = case.version
            assert StageEvent.objects.filter(case=case).count() == events + (
                step[0] == "stage" and accepted
            )
            check_timeline(case)
            statuses = check_services(case, statuses)
        event(f"timeline of {StageEvent.objects.filter(case=case).count() // 3 * 3}+ stages")
        event(f"reached {case.stage}")
        for status in set(statuses.values()):
            event(f"a service {status}")
        transaction.set_rollback(True)  # the next example starts from a clean database
