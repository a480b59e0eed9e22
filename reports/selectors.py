"""Composite reads about reporting: which units filed, and the summaries a user may see."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from agencies.models import Agency, Role
from agencies.scoping import role_of
from core.periods import last_months, month_start, previous_month

from .models import MonthlySummary, SummaryVersion, UnitReturn

FILED, NIL, LATE, MISSING = "FILED", "NIL", "LATE", "MISSING"
GRID_MONTHS = 12


def reporting_units() -> QuerySet[Agency]:
    """The units that owe a monthly return: every active Unit PPA."""
    return Agency.objects.filter(kind=Agency.Kind.UNIT_PPA, is_active=True)


def units_visible_to(user) -> QuerySet[Agency]:
    """Province, analysts and admins see all units; others the units of their own regency."""
    role = role_of(user)
    units = reporting_units().select_related("regency").order_by("regency_id", "name")
    if role in (Role.ADMIN, Role.PROVINCE, Role.ANALYST):
        return units
    if role in (Role.REGENCY, Role.UNIT) and user.agency.regency_id:
        return units.filter(regency_id=user.agency.regency_id)
    if role == Role.UNIT:
        return units.filter(pk=user.agency_id)
    return units.none()


def return_state(ret: UnitReturn | None) -> str:
    """A late return shows as late whether nil or not: lateness is what the grid is for."""
    if ret is None:
        return MISSING
    if ret.late:
        return LATE
    return NIL if ret.nil else FILED


def reporting_grid(user, today: date | None = None) -> dict:
    """Each unit the user can see against the last 12 closed months (oldest first).

    Two queries whatever the number of units: the units, and their returns in the window."""
    today = today or timezone.localdate()
    months = last_months(GRID_MONTHS, ending=previous_month(month_start(today)))
    units = list(units_visible_to(user))
    returns = UnitReturn.objects.filter(
        agency__in=[u.pk for u in units], period__gte=months[0], period__lte=months[-1]
    ).only("agency_id", "period", "nil", "late")
    by_key = {(r.agency_id, r.period): r for r in returns}
    rows = [
        {"agency": unit, "cells": [return_state(by_key.get((unit.pk, m))) for m in months]}
        for unit in units
    ]
    return {"months": months, "rows": rows}


# --- Summaries -------------------------------------------------------------------------


def summary_regencies_visible_to(user) -> Q:
    """Which summaries (by regency) a user may open: the province's for everyone with a
    role; every regency's for the province, admins and analysts; their own regency's for
    regency and unit staff."""
    role = role_of(user)
    if role is None:
        return Q(pk__in=[])
    if role in (Role.ADMIN, Role.PROVINCE, Role.ANALYST):
        return Q()
    own = user.agency.regency_id
    return Q(regency__isnull=True) | Q(regency_id=own) if own else Q(regency__isnull=True)


def version_for(user, regency_id: str | None) -> str:
    """Exact counts only for those who may see the cases behind them: the province and
    admins everywhere, regency staff for their own regency. Analysts, units (who see only
    their own cases) and regency staff looking at the province get the published version."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.PROVINCE):
        return SummaryVersion.INTERNAL
    if role == Role.REGENCY and regency_id and regency_id == user.agency.regency_id:
        return SummaryVersion.INTERNAL
    return SummaryVersion.PUBLISHED


def may_see_internal(user, regency_id: str | None) -> bool:
    return version_for(user, regency_id) == SummaryVersion.INTERNAL


def summaries_visible_to(user, *, period: date | None = None, regency: str | None = None):
    """The summaries a user may open, each in the one version they get (or, for those
    allowed the internal one, that version; they may ask for the published one on a page)."""
    qs = MonthlySummary.objects.filter(summary_regencies_visible_to(user)).select_related("regency")
    if period is not None:
        qs = qs.filter(period=period)
    if regency == "":
        qs = qs.filter(regency__isnull=True)
    elif regency:
        qs = qs.filter(regency_id=regency)
    role = role_of(user)
    if role in (Role.ADMIN, Role.PROVINCE):
        return qs.filter(version=SummaryVersion.INTERNAL)
    if role == Role.REGENCY:
        own = user.agency.regency_id
        return qs.filter(
            Q(regency_id=own, version=SummaryVersion.INTERNAL)
            | Q(regency__isnull=True, version=SummaryVersion.PUBLISHED)
        )
    return qs.filter(version=SummaryVersion.PUBLISHED)
