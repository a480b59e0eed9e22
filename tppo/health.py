"""Liveness of the parts the system needs: database, cache, broker, and the keys (a sample
identity decrypts with the keys this process holds)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from core.crypto import key_fingerprint
from reports.services import last_closed_month, summaries_missing
from victims.services import identities_verify

# How long after its due time (the 1st, 02:00 WITA) a month's build may still be running
# or healing before a missing summary is reported.
SUMMARY_GRACE_HOURS = 2


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")


def _check_identities() -> str:
    """A restore under the wrong key passes migrate and check; here it shows."""
    checked, failing = identities_verify(newest_only=False, limit=20)
    if failing:
        raise RuntimeError("identities do not decrypt with the configured keys")
    return "ok" if checked else "none stored"


def _check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "in-process"
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _overdue_work() -> list[str]:
    """Monthly work that should have been done by now and was not: reported, not fatal (the
    web still serves), so the status is "degraded" with HTTP 200."""
    period = last_closed_month(timezone.now() - timedelta(hours=SUMMARY_GRACE_HOURS))
    return [f"summaries missing for {period:%Y-%m}"] if summaries_missing(period) else []


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {
        "database": _check_database,
        "cache": _check_cache,
        "broker": _check_broker,
        "identities": _check_identities,
    }
    status, healthy = {}, True
    for name, check in checks.items():
        try:
            status[name] = check() or "ok"
        except Exception:
            status[name] = "error"
            healthy = False
    try:
        problems = _overdue_work() if healthy else []
    except Exception:
        problems = ["monthly work could not be checked"]
    return JsonResponse(
        {
            "status": "error" if not healthy else ("degraded" if problems else "ok"),
            "problems": problems,
            "checks": status,
            "encryption_key": key_fingerprint(),
        },
        status=200 if healthy else 503,
    )
