"""Audit writes: the identity access log, the export log, the erasure record, the
identity-view alert. Plain calls from whoever reads an identity or sends an export, inside
its transaction: a legally required record is never left to a signal that may have no
receiver."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from agencies.models import Role, User
from core.periods import day_bounds

from .models import ErasureLog, ExportLog, IdentityAccess, IdentityAlert

logger = logging.getLogger(__name__)


def export_record(
    *,
    by: User,
    kind: str,
    fmt: str,
    channel: str,
    summary=None,
    row_count: int | None = None,
    ip_address: str | None = None,
) -> ExportLog:
    """Log one export before its file or data leaves the system. Raises rather than lets
    an unlogged export through. `summary` is the monthly summary exported, if any (recorded
    by reference: period, regency, version and checksum)."""
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


def identity_access_record(
    *, user: User, victim, channel: str, ip_address: str | None = None
) -> IdentityAccess:
    """Record one view of an identity (call inside the transaction that reads it), and alert
    the administrators when the user's views of the day become unusual."""
    access = IdentityAccess.objects.create(
        user=user, victim=victim, channel=channel[:60], ip_address=ip_address or None
    )
    identity_views_alert(access)
    return access


def erasure_record(
    *, by: User, victim, reference: str, ip_address: str | None = None
) -> ErasureLog:
    """Record an erasure: the access-log row of the act and the lawful request behind it."""
    access = IdentityAccess.objects.create(
        user=by, victim=victim, channel=IdentityAccess.ERASURE, ip_address=ip_address or None
    )
    return ErasureLog.objects.create(
        access=access,
        victim_id=access.victim_id,
        by_id=access.user_id,
        at=access.accessed_at,
        reference=reference,
    )


# --- The alert ---------------------------------------------------------------------------


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


def identity_views_alert(access: IdentityAccess) -> IdentityAlert | None:
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
