"""Periods: a reporting month, stored as the date of its first day; a day in the system's
time zone as an interval of instants."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

PERIOD_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(period: date) -> date:
    return date(period.year + (period.month == 12), period.month % 12 + 1, 1)


def previous_month(period: date) -> date:
    return date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)


def last_months(count: int, *, ending: date) -> list[date]:
    """`count` first-of-month dates, oldest first, the last one being `ending`'s month."""
    months = [month_start(ending)]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months[::-1]


def parse_period(value, field: str = "period") -> date:
    """'YYYY-MM' (or a date) to the first of that month; a clear message otherwise."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return month_start(value)
    match = PERIOD_PATTERN.match(str(value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise ValidationError({field: _("Periode harus berformat YYYY-MM, mis. 2026-03.")})
    return date(int(match.group(1)), int(match.group(2)), 1)


def format_period(period: date) -> str:
    return f"{period:%Y-%m}"


def due_date(period: date) -> date:
    """The last day a return for `period` is on time: RETURN_DUE_DAY of the next month."""
    return next_month(period).replace(day=settings.RETURN_DUE_DAY)


def is_late(period: date, filed_at: datetime) -> bool:
    return timezone.localdate(filed_at) > due_date(period)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A day in the system's time zone (Asia/Makassar), as aware instants [start, end).

    The first and the last day a date can hold have no such instants (the start would be
    before year 1 in UTC, the end after 9999-12-31): a ValidationError, not an overflow."""
    if not date.min < day < date.max:
        raise ValidationError(_("Tanggal di luar rentang yang dapat diproses."), code="range")
    zone = timezone.get_default_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
