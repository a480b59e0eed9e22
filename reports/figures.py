"""The figures of a monthly summary, aggregated in the database.

Every function issues a fixed number of queries (GROUP BY / Count and Sum with filter=),
whatever the number of cases: no per-row Python loops. Each figure is one query for the
summaries of all the regencies at once, grouped by the case's regency (`Scope.tally`); the
province's is their sum where each thing counted belongs to one case, else (distinct
people) a query of its own. The result is plain data (codes and integers, no labels, no
timestamps) so that the same case data gives the same bytes.

Semantics, for the month [start, end) and the scope (one regency, or the province):
- new cases: reported_on in the month; victims: the distinct people (not BUKAN_KORBAN)
  linked to those cases, each counted once however many cases they appear in;
- funnel: "during" = distinct cases whose timeline reached the stage in the month;
  "standing" = cases (reported before the month ended) whose latest stage at month end is it;
- verdicts, sentences and restitution: per defendant, by verdict date;
- services: started in the month (a referral given by the referring agency counts when the
  provider starts it); first aid: per victim of a new case, started within 7 days of report;
- year to date: 1 January to the end of the month.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import (
    Case as When_,
)
from django.db.models import (
    CharField,
    Count,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from agencies.models import Agency, Regency
from cases.codes import (
    FIRST_AID_DUE_DAYS,
    OPEN_STATUSES,
    STALE_AFTER_DAYS,
    CodeField,
    ExploitationType,
    LabourSector,
    PerpetratorRole,
    RecruitmentModus,
    Stage,
    Verdict,
)
from cases.models import Case, CaseCode, CaseVictim, Involvement, InvolvementRole, StageEvent
from core.periods import next_month
from victims.codes import AGE_BANDS, ServiceStatus, ServiceType, Sex, VictimStatus
from victims.models import VictimService

UNKNOWN = "TIDAK_DIKETAHUI"
TOTAL = "TOTAL"
MONTH, YTD = "BULAN_INI", "TAHUN_INI"
DURING, STANDING = "SELAMA_BULAN", "AKHIR_BULAN"
COUNT = "JUMLAH"
SENTENCE_BANDS = [
    ("KURANG_36", 0, 35),
    ("36_59", 36, 59),
    ("60_119", 60, 119),
    ("120_PLUS", 120, None),
]
CHILD_BANDS = [f"{lo}-{hi}" for lo, hi in AGE_BANDS if hi is not None and hi < 18]
ADULT_BANDS = [f"{lo}-{hi}" if hi is not None else f"{lo}+" for lo, hi in AGE_BANDS if lo >= 18]


def table(
    key: str,
    rows: list[tuple[str, list[int]]],
    *,
    columns: tuple[str, ...] = (COUNT,),
    total: bool = True,
    protect: bool = True,
    money: tuple[str, ...] = (),
) -> dict:
    """A table as stored: codes and numbers only. `total` adds the column sums (the rows
    are then a partition); `protect` subjects its counts to disclosure control; `money`
    names columns of rupiah amounts (hidden with the count they belong to)."""
    data = {
        "key": key,
        "columns": list(columns),
        "rows": [[code, *values] for code, values in rows],
        "total": [sum(v[i] for _c, v in rows) for i in range(len(columns))] if total else None,
        "protect": protect,
        "money": list(money),
    }
    return data


PROVINCE = None  # the key of the province's summary among the regencies' codes

Key = str | None
Rows = list[dict]


def _by(rows: Rows, field: str, n: str = "n") -> dict[str, int]:
    """{value of `field`: n}; NULL and blank both count as unknown."""
    result: dict[str, int] = {}
    for row in rows:
        key = str(row[field]) if row[field] not in (None, "") else UNKNOWN
        result[key] = result.get(key, 0) + row[n]
    return result


def _one(rows: Rows, *names: str) -> dict[str, int]:
    """The single row of an ungrouped tally; zeros where nothing was counted."""
    return rows[0] if rows else dict.fromkeys(names, 0)


def _rows(codes, counts: dict[str, int], *, unknown: bool = True) -> list[tuple[str, list[int]]]:
    rows = [(code, [counts.get(code, 0)]) for code in codes]
    if unknown:
        rows.append((UNKNOWN, [counts.get(UNKNOWN, 0)]))
    return rows


def _observed(counts: dict[str, int]) -> list[tuple[str, list[int]]]:
    """Rows for an open code list (countries, nationalities): the codes seen, sorted,
    unknown last."""
    codes = sorted(c for c in counts if c != UNKNOWN)
    return _rows(codes, counts, unknown=UNKNOWN in counts)


class Scope:
    """The month's date bounds, and the summaries wanted: the province's (key PROVINCE)
    and those of `regencies` (codes). `every_regency` says they are all of them."""

    def __init__(
        self,
        period: date,
        *,
        province: bool,
        regencies: list[str],
        every_regency: bool = False,
    ):
        self.start = period
        self.end = next_month(period)
        self.year_start = date(period.year, 1, 1)
        self.province = province
        self.regencies = regencies
        self.every_regency = every_regency

    @property
    def keys(self) -> list[Key]:
        return ([PROVINCE] if self.province else []) + self.regencies

    def in_month(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def in_year(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.year_start, f"{field}__lt": self.end})

    def tally(
        self,
        qs: QuerySet,
        path: str = "",
        by: tuple[str, ...] = (),
        *,
        additive: bool,
        **aggregates,
    ) -> dict[Key, Rows]:
        """The `aggregates` of `qs` grouped `by`, for every summary wanted: {key: rows}.

        One query groups by the regency of the case (`path` leads from the model to it) for
        all the regencies at once. The province is that query's sum when the figure is
        `additive` (each thing counted belongs to one case, so to one regency: counts of
        cases, defendants, services) and every regency is there; otherwise (distinct
        people, who may appear in cases of several regencies) it has its own query."""
        out: dict[Key, Rows] = {key: [] for key in self.keys}
        regency = f"{path}regency_id"
        if self.regencies:
            grouped = qs if self.every_regency else qs.filter(**{f"{regency}__in": self.regencies})
            for row in grouped.values(regency, *by).annotate(**aggregates).order_by():
                out.setdefault(row.pop(regency), []).append(row)
        if not self.province:
            return out
        if additive and self.every_regency:
            total: dict[tuple, dict] = {}
            for rows in out.values():  # the province's own are none yet
                for row in rows:
                    acc = total.setdefault(
                        tuple(row[f] for f in by),
                        {**{f: row[f] for f in by}, **dict.fromkeys(aggregates, 0)},
                    )
                    for name in aggregates:
                        acc[name] += row[name]
            out[PROVINCE] = list(total.values())
        elif by:
            out[PROVINCE] = list(qs.values(*by).annotate(**aggregates).order_by())
        else:
            out[PROVINCE] = [qs.aggregate(**aggregates)]
        return out


def case_tables(s: Scope) -> dict[Key, list[dict]]:
    new = Case.objects.filter(s.in_month("reported_on"))
    complicit_cases = InvolvementRole.objects.filter(code=PerpetratorRole.OKNUM_APARAT).values(
        "involvement__case_id"
    )
    head_counts = {
        "n_domestic": Count("pk", filter=Q(transnational=False)),
        "n_transnational": Count("pk", filter=Q(transnational=True)),
        "n_unknown": Count("pk", filter=Q(transnational__isnull=True)),
        "n_complicity": Count("pk", filter=Q(complicity=True) | Q(pk__in=complicit_cases)),
    }
    heads = s.tally(new, additive=True, **head_counts)
    cases = {"n": Count("pk", distinct=True)}
    sectors = s.tally(new, by=("labour_sector",), additive=True, **cases)
    countries = s.tally(
        new.filter(transnational=True), by=("destination_country",), additive=True, **cases
    )
    fields = [CodeField.EXPLOITATION, CodeField.MODUS]
    codes = s.tally(
        CaseCode.objects.filter(case__in=new, field__in=fields),
        "case__",
        by=("field", "code"),
        additive=True,
        n=Count("case", distinct=True),
    )
    perpetrators = Involvement.objects.filter(case__in=new)
    roles = s.tally(
        InvolvementRole.objects.filter(involvement__in=perpetrators),
        "involvement__case__",
        by=("code",),
        additive=False,
        n=Count("involvement__perpetrator", distinct=True),
    )
    people = s.tally(
        perpetrators,
        "case__",
        additive=False,
        n=Count("perpetrator", distinct=True),
        corporations=Count("perpetrator", distinct=True, filter=Q(perpetrator__kind="KORPORASI")),
    )
    out = {}
    for key in s.keys:
        head = _one(heads[key], *head_counts)
        by_field: dict[str, dict[str, int]] = {field: {} for field in fields}
        for row in codes[key]:
            by_field[row["field"]][row["code"]] = row["n"]
        who = _one(people[key], "n", "corporations")
        out[key] = [
            table(
                "cases_scope",
                [
                    ("DOMESTIK", [head["n_domestic"]]),
                    ("LINTAS_NEGARA", [head["n_transnational"]]),
                    (UNKNOWN, [head["n_unknown"]]),
                ],
            ),
            table(
                "exploitation_types",
                _rows(ExploitationType.values, by_field[CodeField.EXPLOITATION], unknown=False),
                total=False,
            ),
            table("labour_sectors", _rows(LabourSector.values, _by(sectors[key], "labour_sector"))),
            table(
                "recruitment_modus",
                _rows(RecruitmentModus.values, by_field[CodeField.MODUS], unknown=False),
                total=False,
            ),
            table("destination_countries", _observed(_by(countries[key], "destination_country"))),
            table(
                "perpetrators",
                [
                    ("PELAKU", [who["n"]]),
                    ("KORPORASI", [who["corporations"]]),
                    ("KASUS_KETERLIBATAN_APARAT", [head["n_complicity"]]),
                ],
                total=False,
            ),
            table(
                "perpetrator_roles",
                _rows(PerpetratorRole.values, _by(roles[key], "code"), unknown=False),
                total=False,
            ),
        ]
    return out


def _victim_links(when: Q) -> QuerySet:
    """The links of the cases reported `when` to their victims (not BUKAN_KORBAN): counted
    by distinct victim, each person once however many of the cases they appear in."""
    return CaseVictim.objects.filter(when).exclude(victim__status=VictimStatus.BUKAN_KORBAN)


def _age_band_expression():
    # The age that decides `is_child`: at exploitation where known, else at identification.
    age = Coalesce("victim__age_at_exploitation", "victim__age_at_identification")
    whens = []
    for lo, hi in AGE_BANDS:
        label = f"{lo}-{hi}" if hi is not None else f"{lo}+"
        cond = Q(_age__gte=lo) if hi is None else Q(_age__gte=lo, _age__lte=hi)
        whens.append(When(cond, then=Value(label)))
    return age, When_(*whens, default=Value(UNKNOWN), output_field=CharField())


def victim_tables(s: Scope) -> dict[Key, list[dict]]:
    links = _victim_links(s.in_month("case__reported_on"))
    people = Count("victim", distinct=True)

    def by(qs: QuerySet, field: str) -> dict[Key, dict[str, int]]:
        counted = s.tally(qs, "case__", by=(field,), additive=False, n=people)
        return {key: _by(rows, field) for key, rows in counted.items()}

    age, band = _age_band_expression()
    by_sex = by(links, "victim__sex")
    by_band = by(links.annotate(_age=age, band=band), "band")
    child_counts = {
        "n_child": Count("victim", distinct=True, filter=Q(victim__is_child=True)),
        "n_adult": Count("victim", distinct=True, filter=Q(victim__is_child=False)),
        "n_unknown": Count("victim", distinct=True, filter=Q(victim__is_child__isnull=True)),
    }
    children = s.tally(links, "case__", additive=False, **child_counts)
    nationality = by(links, "victim__nationality")
    home = by(links, "victim__home_regency")
    regencies = list(Regency.objects.order_by("pk").values_list("pk", flat=True))
    bands = [f"{lo}-{hi}" if hi is not None else f"{lo}+" for lo, hi in AGE_BANDS]
    out = {}
    for key in s.keys:
        child = _one(children[key], *child_counts)
        out[key] = [
            table("victims_sex", _rows([Sex.L, Sex.P], by_sex[key])),
            table("victims_age", _rows(bands, by_band[key])),
            table(
                "victims_child",
                [
                    ("ANAK", [child["n_child"]]),
                    ("DEWASA", [child["n_adult"]]),
                    (UNKNOWN, [child["n_unknown"]]),
                ],
            ),
            table("victims_nationality", _observed(nationality[key])),
            table("victims_home_regency", _rows(regencies, home[key])),
        ]
    return out


FUNNEL_ROWS = [stage for stage in Stage.values if stage != Stage.P19]
QUALITY = ("no_report_no", "no_dates", "no_exploitation", "no_victims", "no_destination", "stale")


def stages_at_end(s: Scope) -> dict[Key, Rows]:
    """The cases reported by the month's end by the stage each stood at then: that of its
    latest event before the end (None without one)."""
    latest = (
        StageEvent.objects.filter(case=OuterRef("pk"), occurred_on__lt=s.end)
        .order_by("-occurred_on", "-id")
        .values("stage")[:1]
    )
    return s.tally(
        Case.objects.filter(reported_on__lt=s.end).annotate(at_end=Subquery(latest)),
        by=("at_end",),
        additive=True,
        n=Count("pk"),  # one row per case
    )


def justice_tables(s: Scope) -> dict[Key, list[dict]]:
    cases = Count("case", distinct=True)
    during = s.tally(
        StageEvent.objects.filter(s.in_month("occurred_on")),
        "case__",
        by=("stage",),
        additive=True,
        n=cases,
    )
    at_end = stages_at_end(s)
    defendants = Involvement.objects.filter(s.in_year("verdict_on"))
    verdicts = s.tally(
        defendants,
        "case__",
        by=("verdict",),
        additive=True,
        month=Count("pk", filter=s.in_month("verdict_on")),
        ytd=Count("pk"),
    )
    convicted = Q(verdict=Verdict.DIPIDANA)
    sentence_counts = {
        code: Count(
            "pk",
            filter=convicted
            & (
                Q(sentence_months__gte=lo)
                if hi is None
                else Q(sentence_months__gte=lo, sentence_months__lte=hi)
            ),
        )
        for code, lo, hi in SENTENCE_BANDS
    }
    money_sums = {
        **sentence_counts,
        "no_sentence": Count("pk", filter=convicted & Q(sentence_months__isnull=True)),
        "n_requested": Count("pk", filter=Q(restitution_requested__gt=0)),
        "n_awarded": Count("pk", filter=Q(restitution_awarded__gt=0)),
        "n_paid": Count("pk", filter=Q(restitution_paid__gt=0)),
        "requested": Coalesce(Sum("restitution_requested"), 0),
        "awarded": Coalesce(Sum("restitution_awarded"), 0),
        "paid": Coalesce(Sum("restitution_paid"), 0),
    }
    monies = s.tally(
        defendants.filter(s.in_month("verdict_on")), "case__", additive=True, **money_sums
    )
    out = {}
    for key in s.keys:
        moving = _by(during[key], "stage")
        standing_at_end = _by(at_end[key], "at_end")
        verdict = {row["verdict"]: row for row in verdicts[key]}
        money = _one(monies[key], *money_sums)
        out[key] = [
            table(
                "funnel",
                [
                    (stage, [moving.get(stage, 0), standing_at_end.get(stage, 0)])
                    for stage in FUNNEL_ROWS
                ],
                columns=(DURING, STANDING),
                total=False,
            ),
            table(
                "verdicts",
                [
                    (v, [verdict.get(v, {}).get("month", 0), verdict.get(v, {}).get("ytd", 0)])
                    for v in Verdict.values
                ],
                columns=(MONTH, YTD),
                total=False,
            ),
            table(
                "sentences",
                [(code, [money[code]]) for code, _lo, _hi in SENTENCE_BANDS]
                + [(UNKNOWN, [money["no_sentence"]])],
            ),
            table(
                "restitution",
                [
                    ("DIMOHONKAN", [money["n_requested"], money["requested"]]),
                    ("DIPUTUS", [money["n_awarded"], money["awarded"]]),
                    ("DIBAYAR", [money["n_paid"], money["paid"]]),
                ],
                columns=("TERDAKWA", "RUPIAH"),
                total=False,
                money=("RUPIAH",),
            ),
        ]
    return out


def service_tables(s: Scope) -> dict[Key, list[dict]]:
    delivered = VictimService.objects.filter(s.in_month("started_on")).exclude(
        status__in=[ServiceStatus.DITOLAK, ServiceStatus.DIBATALKAN]
    )
    services = Count("pk", distinct=True)
    by_type = s.tally(delivered, "case__", by=("type",), additive=True, n=services)
    by_provider = s.tally(
        delivered, "case__", by=("provider_agency__kind",), additive=True, n=services
    )
    first_aid = VictimService.objects.filter(
        case=OuterRef("case"), victim=OuterRef("victim"), type=ServiceType.PERTOLONGAN_PERTAMA
    ).exclude(status__in=[ServiceStatus.DITOLAK, ServiceStatus.DIBATALKAN])
    # Each victim of each new case once (pairs, not people: a first aid belongs to a case).
    aid = (
        _victim_links(s.in_month("case__reported_on"))
        .annotate(
            first_aid=Subquery(
                first_aid.values("case").annotate(d=Min("started_on")).values("d")[:1]
            ),
        )
        .annotate(
            # Days from report to first aid, computed from the dates the database holds.
            within=When_(
                When(first_aid__isnull=True, then=Value("BELUM")),
                When(
                    first_aid__lte=F("case__reported_on") + timedelta(days=FIRST_AID_DUE_DAYS),
                    then=Value("DALAM_7_HARI"),
                ),
                default=Value("LEBIH_7_HARI"),
                output_field=CharField(),
            )
        )
    )
    first = s.tally(aid, "case__", by=("within",), additive=True, n=Count("pk", distinct=True))
    out = {}
    for key in s.keys:
        aided = _by(first[key], "within")
        out[key] = [
            table(
                "services_type", _rows(ServiceType.values, _by(by_type[key], "type"), unknown=False)
            ),
            table(
                "services_provider",
                _rows(
                    Agency.Kind.values,
                    _by(by_provider[key], "provider_agency__kind"),
                    unknown=False,
                ),
            ),
            table(
                "first_aid",
                [
                    (code, [aided.get(code, 0)])
                    for code in ("DALAM_7_HARI", "LEBIH_7_HARI", "BELUM")
                ],
            ),
        ]
    return out


def completeness_tables(s: Scope, period: date) -> dict[Key, list[dict]]:
    from .models import UnitReturn
    from .selectors import FILED, LATE, MISSING, NIL, reporting_units, return_state

    units = reporting_units()
    if not s.province:
        units = units.filter(regency_id__in=s.regencies)
    units = list(units.order_by("name").values_list("pk", "name", "regency_id"))
    returns = {
        r.agency_id: r
        for r in UnitReturn.objects.filter(period=period, agency__in=[pk for pk, _n, _r in units])
    }
    is_open = Q(status__in=OPEN_STATUSES)
    exploitation = CaseCode.objects.filter(field=CodeField.EXPLOITATION).values("case_id")
    with_victims = CaseVictim.objects.values("case_id")
    stale = Case.objects.stale(s.end).values("pk")  # the one definition (cases)
    qualities = s.tally(
        Case.objects.filter(is_open, reported_on__lt=s.end),
        additive=True,
        no_report_no=Count("pk", filter=Q(police_report_no="")),
        no_dates=Count("pk", filter=Q(occurred_from__isnull=True)),
        no_exploitation=Count("pk", filter=~Q(pk__in=exploitation)),
        no_victims=Count("pk", filter=~Q(pk__in=with_victims)),
        no_destination=Count("pk", filter=Q(transnational=True, destination_country="")),
        stale=Count("pk", filter=Q(pk__in=stale)),
    )
    out = {}
    for key in s.keys:
        states = [
            (name, return_state(returns.get(pk)))
            for pk, name, regency in units
            if key is PROVINCE or regency == key
        ]
        tally = {
            state: sum(1 for _n, st in states if st == state)
            for state in (FILED, NIL, LATE, MISSING)
        }
        quality = _one(qualities[key], *QUALITY)
        out[key] = [
            table(
                "returns",
                [(state, [tally[state]]) for state in (FILED, NIL, LATE, MISSING)],
                protect=False,
            ),
            {
                "key": "returns_units",
                "columns": ["STATUS"],
                "rows": [[name, state] for name, state in states],
                "total": None,
                "protect": False,
                "money": [],
            },
            table(
                "data_quality",
                [
                    ("TANPA_NOMOR_LP", [quality["no_report_no"]]),
                    ("TANPA_TANGGAL_KEJADIAN", [quality["no_dates"]]),
                    ("TANPA_JENIS_EKSPLOITASI", [quality["no_exploitation"]]),
                    ("TANPA_KORBAN", [quality["no_victims"]]),
                    ("TANPA_NEGARA_TUJUAN", [quality["no_destination"]]),
                    (f"MANGKRAK_{STALE_AFTER_DAYS}_HARI", [quality["stale"]]),
                ],
                total=False,
            ),
        ]
    return out


def tip_tables(s: Scope, victims_month: dict[Key, int]) -> dict[Key, list[dict]]:
    people = Count("victim", distinct=True)
    ytd_victims = s.tally(
        _victim_links(s.in_year("case__reported_on")), "case__", additive=False, n=people
    )
    stages = s.tally(
        StageEvent.objects.filter(
            s.in_year("occurred_on"), stage__in=[Stage.PENYIDIKAN, Stage.PENUNTUTAN]
        ),
        "case__",
        by=("stage",),
        additive=True,
        month=Count("case", distinct=True, filter=s.in_month("occurred_on")),
        ytd=Count("case", distinct=True),
    )
    convictions = s.tally(
        Involvement.objects.filter(s.in_year("verdict_on"), verdict=Verdict.DIPIDANA),
        "case__",
        additive=True,
        month=Count("pk", filter=s.in_month("verdict_on")),
        ytd=Count("pk"),
    )
    referred = s.tally(
        VictimService.objects.annotate(on=Coalesce("referred_on", "started_on"))
        .filter(on__gte=s.year_start, on__lt=s.end)
        .exclude(victim__status=VictimStatus.BUKAN_KORBAN),
        "case__",
        additive=False,
        month=Count("victim", distinct=True, filter=Q(on__gte=s.start)),
        ytd=Count("victim", distinct=True),
    )
    out = {}
    for key in s.keys:
        stage = {row["stage"]: [row["month"], row["ytd"]] for row in stages[key]}
        convicted = _one(convictions[key], "month", "ytd")
        sent = _one(referred[key], "month", "ytd")
        out[key] = [
            table(
                "tip",
                [
                    ("PENYIDIKAN", stage.get(Stage.PENYIDIKAN, [0, 0])),
                    ("PENUNTUTAN", stage.get(Stage.PENUNTUTAN, [0, 0])),
                    ("TERPIDANA", [convicted["month"], convicted["ytd"]]),
                    (
                        "KORBAN_TERIDENTIFIKASI",
                        [victims_month[key], _one(ytd_victims[key], "n")["n"]],
                    ),
                    ("KORBAN_DIRUJUK", [sent["month"], sent["ytd"]]),
                ],
                columns=(MONTH, YTD),
                total=False,
            )
        ]
    return out


def ref(table_key: str, row: str, column: str = COUNT) -> list[str]:
    return [table_key, row, column]


def links() -> list[dict]:
    """Equations between tables: the same population counted in several tables, and the
    child/adult split that the age bands add up to. Disclosure control must respect them."""
    equal = [
        (ref("cases_scope", TOTAL), ref("labour_sectors", TOTAL)),
        (ref("cases_scope", "LINTAS_NEGARA"), ref("destination_countries", TOTAL)),
        (ref("victims_sex", TOTAL), ref("victims_age", TOTAL)),
        (ref("victims_sex", TOTAL), ref("victims_child", TOTAL)),
        (ref("victims_sex", TOTAL), ref("victims_nationality", TOTAL)),
        (ref("victims_sex", TOTAL), ref("victims_home_regency", TOTAL)),
        (ref("tip", "KORBAN_TERIDENTIFIKASI", MONTH), ref("victims_sex", TOTAL)),
        (ref("victims_child", UNKNOWN), ref("victims_age", UNKNOWN)),
        (ref("services_type", TOTAL), ref("services_provider", TOTAL)),
        (ref("sentences", TOTAL), ref("verdicts", Verdict.DIPIDANA, MONTH)),
        (ref("tip", "TERPIDANA", MONTH), ref("verdicts", Verdict.DIPIDANA, MONTH)),
        (ref("tip", "TERPIDANA", YTD), ref("verdicts", Verdict.DIPIDANA, YTD)),
        (ref("tip", "PENYIDIKAN", MONTH), ref("funnel", Stage.PENYIDIKAN, DURING)),
        (ref("tip", "PENUNTUTAN", MONTH), ref("funnel", Stage.PENUNTUTAN, DURING)),
    ]
    result = [{"total": a, "members": [b]} for a, b in equal]
    result.append(
        {
            "total": ref("victims_child", "ANAK"),
            "members": [ref("victims_age", b) for b in CHILD_BANDS],
        }
    )
    result.append(
        {
            "total": ref("victims_child", "DEWASA"),
            "members": [ref("victims_age", b) for b in ADULT_BANDS],
        }
    )
    return result


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL compiles (JIT) every query its planner costs high, as it does these
    aggregates over all the cases; for queries run once, compiling took longer than running
    (6.0 s against 2.2 s for the province's figures at 100,000 cases). Off for this
    transaction only."""
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def _contents(s: Scope, period: date) -> dict[Key, dict]:
    with _without_jit():
        cases = case_tables(s)
        victims = victim_tables(s)
        justice = justice_tables(s)
        services = service_tables(s)
        tip = tip_tables(s, {key: victims[key][0]["total"][0] for key in s.keys})
        completeness = completeness_tables(s, period)
    return {
        key: {
            "schema": 1,
            "period": f"{period:%Y-%m}",
            "regency": key,
            "tables": cases[key]
            + victims[key]
            + justice[key]
            + services[key]
            + tip[key]
            + completeness[key],
            "links": links(),
        }
        for key in s.keys
    }


def summary_figures(period: date, regency_id: str | None) -> dict:
    """The internal (exact) content of one summary."""
    if regency_id is None:
        scope = Scope(period, province=True, regencies=[])
    else:
        scope = Scope(period, province=False, regencies=[regency_id])
    return _contents(scope, period)[regency_id]


def summaries_figures(period: date) -> dict[Key, dict]:
    """The internal content of the province's summary and of every regency's, by key
    (PROVINCE, then the regency codes in order): the same as `summary_figures` for each,
    with one query per figure for all of them."""
    regencies = list(Regency.objects.order_by("pk").values_list("pk", flat=True))
    scope = Scope(period, province=True, regencies=regencies, every_regency=True)
    return _contents(scope, period)
