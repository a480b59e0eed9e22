"""Sign-in lockout: two limits on django-axes' records of failed sign-ins.

- One username from one address: locked after `AXES_FAILURE_LIMIT` failures (axes itself,
  `AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]`). An officer's typos lock only
  that officer at that address, not the whole Polres behind its NAT.
- One address, whatever the usernames: locked after `AXES_ADDRESS_FAILURE_LIMIT` failures
  (this handler: axes has one failure limit for all its criteria), against someone probing
  many usernames from one place.

Both last `AXES_COOLOFF_TIME`; the province unlocks earlier from the lockout page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

ACCOUNT = "account"
ADDRESS = "address"


def cool_off_minutes(request=None) -> int:
    cool_off = get_cool_off(request)
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0


def address_failures(ip_address: str | None, request=None) -> int:
    """Failures from one address within the cool-off time, whatever the username."""
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, higher limit per address."""

    def address_locked(self, request) -> bool:
        return (
            address_failures(getattr(request, "axes_ip_address", None), request)
            >= settings.AXES_ADDRESS_FAILURE_LIMIT
        )

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            request.tppo_lockout = ACCOUNT
            return True
        if settings.AXES_LOCK_OUT_AT_FAILURE and self.address_locked(request):
            request.tppo_lockout = ADDRESS
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None:
            return
        if getattr(request, "axes_locked_out", False):
            request.tppo_lockout = getattr(request, "tppo_lockout", ACCOUNT)
            return
        if settings.AXES_LOCK_OUT_AT_FAILURE and self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            request.tppo_lockout = ADDRESS
            user_locked_out.send(
                "axes",
                request=request,
                username=None,
                ip_address=request.axes_ip_address,
            )


def failures_left(request, credentials=None) -> int | None:
    """After a failed sign-in: how many tries the username has left from this address."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return None
    return get_failure_limit(request, credentials) - failures


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page: which lock (this username here, or this whole address) and for
    how long; never "your account is locked" to a colleague at the same address."""
    return render(
        request,
        "registration/locked.html",
        {
            "kind": getattr(request, "tppo_lockout", ACCOUNT),
            "minutes": cool_off_minutes(request),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# --- Current lockouts, for the province's page ----------------------------------------------


@dataclass(frozen=True)
class Lockout:
    kind: str  # ACCOUNT (a username at an address) or ADDRESS (every username there)
    ip_address: str
    username: str | None
    failures: int
    last_attempt: datetime
    until: datetime | None


def current_lockouts() -> list[Lockout]:
    """Every lock now in force, newest first (aggregated in the database)."""
    attempts = AccessAttempt.objects.all()
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    limit = settings.AXES_FAILURE_LIMIT if isinstance(settings.AXES_FAILURE_LIMIT, int) else 0
    locks: list[Lockout] = []
    accounts = (
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
    )
    for row in accounts:
        locks.append(
            Lockout(
                ACCOUNT,
                row["ip_address"],
                row["username"],
                row["failures"],
                row["last"],
                row["last"] + cool_off if cool_off else None,
            )
        )
    addresses = (
        attempts.values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_ADDRESS_FAILURE_LIMIT)
    )
    for row in addresses:
        locks.append(
            Lockout(
                ADDRESS,
                row["ip_address"],
                None,
                row["failures"],
                row["last"],
                row["last"] + cool_off if cool_off else None,
            )
        )
    return sorted(locks, key=lambda lock: lock.last_attempt, reverse=True)


def unlock(*, ip_address: str, username: str | None = None) -> int:
    """Lift a lock through axes' own reset: one username at an address, or (no username)
    every record of the address. The number of records removed."""
    from axes.utils import reset

    if username:
        return reset(ip=ip_address, username=username)
    return reset(ip=ip_address)
