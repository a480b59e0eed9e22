"""Every write about reporting: unit returns, summaries, reminders."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from agencies.models import Agency, Regency, User
from agencies.scoping import may_write
from core.limits import check_limits
from core.periods import (
    due_date,
    format_period,
    is_late,
    month_start,
    next_month,
    parse_period,
    previous_month,
)

from .figures import PROVINCE, summaries_figures, summary_figures
from .models import MonthlySummary, ReturnReminder, SummaryVersion, UnitReturn, checksum_of
from .selectors import reporting_units
from .suppression import publish

logger = logging.getLogger(__name__)

# The limits of a return for every door; the form and the serializer read them from here.
LIMITS = {"note": 2000}


# --- Unit returns ----------------------------------------------------------------------


def may_file_returns(user: User) -> bool:
    """Units file returns for their own agency; read-only roles never."""
    agency = user.agency if user.agency_id else None
    return bool(may_write(user) and agency is not None and agency.kind == Agency.Kind.UNIT_PPA)


@transaction.atomic
def unit_return_file(*, by: User, period, nil: bool = False, note: str = "") -> UnitReturn:
    """File the caller's agency's return for a month: once; late after the due day."""
    if not may_file_returns(by) or by.agency_id is None:
        raise PermissionDenied(_("Hanya Unit PPA yang menyampaikan laporan bulanan."))
    agency_id: int = by.agency_id
    period = parse_period(period)
    now = timezone.now()
    if period > month_start(timezone.localdate(now)):
        raise ValidationError(
            {"period": _("Laporan tidak dapat disampaikan untuk bulan mendatang.")}
        )
    note = (note or "").strip()
    check_limits({"note": note}, LIMITS)
    duplicate = ValidationError(
        {
            "period": ValidationError(
                _(
                    "Laporan bulanan %(p)s instansi Anda sudah disampaikan; laporan hanya "
                    "dapat disampaikan sekali per bulan."
                )
                % {"p": format_period(period)},
                code="duplicate",
            )
        }
    )
    if UnitReturn.objects.filter(agency_id=agency_id, period=period).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return UnitReturn.objects.create(
                agency_id=agency_id,
                period=period,
                nil=bool(nil),
                note=note,
                filed_by=by,
                filed_at=now,
                late=is_late(period, now),
            )
    except IntegrityError as exc:  # a racing filing won
        raise duplicate from exc


# --- Summaries -------------------------------------------------------------------------


@transaction.atomic
def summary_build(
    *, period: date, regency: Regency | None, content: dict | None = None
) -> tuple[MonthlySummary, MonthlySummary]:
    """Build (or rebuild) one summary in both versions, from `content` (its figures) when
    they were read already. An upsert: running it again on the same data changes nothing
    but `built_at`."""
    if content is None:
        content = summary_figures(period, regency.pk if regency else None)
    internal = {**content, "version": SummaryVersion.INTERNAL}
    published = {
        **publish(content, settings.SUPPRESSION_THRESHOLD),
        "version": SummaryVersion.PUBLISHED,
    }
    rows = []
    now = timezone.now()
    for version, body in (
        (SummaryVersion.INTERNAL, internal),
        (SummaryVersion.PUBLISHED, published),
    ):
        summary, _created = MonthlySummary.objects.update_or_create(
            period=period,
            regency=regency,
            version=version,
            defaults={"content": body, "checksum": checksum_of(body), "built_at": now},
        )
        rows.append(summary)
    return rows[0], rows[1]


@transaction.atomic
def summaries_build(
    *, period, progress: Callable[[str | None], None] | None = None
) -> list[MonthlySummary]:
    """The month's summaries for the province and every regency. The figures of all of them
    are read first, one query per figure for all (a few dozen queries, however many cases
    and regencies); then all are written in one transaction, so a reader never sees the
    province of one build beside the regencies of another (a worker killed midway leaves
    the previous set whole), and running it again rebuilds every one to the same content."""
    period = parse_period(period)
    contents = summaries_figures(period)
    regencies = Regency.objects.in_bulk([key for key in contents if key is not PROVINCE])
    built: list[MonthlySummary] = []
    for key, content in contents.items():
        regency = None if key is PROVINCE else regencies[key]
        built.extend(summary_build(period=period, regency=regency, content=content))
        if progress is not None:
            progress(key)
    logger.info("Built %d monthly summaries for %s", len(built), format_period(period))
    return built


def summaries_missing(period: date) -> bool:
    """Whether a month lacks any of its summaries (the province and each regency, both
    versions)."""
    expected = (Regency.objects.count() + 1) * len(SummaryVersion.values)
    return MonthlySummary.objects.filter(period=period).count() < expected


def last_closed_month(now=None) -> date:
    """The month whose summaries are due: last month, from the 1st at 02:00 WITA (before
    that, the month before it)."""
    now = timezone.localtime(now)
    month = month_start(now.date())
    if now.day == 1 and now.hour < settings.SUMMARY_BUILD_HOUR:
        month = previous_month(month)
    return previous_month(month)


def monthly_work_catch_up(*, now=None) -> dict[str, int]:
    """Do whatever of the monthly work is due and not done: last month's summaries if any
    is missing, and the reminders of the units that still have no return once the reminder
    day has come. Run often by beat, so a build lost to an outage, a beat that was down at
    the due minute or a mail server that refused the reminders heals by itself. Every part
    is idempotent: when nothing is missing, nothing is done."""
    now = timezone.localtime(now)
    period = last_closed_month(now)
    done = {"summaries": 0, "reminders": 0}
    if summaries_missing(period):
        done["summaries"] = len(summaries_build(period=period))
    if now.date() >= next_month(period).replace(day=settings.RETURN_REMINDER_DAY):
        done["reminders"] = returns_remind(period=period)
    return done


# --- Reminders -------------------------------------------------------------------------


def _recipients(agency: Agency) -> list[str]:
    if agency.email:
        return [agency.email]
    return sorted({u.email for u in agency.users.all() if u.is_active and u.email})


def _reminder_mail(unit: Agency, period: date, to: list[str]) -> None:
    with override(settings.LANGUAGE_CODE):
        send_mail(
            _("Pengingat: laporan bulanan %(p)s belum disampaikan") % {"p": format_period(period)},
            _(
                "Yth. %(unit)s,\n\nLaporan bulanan periode %(p)s belum kami terima "
                "(batas waktu %(due)s). Mohon sampaikan laporan, atau laporan nihil "
                "bila tidak ada kasus, melalui SI-TPPO Kalsel.\n\nSekretariat Gugus "
                "Tugas PP-TPPO Provinsi Kalimantan Selatan"
            )
            % {
                "unit": unit.name,
                "p": format_period(period),
                "due": due_date(period).strftime("%d-%m-%Y"),
            },
            settings.DEFAULT_FROM_EMAIL,
            to,
        )


def returns_remind(*, period) -> int:
    """Email every unit that has not filed its return for `period`, at most once.

    The reminder row (unique per unit and month) is committed *before* the mail goes: a
    rerun, a retry or a racing worker skips units already reminded, and a commit lost after
    the mail left can no longer send it twice. A mail the server refuses removes its row
    again, so the next run (monthly_work_catch_up) tries that unit once more. Returns how
    many were sent."""
    period = parse_period(period)
    units = (
        reporting_units()
        .exclude(returns__period=period)
        .exclude(pk__in=ReturnReminder.objects.filter(period=period).values("agency_id"))
        .prefetch_related("users")
        .order_by("pk")
    )
    sent = 0
    for unit in units:
        to = _recipients(unit)
        if not to:
            logger.warning("Unit %s has no email address for the return reminder", unit.pk)
            continue
        try:
            with transaction.atomic():
                reminder = ReturnReminder.objects.create(
                    agency=unit, period=period, recipients=len(to)
                )
        except IntegrityError:
            continue  # another worker reminded this unit first
        try:
            _reminder_mail(unit, period, to)
        except OSError as exc:  # smtplib's errors and refused connections
            ReturnReminder.objects.filter(pk=reminder.pk).delete()
            logger.warning(
                "Return reminder to unit %s not sent (%s); it is tried again on the next run",
                unit.pk,
                type(exc).__name__,
            )
            continue
        sent += 1
    logger.info("Sent %d return reminders for %s", sent, format_period(period))
    return sent
