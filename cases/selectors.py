"""Composite reads for the task-force pages: the dashboard and the case pages.

Every figure is an aggregate computed by the database over the user's scope, so a page
costs the same number of queries whatever the number of cases; the dearest are cached
(`dashboard_aggregates`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import User
from agencies.scoping import case_scope
from core.cache import Generation
from victims.codes import ServiceStatus, ServiceType, Sex
from victims.models import VictimService

from .codes import (
    FIRST_AID_DUE_DAYS,
    OPEN_STATUSES,
    CodeField,
    ExploitationType,
    Stage,
    Verdict,
)
from .models import Case, CaseAgency, CaseCode, CaseVictim, Involvement, JourneyEvent, StageEvent

# Overdue first aid is a call to act on recent reports; older gaps are data-completeness
# questions for the monthly summary, and scanning every old case would slow the page.
FIRST_AID_WINDOW_DAYS = 90
DASHBOARD_LIST_SIZE = 10
# The criminal-justice funnel: how many cases reached each stage.
FUNNEL_STAGES = (
    Stage.PENYELIDIKAN,
    Stage.PENYIDIKAN,
    Stage.P21,
    Stage.PENUNTUTAN,
    Stage.PUTUSAN,
    Stage.INKRACHT,
)


@dataclass(frozen=True)
class Periods:
    today: date
    month_start: date
    year_start: date
    chart_start: date  # the last 12 months, for charts that must not be empty in January

    @classmethod
    def of(cls, today: date) -> Periods:
        month_start = today.replace(day=1)
        chart_start = month_start.replace(year=month_start.year - 1)
        return cls(today, month_start, today.replace(month=1, day=1), chart_start)

    @property
    def since(self) -> date:
        return min(self.year_start, self.chart_start)


def _month_year(field: str, p: Periods, value: str = "pk", distinct: bool = False) -> dict:
    """A pair of conditional counts: this month and this year."""
    return {
        "month": Count(value, distinct=distinct, filter=Q(**{f"{field}__gte": p.month_start})),
        "year": Count(value, distinct=distinct, filter=Q(**{f"{field}__gte": p.year_start})),
    }


def dashboard_figures(user: User, p: Periods) -> dict:
    """This month's and this year's figures; five aggregate queries."""
    cases = Case.objects.visible_to(user).filter(reported_on__gte=p.year_start)
    figures = {"cases": cases.aggregate(**_month_year("reported_on", p))}

    links = CaseVictim.objects.filter(
        case_scope(user, "case__"), case__reported_on__gte=p.year_start
    )
    groups = {
        "girls": Q(victim__sex=Sex.P, victim__is_child=True),
        "boys": Q(victim__sex=Sex.L, victim__is_child=True),
        "women": Q(victim__sex=Sex.P, victim__is_child=False),
        "men": Q(victim__sex=Sex.L, victim__is_child=False),
        "total": Q(),
    }
    month = Q(case__reported_on__gte=p.month_start)
    row = links.aggregate(
        **{
            f"{name}_{period}": Count("victim_id", distinct=True, filter=q & when)
            for name, q in groups.items()
            for period, when in (("month", month), ("year", Q()))
        }
    )
    figures["victims"] = {
        name: {"month": row[f"{name}_month"], "year": row[f"{name}_year"]} for name in groups
    }
    figures["suspects"] = (
        Involvement.objects.visible_to(user)
        .filter(case__reported_on__gte=p.year_start)
        .aggregate(**_month_year("case__reported_on", p, value="perpetrator_id", distinct=True))
    )
    figures["prosecutions"] = (
        StageEvent.objects.visible_to(user)
        .filter(stage=Stage.PENUNTUTAN, occurred_on__gte=p.year_start)
        .aggregate(**_month_year("occurred_on", p, value="case_id", distinct=True))
    )
    figures["convictions"] = (
        Involvement.objects.visible_to(user)
        .filter(verdict=Verdict.DIPIDANA, verdict_on__gte=p.year_start)
        .aggregate(**_month_year("verdict_on", p))
    )
    return figures


def dashboard_chart_counts(user: User, p: Periods) -> dict:
    """The numbers behind the charts, over the last 12 months: cases by regency, by
    exploitation type, and how many reached each stage of the funnel. Three grouped
    queries; plain data (codes, names, numbers) so that it can be cached for every language."""
    cases = Case.objects.visible_to(user).filter(reported_on__gte=p.chart_start)
    by_regency = [
        (r["regency__name"], r["n"])
        for r in cases.values("regency_id", "regency__name")
        .annotate(n=Count("pk"))
        .order_by("regency_id")
    ]
    by_type = dict(
        CaseCode.objects.filter(
            case_scope(user, "case__"),
            field=CodeField.EXPLOITATION,
            case__reported_on__gte=p.chart_start,
        )
        .values_list("code")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    reached = dict(
        StageEvent.objects.visible_to(user)
        .filter(case__reported_on__gte=p.chart_start, stage__in=FUNNEL_STAGES)
        .values_list("stage")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    return {"regency": by_regency, "exploitation": by_type, "reached": reached}


def dashboard_charts(counts: dict) -> dict:
    """Chart data from `dashboard_chart_counts`: labels in the active language, numbers."""
    by_regency, by_type, reached = counts["regency"], counts["exploitation"], counts["reached"]
    return {
        "regency": {
            "labels": [name for name, _n in by_regency],
            "data": [n for _name, n in by_regency],
        },
        "exploitation": {
            "labels": [str(label) for code, label in ExploitationType.choices if code in by_type],
            "data": [by_type[code] for code in ExploitationType.values if code in by_type],
        },
        "funnel": {
            "labels": [str(_("Kasus dilaporkan"))] + [str(Stage(s).label) for s in FUNNEL_STAGES],
            "data": [sum(n for _name, n in by_regency)]
            + [reached.get(s, 0) for s in FUNNEL_STAGES],
        },
    }


# The aggregates above are most of the dashboard's cost (about 1 s of its 1.3 s over 100,000
# cases, growing with them), are the same for everyone with the same scope, and change only
# with writes: they are cached per scope and day, under a generation that every write to what
# they count replaces once its transaction commits (cases/signals.py). The lists that ask for
# action (stale cases, overdue first aid, referrals) and the reporting grid stay live: they
# are cheap, and users act on them. The expiry only bounds writes made around the ORM (SQL,
# a restored backup).
DASHBOARD = Generation("dashboard")
DASHBOARD_CACHE_SECONDS = 15 * 60
DASHBOARD_CACHE_SHAPE = 1  # raised when what is cached changes shape


def scope_key(user: User) -> str:
    """Names the cases a user sees, as the access rule itself writes them: users share cached
    aggregates exactly when the rule gives them the same SQL (all province officers,
    administrators and analysts; the regency staff of one regency; the officers of one unit).
    Compiles the SQL without running it."""
    try:
        sql, params = Case.objects.filter(case_scope(user)).values("pk").query.sql_with_params()
    except EmptyResultSet:
        return "none"
    return hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()[:32]


def dashboard_aggregates(user: User, p: Periods) -> dict:
    """`dashboard_figures` and `dashboard_chart_counts`, from the cache when they are there.

    The generation is read before the figures are: a write committed meanwhile has replaced
    it by the time the entry is stored, so an entry that missed the write is never read."""
    key = (
        f"dashboard:{DASHBOARD_CACHE_SHAPE}:{DASHBOARD.current()}:{scope_key(user)}:"
        f"{p.today.isoformat()}"
    )
    found = cache.get(key)
    if found is None:
        found = {"figures": dashboard_figures(user, p), "charts": dashboard_chart_counts(user, p)}
        cache.set(key, found, DASHBOARD_CACHE_SECONDS)
    return found


def stale_cases(user: User, today: date) -> tuple[list[Case], int]:
    """Open cases with no stage recorded for STALE_AFTER_DAYS days: the longest still first,
    and how many."""
    qs = Case.objects.visible_to(user).stale(today)
    rows = list(
        qs.select_related("regency")
        .annotate(last_moved=Max("stage_events__occurred_on"))
        .order_by(F("last_moved").asc(nulls_first=True), "reported_on", "id")[:DASHBOARD_LIST_SIZE]
    )
    return rows, (qs.count() if len(rows) == DASHBOARD_LIST_SIZE else len(rows))


def overdue_first_aid(user: User, today: date) -> tuple[list[CaseVictim], int]:
    """Victims of open cases reported 7 to 90 days ago who have not been given first aid
    (PERTOLONGAN_PERTAMA): the most recent first, and how many."""
    given = VictimService.objects.filter(
        victim_id=OuterRef("victim_id"),
        case_id=OuterRef("case_id"),
        type=ServiceType.PERTOLONGAN_PERTAMA,
        started_on__isnull=False,
    )
    qs = CaseVictim.objects.filter(
        case_scope(user, "case__"),
        case__status__in=OPEN_STATUSES,
        case__reported_on__lt=today - timedelta(days=FIRST_AID_DUE_DAYS),
        case__reported_on__gte=today - timedelta(days=FIRST_AID_WINDOW_DAYS),
    ).filter(~Exists(given))
    rows = list(
        qs.select_related("case", "victim").order_by("-case__reported_on", "-id")[
            :DASHBOARD_LIST_SIZE
        ]
    )
    return rows, (qs.count() if len(rows) == DASHBOARD_LIST_SIZE else len(rows))


def referrals_awaiting(user: User) -> tuple[list[VictimService], int]:
    """Referrals sent to the user's agency that it has not yet accepted or rejected."""
    if user.agency_id is None:
        return [], 0
    qs = VictimService.objects.visible_to(user).filter(
        provider_agency_id=user.agency_id, status=ServiceStatus.DIRUJUK
    )
    rows = list(
        qs.select_related("victim", "case", "referring_agency").order_by("referred_on", "id")[
            :DASHBOARD_LIST_SIZE
        ]
    )
    return rows, (qs.count() if len(rows) == DASHBOARD_LIST_SIZE else len(rows))


# --- Case pages --------------------------------------------------------------------------

CASE_SORTS = {
    "reported_on": ("reported_on", "id"),
    "register_no": ("register_no",),
    "regency": ("regency_id", "id"),
    "stage": ("stage", "id"),
    "updated_at": ("updated_at", "id"),
}
DEFAULT_CASE_SORT = "-reported_on"


def case_ordering(sort: str | None) -> tuple[str, list[str]]:
    """A whitelisted sort key (`field` or `-field`) and the ORDER BY it means."""
    chosen = sort if sort and sort.lstrip("-") in CASE_SORTS else DEFAULT_CASE_SORT
    desc = chosen.startswith("-")
    fields = CASE_SORTS[chosen.lstrip("-")]
    return chosen, [f"-{f}" if desc else f for f in fields]


def case_list(user: User) -> QuerySet[Case]:
    """The cases a user sees, with what a list row shows (two queries per page)."""
    victims = CaseVictim.objects.filter(case=OuterRef("pk")).values("case").annotate(n=Count("pk"))
    return (
        Case.objects.visible_to(user)
        .select_related("regency", "reporting_agency")
        .annotate(
            victim_count=Coalesce(Subquery(victims.values("n"), output_field=IntegerField()), 0)
        )
        .prefetch_related(
            Prefetch(
                "code_rows",
                queryset=CaseCode.objects.filter(field=CodeField.EXPLOITATION),
                to_attr="exploitation_rows",
            )
        )
    )


def case_detail(user: User, pk: int) -> Case:
    """A visible case with everything its page shows, in a fixed number of queries;
    raises Case.DoesNotExist when the case is missing or out of the user's scope."""
    return (
        Case.objects.visible_to(user)
        .select_related("regency", "reporting_agency", "created_by", "updated_by")
        .prefetch_related(
            "code_rows",
            Prefetch("journey", queryset=JourneyEvent.objects.select_related("regency")),
            Prefetch(
                "stage_events",
                queryset=StageEvent.objects.select_related("recorded_by").order_by(
                    "occurred_on", "id"
                ),
            ),
            Prefetch(
                "victim_links",
                queryset=CaseVictim.objects.select_related("victim__home_regency").order_by(
                    "victim__code"
                ),
            ),
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related("perpetrator").prefetch_related(
                    "role_rows"
                ),
            ),
            Prefetch(
                "services",
                queryset=VictimService.objects.select_related(
                    "victim", "provider_agency", "referring_agency"
                ).order_by("-id"),
            ),
            Prefetch("agency_links", queryset=CaseAgency.objects.select_related("agency")),
        )
        .get(pk=pk)
    )


HISTORY_SIZE = 20
HISTORY_TYPES = {
    "+": gettext_lazy("dibuat"),
    "~": gettext_lazy("diubah"),
    "-": gettext_lazy("dihapus"),
}
HISTORY_IGNORED = {"version", "updated_at", "updated_by", "history_id", "history_date"}


def case_history(case: Case) -> list[dict]:
    """The last changes to a case (django-simple-history), newest first, each with the
    fields it changed. One query: the records are compared in memory."""
    records = list(
        case.history.select_related("history_user").order_by("-history_date")[: HISTORY_SIZE + 1]
    )
    changes: list[dict] = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(changes) == HISTORY_SIZE:
            break
        fields = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=HISTORY_IGNORED)
            fields = [
                getattr(Case._meta.get_field(c.field), "verbose_name", c.field)
                for c in delta.changes
            ]
        changes.append(
            {
                "at": newer.history_date,
                "user": newer.history_user,
                "type": HISTORY_TYPES.get(newer.history_type, newer.history_type),
                "fields": fields,
            }
        )
    return changes


def perpetrator_cases(user: User, perpetrator) -> list[Involvement]:
    """Every case of a perpetrator that the user can see, across regencies."""
    return list(
        Involvement.objects.visible_to(user)
        .filter(perpetrator=perpetrator)
        .select_related("case__regency")
        .prefetch_related("role_rows")
        .order_by("-case__reported_on", "-id")
    )
