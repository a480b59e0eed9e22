"""The dashboard (Beranda): where the user's part of the province stands, in a fixed
number of queries whatever the number of cases; the aggregates come from the cache when
nothing they count has changed (see `cases.selectors.dashboard_aggregates`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agencies.scoping import may_see_records
from agencies.views import who_context
from cases import selectors
from cases.codes import FIRST_AID_DUE_DAYS, STALE_AFTER_DAYS

from .presentation import describe, sections
from .selectors import reporting_grid, summaries_visible_to

PUBLISHED_HOME_SIZE = 12


def published_home(request: HttpRequest) -> HttpResponse:
    """The home page of a role that sees aggregates only (analysts): the published
    (suppressed) summaries and the latest province summary's tables, never a figure counted
    from the records (a narrow exact count is itself the small number suppression hides)."""
    user = request.user
    summaries = list(summaries_visible_to(user).order_by("-period", "regency_id")[:400])
    latest = next((s for s in summaries if s.regency_id is None), None)
    context = who_context(user) | {
        "summaries": summaries[:PUBLISHED_HOME_SIZE],
        "latest": latest,
        "sections": sections(describe(latest)) if latest else [],
    }
    return render(request, "reports/published_home.html", context)


def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_see_records(user):
        return published_home(request)
    periods = selectors.Periods.of(timezone.localdate())
    stale, stale_count = selectors.stale_cases(user, periods.today)
    overdue, overdue_count = selectors.overdue_first_aid(user, periods.today)
    referrals, referral_count = selectors.referrals_awaiting(user)
    aggregates = selectors.dashboard_aggregates(user, periods)
    context = who_context(user) | {
        "periods": periods,
        "figures": aggregates["figures"],
        "charts": selectors.dashboard_charts(aggregates["charts"]),
        "stale": stale,
        "stale_count": stale_count,
        "stale_days": STALE_AFTER_DAYS,
        "overdue": overdue,
        "overdue_count": overdue_count,
        "first_aid_days": FIRST_AID_DUE_DAYS,
        "first_aid_window": selectors.FIRST_AID_WINDOW_DAYS,
        "referrals": referrals,
        "referral_count": referral_count,
        "grid": reporting_grid(user),
    }
    return render(request, "reports/dashboard.html", context)
