"""Audit reads: the two logs as the audit pages list them, one query per page of rows."""

from __future__ import annotations

from django.db.models import QuerySet

from agencies.scoping import sees_everything
from audit.models import ExportLog, IdentityAccess, IdentityAlert


def may_audit(user) -> bool:
    """The audit is the province's (and the administrators'): nobody else reads the logs."""
    return sees_everything(user)


def access_log() -> QuerySet[IdentityAccess]:
    # The erasure record (reference of the lawful request) rides along in the same query.
    return IdentityAccess.objects.select_related("user__agency", "victim", "erasure").order_by(
        "-accessed_at", "-id"
    )


def export_log() -> QuerySet[ExportLog]:
    return ExportLog.objects.select_related("user", "agency", "regency").order_by("-at", "-id")


def recent_alerts(limit: int = 10) -> list[IdentityAlert]:
    return list(IdentityAlert.objects.select_related("user").order_by("-day", "-id")[:limit])
