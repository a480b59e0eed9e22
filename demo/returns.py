"""Demo monthly returns: most units file, some late, some not at all, so the reporting grid
and the completeness tables have something to show. A return agrees with the unit's cases:
nil exactly for a month in which the unit reported none. Never for production."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models.functions import TruncMonth
from django.utils import timezone

from agencies.models import Agency
from cases.models import Case
from core.periods import due_date, is_late, last_months, month_start, next_month, previous_month
from reports.models import UnitReturn
from reports.selectors import reporting_units

from .chance import Chance
from .users import demo_officers_seed

RELIABILITY = [0.95, 0.85, 0.6, 0.3]  # how often a unit files; some rarely do
DELAYS = [-3, -2, -1, 0, 0, 1, 4, 12]  # days after the due day


@transaction.atomic
def demo_returns_seed(*, seed: int = 2026, months: int = 12, now: datetime | None = None) -> int:
    """Returns for the last `months` closed months, filed by each unit's officer; existing
    ones are kept. Deterministic for a seed (and a day)."""
    chance = Chance(seed, now=now or timezone.now())
    periods = last_months(months, ending=previous_month(month_start(chance.today)))
    with_cases = _months_with_cases(periods[0])
    officers = demo_officers_seed(seed=seed)
    rows = [
        row
        for unit in reporting_units().order_by("pk")
        for row in _unit_returns(chance, unit, periods, with_cases, officers[unit.pk])
    ]
    UnitReturn.objects.bulk_create(rows, ignore_conflicts=True)
    _undo_contradicted_nil_returns(periods, with_cases, officers)
    return len(rows)


def _months_with_cases(since) -> set[tuple[int, object]]:
    """(unit id, month) of every month in which a unit reported a case."""
    months = (
        Case.objects.filter(reported_on__gte=since)
        .annotate(period=TruncMonth("reported_on"))
        .values_list("reporting_agency_id", "period")
        .distinct()
    )
    return {(unit, month_start(period)) for unit, period in months}


def _unit_returns(chance: Chance, unit: Agency, periods, with_cases, officer) -> list[UnitReturn]:
    reliability = chance.pick(RELIABILITY)
    rows = []
    for period in periods:
        filed_at = _filing_moment(chance, period)
        if not chance.chance(reliability) or filed_at is None:
            continue  # not filed (yet)
        rows.append(
            UnitReturn(
                agency=unit,
                period=period,
                nil=(unit.pk, period) not in with_cases,
                filed_by=officer,
                filed_at=filed_at,
                late=is_late(period, filed_at),
            )
        )
    return rows


def _filing_moment(chance: Chance, period) -> datetime | None:
    """Around the due day, never before the month is over; None if that is still to come."""
    day = max(due_date(period) + timedelta(days=chance.pick(DELAYS)), next_month(period))
    if day > chance.today:
        return None
    return chance.moment(day)


def _undo_contradicted_nil_returns(periods, with_cases, officers) -> None:
    """Demo cases seeded after a demo nil return of that month make it a return with cases."""
    demo_nil = UnitReturn.objects.filter(
        nil=True, period__in=periods, filed_by__in=list(officers.values())
    ).values_list("pk", "agency_id", "period")
    wrong = [pk for pk, unit, period in demo_nil if (unit, period) in with_cases]
    UnitReturn.objects.filter(pk__in=wrong).update(nil=False)
