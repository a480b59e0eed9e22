"""Celery wrappers: periods in, services called; idempotent, retried on database errors,
acknowledged late so a worker killed midway leaves the job to be run again."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.periods import format_period, month_start, previous_month

from .services import monthly_work_catch_up, returns_remind, summaries_build

# Retried with backoff up to ten minutes apart, for about two hours: a database outage of an
# hour costs a late build, not a lost one (and monthly_work_catch_up_task heals the rest).
RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": False,
    "max_retries": 16,
    "acks_late": True,
}


def _last_month() -> str:
    return format_period(previous_month(month_start(timezone.localdate())))


# Each task is named after the service it wraps: <service>_task.


@shared_task(name="reports.tasks.summaries_build_task", **RETRY)
def summaries_build_task(period: str | None = None) -> int:
    """A month's summaries; without a period (beat, on the 1st at 02:00 WITA), last month's."""
    return len(summaries_build(period=period or _last_month()))


@shared_task(name="reports.tasks.returns_remind_task", **RETRY)
def returns_remind_task(period: str | None = None) -> int:
    """Beat, on the reminder day: units that have not filed last month's return."""
    return returns_remind(period=period or _last_month())


@shared_task(name="reports.tasks.monthly_work_catch_up_task", **RETRY)
def monthly_work_catch_up_task() -> dict[str, int]:
    """Beat, every hour: whatever of last month's work is due and not done."""
    return monthly_work_catch_up()
