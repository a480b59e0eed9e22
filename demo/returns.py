"""Demo monthly returns: most units file, some nil, some late, some not at all, so the
reporting grid and the completeness tables have something to show. Never for production."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from agencies.models import User
from core.periods import due_date, is_late, last_months, month_start, previous_month
from reports.models import UnitReturn
from reports.selectors import reporting_units


@transaction.atomic
def demo_returns_seed(*, seed: int = 2026, months: int = 12) -> int:
    """Returns for the last `months` closed months; existing ones are kept. Deterministic."""
    rng = random.Random(seed)
    periods = last_months(months, ending=previous_month(month_start(timezone.localdate())))
    filer = User.objects.filter(is_superuser=True).order_by("pk").first()
    if filer is None:
        return 0
    rows = []
    for unit in reporting_units().order_by("pk"):
        reliability = rng.choice([0.95, 0.85, 0.6, 0.3])  # some units rarely report
        user = unit.users.order_by("pk").first() or filer
        for period in periods:
            if rng.random() > reliability:
                continue
            delay = rng.choice([-3, -2, -1, 0, 0, 1, 4, 12])
            day = due_date(period) + timedelta(days=delay)
            filed_at = timezone.make_aware(datetime.combine(day, time(10, 0)))
            rows.append(
                UnitReturn(
                    agency=unit,
                    period=period,
                    nil=rng.random() < 0.35,
                    note="",
                    filed_by=user,
                    filed_at=filed_at,
                    late=is_late(period, filed_at),
                )
            )
    UnitReturn.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
