"""Audit writes: the export log, the erasure record, the identity-view alert.

The receivers hang on the hooks of `victims.services` and `cases.exports` (neither app
imports reports); the victims ones run inside the transaction that wrote the access-log row."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from agencies.models import Role, User
from cases.exports import case_list_exported
from reports.models import (
    ErasureLog,
    ExportChannel,
    ExportKind,
    ExportLog,
    IdentityAlert,
    MonthlySummary,
)
from victims.models import IdentityAccess
from victims.services import identity_erased, identity_viewed

logger = logging.getLogger(__name__)


def export_record(
    *,
    by: User,
    kind: str,
    fmt: str,
    channel: str,
    summary: MonthlySummary | None = None,
    row_count: int | None = None,
    ip_address: str | None = None,
) -> ExportLog:
    """Log one export before its file or data leaves the system. Raises rather than lets
    an unlogged export through."""
    return ExportLog.objects.create(
        user=by,
        agency_id=by.agency_id,
        kind=kind,
        fmt=fmt.upper(),
        channel=channel,
        summary=summary,
        period=summary.period if summary else None,
        regency_id=summary.regency_id if summary else None,
        version=summary.version if summary else "",
        checksum=summary.checksum if summary else "",
        row_count=row_count,
        ip_address=ip_address or None,
    )


@receiver(case_list_exported, dispatch_uid="reports.audit.case_list_export_record")
def case_list_export_record(
    sender, *, by: User, fmt: str, row_count: int, ip_address: str | None, **kwargs
) -> ExportLog:
    return export_record(
        by=by,
        kind=ExportKind.CASE_LIST,
        fmt=fmt,
        channel=ExportChannel.WEB,
        row_count=row_count,
        ip_address=ip_address,
    )


def summary_rows(summary: MonthlySummary) -> int:
    """The number of table rows a summary export carries."""
    return sum(len(t.get("rows", [])) for t in summary.content.get("tables", []))


@receiver(identity_erased, dispatch_uid="reports.audit.erasure_record")
def erasure_record(sender, *, access: IdentityAccess, reference: str, **kwargs) -> ErasureLog:
    return ErasureLog.objects.create(
        access=access,
        victim_id=access.victim_id,
        by_id=access.user_id,
        at=access.accessed_at,
        reference=reference,
    )


# --- The alert ---------------------------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A day in the system's time zone (Asia/Makassar), as aware instants [start, end).

    The first and the last day a date can hold have no such instants (the start would be
    before year 1 in UTC, the end after 9999-12-31): a ValidationError, not an overflow."""
    if not date.min < day < date.max:
        raise ValidationError(_("Tanggal di luar rentang yang dapat diproses."), code="range")
    zone = timezone.get_default_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def identity_views_on(user_id: int, day: date) -> int:
    """How many identities a user viewed on a day (an erasure is not a view)."""
    start, end = day_bounds(day)
    return (
        IdentityAccess.objects.filter(user_id=user_id, accessed_at__gte=start, accessed_at__lt=end)
        .exclude(channel=IdentityAccess.ERASURE)
        .count()
    )


def alert_recipients() -> list[str]:
    """The province's administrators: active users with the ADMIN role, or superusers."""
    emails = (
        User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(emails))


def _alert_mail(alert: IdentityAlert, user: User, to: list[str]) -> None:
    # The link filters by day only: a URL carries no names.
    query = f"?dari={alert.day:%Y-%m-%d}&sampai={alert.day:%Y-%m-%d}"
    with override(settings.LANGUAGE_CODE):
        send_mail(
            _("Peringatan: akses identitas korban tidak wajar oleh %(user)s")
            % {"user": user.username},
            _(
                "Pengguna %(user)s (%(agency)s) telah melihat %(count)d identitas korban pada "
                "%(day)s, melebihi ambang %(threshold)d akses per hari.\n\n"
                "Periksa log akses identitas di halaman audit: %(path)s\n\n"
                "Peringatan ini dikirim sekali per pengguna per hari.\n"
                "SI-TPPO Kalimantan Selatan"
            )
            % {
                "user": user.username,
                "agency": user.agency or "—",
                "count": alert.views,
                "day": alert.day.strftime("%d-%m-%Y"),
                "threshold": settings.IDENTITY_VIEW_ALERT_THRESHOLD,
                "path": reverse("reports:audit_access") + query,
            },
            settings.DEFAULT_FROM_EMAIL,
            to,
        )


@receiver(identity_viewed, dispatch_uid="reports.audit.identity_views_alert")
def identity_views_alert(sender, *, access: IdentityAccess, **kwargs) -> IdentityAlert | None:
    """Alert the administrators, once per user and day, when the user's identity views of
    the day exceed `IDENTITY_VIEW_ALERT_THRESHOLD`. The unique alert row decides "once";
    the mail goes after the commit, so a rolled-back view alerts no one."""
    day = timezone.localdate(access.accessed_at)
    if IdentityAlert.objects.filter(user_id=access.user_id, day=day).exists():
        return None
    views = identity_views_on(access.user_id, day)
    if views <= settings.IDENTITY_VIEW_ALERT_THRESHOLD:
        return None
    to = alert_recipients()
    try:
        with transaction.atomic():
            alert = IdentityAlert.objects.create(
                user_id=access.user_id, day=day, views=views, recipients=len(to)
            )
    except IntegrityError:  # a concurrent view of the same user crossed first
        return None
    if not to:
        logger.warning("Identity-view alert for user %s: no administrator email", alert.user_id)
        return alert
    user = User.objects.select_related("agency").get(pk=access.user_id)
    transaction.on_commit(lambda: _alert_mail(alert, user, to), robust=True)
    return alert
