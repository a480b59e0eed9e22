"""Composite reads about reporting: which units filed, and the summaries a user may see."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from agencies.models import Agency
from agencies.scoping import (
    NOTHING,
    exact_figures_scope,
    reporting_unit_scope,
    summary_scope,
)
from core.periods import last_months, month_start, previous_month

from .models import MonthlySummary, SummaryVersion, UnitReturn

FILED, NIL, LATE, MISSING = "FILED", "NIL", "LATE", "MISSING"
GRID_MONTHS = 12


def reporting_units() -> QuerySet[Agency]:
    """The units that owe a monthly return: every active Unit PPA."""
    return Agency.objects.filter(kind=Agency.Kind.UNIT_PPA, is_active=True)


def units_visible_to(user) -> QuerySet[Agency]:
    """The units whose returns the user follows (agencies.scoping.reporting_unit_scope)."""
    units = reporting_units().select_related("regency").order_by("regency_id", "name")
    return units.filter(reporting_unit_scope(user))


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


def summary_access(user) -> Q:
    """Every summary the user may open, in either version: the published one where the
    access rule lets them open that regency's (or the province's) summaries, the internal
    one only where it lets them read exact counts. The rule is agencies.scoping's."""
    published = Q(version=SummaryVersion.PUBLISHED) & summary_scope(user)
    internal = Q(version=SummaryVersion.INTERNAL) & exact_figures_scope(user)
    return published | internal


def summaries_visible_to(user, *, period: date | None = None, regency: str | None = None):
    """The summaries a user may open, each in the one version they get: the internal one
    where they may read exact counts, else the published one (pages may link the published
    sibling of an internal summary: `summary_access`)."""
    qs = MonthlySummary.objects.filter(summary_access(user)).select_related("regency")
    if period is not None:
        qs = qs.filter(period=period)
    if regency == "":
        qs = qs.filter(regency__isnull=True)
    elif regency:
        qs = qs.filter(regency_id=regency)
    exact = exact_figures_scope(user)
    if not exact:  # exact counts everywhere: the internal versions only
        return qs.filter(version=SummaryVersion.INTERNAL)
    if exact == NOTHING:
        return qs.filter(version=SummaryVersion.PUBLISHED)
    return qs.filter(Q(version=SummaryVersion.INTERNAL) | ~exact)
