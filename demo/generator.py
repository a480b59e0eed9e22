"""A realistic synthetic data set for demos and benchmarks: never real people.

Deterministic for a given seed, and fast: rows are built in memory and written with bulk
inserts in chunks, so 100,000 cases take minutes. The scenarios follow what the task force
sees in Kalsel (demo/scenarios.py); some perpetrators (syndicates) recur across cases and
regencies. Time is told truthfully: each row carries the moment it would have been written,
and cases, victims and involvements have their change history.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from cases.models import (
    Case,
    CaseCode,
    CaseVictim,
    Involvement,
    InvolvementRole,
    JourneyEvent,
    Perpetrator,
    StageEvent,
)
from victims.models import Consent, Victim, VictimIdentity, VictimService

from . import cases, perpetrators, referrals, victims
from .chance import Chance
from .scenarios import REGENCY_WEIGHTS
from .timeline import History, stored_timestamps
from .world import World

STAMPED = (Case, CaseVictim, Victim, VictimIdentity, Consent, VictimService, Perpetrator)
STAMPED += (Involvement, StageEvent)
SYNDICATE_SIZE = 40


class DemoGenerator:
    def __init__(self, *, seed: int, years: int = 4, now: datetime | None = None):
        self.chance = Chance(seed, now=now or timezone.now())
        today = self.chance.today
        self.start = date(today.year - years + 1, 1, 1)
        self.world = World.load(seed=seed)
        self.syndicate: list[Perpetrator] = []

    def skeleton(self, n: int) -> list[tuple[date, str]]:
        """When and where each case is reported, oldest first (so numbers follow dates)."""
        regencies, weights = list(REGENCY_WEIGHTS), list(REGENCY_WEIGHTS.values())
        rows = [
            (
                self.chance.day_between(self.start, self.chance.today),
                self.chance.rng.choices(regencies, weights)[0],
            )
            for _ in range(n)
        ]
        return sorted(rows)

    def run(self, n: int, chunk: int = 2000, progress=None) -> int:
        rows = self.skeleton(n)
        if not self.syndicate:
            self._write_syndicate()
        ref_start = Case.objects.filter(external_ref__startswith=cases.DEMO_REF_PREFIX).count()
        for start in range(0, n, chunk):
            self.write_chunk(rows[start : start + chunk], ref_start + start)
            if progress:
                progress(min(start + chunk, n), n)
        return n

    def _write_syndicate(self) -> None:
        since = datetime.combine(self.start, time(9), tzinfo=timezone.get_default_timezone())
        people = perpetrators.syndicate(self.chance, size=SYNDICATE_SIZE, since=since)
        with stored_timestamps(Perpetrator):
            self.syndicate = Perpetrator.objects.bulk_create(people)

    @transaction.atomic
    def write_chunk(self, rows: list[tuple[date, str]], ref_start: int) -> None:
        """One chunk of cases with everything that hangs off them, in one transaction (the
        register and victim numbers it reserves are used or rolled back with it)."""
        chance, world, history = self.chance, self.world, History()
        plans = [
            cases.plan_case(chance, world, reported, regency, ref_start + i)
            for i, (reported, regency) in enumerate(rows)
        ]
        cases.number_cases(plans)
        with stored_timestamps(*STAMPED):
            Case.objects.bulk_create([p.case for p in plans])
            self._write_case_rows(plans, history)
            victim_plans = self._write_victims(plans, history)
            self._write_referrals(victim_plans)
            self._write_involvements(plans, history)
        history.write()

    def _write_case_rows(self, plans: list[cases.CasePlan], history: History) -> None:
        codes, stages, journey = [], [], []
        for plan in plans:
            codes += cases.case_codes(self.chance, plan)
            stages += cases.stage_events(plan)
            journey += cases.journey_events(self.chance, plan.case)
            cases.case_history(history, plan)
        CaseCode.objects.bulk_create(codes)
        StageEvent.objects.bulk_create(stages)
        JourneyEvent.objects.bulk_create(journey)

    def _write_victims(self, plans: list[cases.CasePlan], history: History):
        chance, world = self.chance, self.world
        victim_plans = [vp for plan in plans for vp in victims.plan_victims(chance, world, plan)]
        victims.number_victims(victim_plans)
        Victim.objects.bulk_create([vp.victim for vp in victim_plans])
        CaseVictim.objects.bulk_create([victims.case_link(vp) for vp in victim_plans])
        VictimIdentity.objects.bulk_create(
            [victims.identity(chance, world, vp) for vp in victim_plans]
        )
        Consent.objects.bulk_create([victims.consent(vp) for vp in victim_plans])
        for vp in victim_plans:
            victims.victim_history(history, vp)
        return victim_plans

    def _write_referrals(self, victim_plans: list[victims.VictimPlan]) -> None:
        services = []
        for vp in victim_plans:
            services.append(referrals.first_aid(self.chance, self.world, vp))
            services.append(referrals.referral(self.chance, self.world, vp))
        # A referral grants the provider the referred victim and service (the access rule),
        # never the case: no handling-agency row.
        VictimService.objects.bulk_create(services)

    def _write_involvements(self, plans: list[cases.CasePlan], history: History) -> None:
        people, planned = [], []
        for plan in plans:
            for person in perpetrators.perpetrators_of(self.chance, plan, self.syndicate):
                people += [person] if person.pk is None else []
                planned.append((plan, perpetrators.involvement(self.chance, plan, person)))
        Perpetrator.objects.bulk_create(people)
        Involvement.objects.bulk_create([ip.involvement for _plan, ip in planned])
        InvolvementRole.objects.bulk_create(
            [r for _plan, ip in planned for r in perpetrators.roles(ip)]
        )
        for plan, ip in planned:
            perpetrators.involvement_history(history, ip, plan)


def demo_cases_seed(*, cases: int, seed: int = 2026, progress=None) -> int:
    return DemoGenerator(seed=seed).run(cases, progress=progress)
