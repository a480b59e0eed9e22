"""The figures of a monthly summary, aggregated in the database.

Every function issues a fixed number of queries (GROUP BY / Count and Sum with filter=),
whatever the number of cases: no per-row Python loops. The result is plain data (codes and
integers, no labels, no timestamps) so that the same case data gives the same bytes.

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

from datetime import date, timedelta

from django.db.models import (
    Case as When_,
)
from django.db.models import (
    CharField,
    Count,
    F,
    Max,
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
    CaseStatus,
    CodeField,
    ExploitationType,
    LabourSector,
    PerpetratorRole,
    RecruitmentModus,
    Stage,
    Verdict,
)
from cases.models import Case, CaseCode, CaseVictim, Involvement, InvolvementRole, StageEvent
from victims.codes import AGE_BANDS, ServiceStatus, ServiceType, Sex, VictimStatus
from victims.models import Victim, VictimService

from .periods import next_month

UNKNOWN = "TIDAK_DIKETAHUI"
TOTAL = "TOTAL"
STALE_DAYS = 90
FIRST_AID_DAYS = 7
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


def _counts(qs: QuerySet, field: str, *, distinct: str = "pk") -> dict[str, int]:
    """One GROUP BY query: {value: count}; NULL and blank both count as unknown."""
    result: dict[str, int] = {}
    for row in qs.values(field).annotate(n=Count(distinct, distinct=True)).order_by():
        key = row[field] if row[field] not in (None, "") else UNKNOWN
        result[str(key)] = result.get(str(key), 0) + row["n"]
    return result


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
    """The cases of one regency (or all, for the province) and the month's date bounds."""

    def __init__(self, period: date, regency_id: str | None):
        self.start = period
        self.end = next_month(period)
        self.year_start = date(period.year, 1, 1)
        self.regency_id = regency_id

    def cases(self, path: str = "") -> Q:
        return Q(**{f"{path}regency_id": self.regency_id}) if self.regency_id else Q()

    def in_month(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def in_year(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.year_start, f"{field}__lt": self.end})


def case_tables(s: Scope) -> list[dict]:
    new = Case.objects.filter(s.cases(), s.in_month("reported_on"))
    complicit_cases = InvolvementRole.objects.filter(code=PerpetratorRole.OKNUM_APARAT).values(
        "involvement__case_id"
    )
    head = new.aggregate(
        n_domestic=Count("pk", filter=Q(transnational=False)),
        n_transnational=Count("pk", filter=Q(transnational=True)),
        n_unknown=Count("pk", filter=Q(transnational__isnull=True)),
        n_complicity=Count("pk", filter=Q(complicity=True) | Q(pk__in=complicit_cases)),
    )
    sectors = _counts(new, "labour_sector")
    countries = _counts(new.filter(transnational=True), "destination_country")
    codes: dict[str, dict[str, int]] = {CodeField.EXPLOITATION: {}, CodeField.MODUS: {}}
    rows = (
        CaseCode.objects.filter(case__in=new, field__in=list(codes))
        .values("field", "code")
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )
    for row in rows:
        codes[row["field"]][row["code"]] = row["n"]
    perpetrators = Involvement.objects.filter(case__in=new)
    roles = _counts(
        InvolvementRole.objects.filter(involvement__in=perpetrators),
        "code",
        distinct="involvement__perpetrator",
    )
    people = perpetrators.aggregate(
        n=Count("perpetrator", distinct=True),
        corporations=Count("perpetrator", distinct=True, filter=Q(perpetrator__kind="KORPORASI")),
    )
    return [
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
            _rows(ExploitationType.values, codes[CodeField.EXPLOITATION], unknown=False),
            total=False,
        ),
        table("labour_sectors", _rows(LabourSector.values, sectors)),
        table(
            "recruitment_modus",
            _rows(RecruitmentModus.values, codes[CodeField.MODUS], unknown=False),
            total=False,
        ),
        table("destination_countries", _observed(countries)),
        table(
            "perpetrators",
            [
                ("PELAKU", [people["n"]]),
                ("KORPORASI", [people["corporations"]]),
                ("KASUS_KETERLIBATAN_APARAT", [head["n_complicity"]]),
            ],
            total=False,
        ),
        table(
            "perpetrator_roles",
            _rows(PerpetratorRole.values, roles, unknown=False),
            total=False,
        ),
    ]


def _victims_of(cases: QuerySet) -> QuerySet:
    """Each person once, however many of the cases they appear in."""
    links = CaseVictim.objects.filter(case__in=cases).values("victim_id")
    return Victim.objects.filter(pk__in=links).exclude(status=VictimStatus.BUKAN_KORBAN)


def _age_band_expression():
    # The age that decides `is_child`: at exploitation where known, else at identification.
    age = Coalesce("age_at_exploitation", "age_at_identification")
    whens = []
    for lo, hi in AGE_BANDS:
        label = f"{lo}-{hi}" if hi is not None else f"{lo}+"
        cond = Q(_age__gte=lo) if hi is None else Q(_age__gte=lo, _age__lte=hi)
        whens.append(When(cond, then=Value(label)))
    return age, When_(*whens, default=Value(UNKNOWN), output_field=CharField())


def victim_tables(s: Scope) -> list[dict]:
    victims = _victims_of(Case.objects.filter(s.cases(), s.in_month("reported_on")))
    age, band = _age_band_expression()
    by_sex = _counts(victims, "sex")
    by_band = _counts(victims.annotate(_age=age, band=band), "band")
    child = victims.aggregate(
        n_child=Count("pk", filter=Q(is_child=True)),
        n_adult=Count("pk", filter=Q(is_child=False)),
        n_unknown=Count("pk", filter=Q(is_child__isnull=True)),
    )
    nationality = _counts(victims, "nationality")
    home = _counts(victims, "home_regency")
    bands = [f"{lo}-{hi}" if hi is not None else f"{lo}+" for lo, hi in AGE_BANDS]
    return [
        table("victims_sex", _rows([Sex.L, Sex.P], by_sex)),
        table("victims_age", _rows(bands, by_band)),
        table(
            "victims_child",
            [
                ("ANAK", [child["n_child"]]),
                ("DEWASA", [child["n_adult"]]),
                (UNKNOWN, [child["n_unknown"]]),
            ],
        ),
        table("victims_nationality", _observed(nationality)),
        table(
            "victims_home_regency",
            _rows(list(Regency.objects.order_by("pk").values_list("pk", flat=True)), home),
        ),
    ]


FUNNEL_ROWS = [stage for stage in Stage.values if stage != Stage.P19]


def justice_tables(s: Scope) -> list[dict]:
    events = StageEvent.objects.filter(s.cases("case__"), s.in_month("occurred_on"))
    during = _counts(events, "stage", distinct="case")
    latest = (
        StageEvent.objects.filter(case=OuterRef("pk"), occurred_on__lt=s.end)
        .order_by("-occurred_on", "-id")
        .values("stage")[:1]
    )
    standing = _counts(
        Case.objects.filter(s.cases(), reported_on__lt=s.end).annotate(at_end=Subquery(latest)),
        "at_end",
    )
    defendants = Involvement.objects.filter(s.cases("case__"), s.in_year("verdict_on"))
    verdicts = {
        row["verdict"]: row
        for row in defendants.values("verdict")
        .annotate(month=Count("pk", filter=s.in_month("verdict_on")), ytd=Count("pk"))
        .order_by()
    }
    month = defendants.filter(s.in_month("verdict_on"))
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
    money = month.aggregate(
        **sentence_counts,
        no_sentence=Count("pk", filter=convicted & Q(sentence_months__isnull=True)),
        n_requested=Count("pk", filter=Q(restitution_requested__gt=0)),
        n_awarded=Count("pk", filter=Q(restitution_awarded__gt=0)),
        n_paid=Count("pk", filter=Q(restitution_paid__gt=0)),
        requested=Coalesce(Sum("restitution_requested"), 0),
        awarded=Coalesce(Sum("restitution_awarded"), 0),
        paid=Coalesce(Sum("restitution_paid"), 0),
    )
    return [
        table(
            "funnel",
            [(stage, [during.get(stage, 0), standing.get(stage, 0)]) for stage in FUNNEL_ROWS],
            columns=(DURING, STANDING),
            total=False,
        ),
        table(
            "verdicts",
            [
                (v, [verdicts.get(v, {}).get("month", 0), verdicts.get(v, {}).get("ytd", 0)])
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


def service_tables(s: Scope) -> list[dict]:
    delivered = VictimService.objects.filter(s.cases("case__"), s.in_month("started_on")).exclude(
        status__in=[ServiceStatus.DITOLAK, ServiceStatus.DIBATALKAN]
    )
    by_type = _counts(delivered, "type")
    by_provider = _counts(delivered, "provider_agency__kind")
    first_aid = VictimService.objects.filter(
        case=OuterRef("case"), victim=OuterRef("victim"), type=ServiceType.PERTOLONGAN_PERTAMA
    ).exclude(status__in=[ServiceStatus.DITOLAK, ServiceStatus.DIBATALKAN])
    links = CaseVictim.objects.filter(s.cases("case__"), s.in_month("case__reported_on")).exclude(
        victim__status=VictimStatus.BUKAN_KORBAN
    )
    # Days from report to first aid, computed from the dates the database holds.
    aid = links.annotate(
        first_aid=Subquery(first_aid.values("case").annotate(d=Min("started_on")).values("d")[:1]),
    ).annotate(
        within=When_(
            When(first_aid__isnull=True, then=Value("BELUM")),
            When(
                first_aid__lte=F("case__reported_on") + timedelta(days=FIRST_AID_DAYS),
                then=Value("DALAM_7_HARI"),
            ),
            default=Value("LEBIH_7_HARI"),
            output_field=CharField(),
        )
    )
    first = _counts(aid, "within")
    return [
        table("services_type", _rows(ServiceType.values, by_type, unknown=False)),
        table(
            "services_provider",
            _rows(Agency.Kind.values, by_provider, unknown=False),
        ),
        table(
            "first_aid",
            [(code, [first.get(code, 0)]) for code in ("DALAM_7_HARI", "LEBIH_7_HARI", "BELUM")],
        ),
    ]


def completeness_tables(s: Scope, period: date) -> list[dict]:
    from .models import UnitReturn
    from .selectors import FILED, LATE, MISSING, NIL, reporting_units, return_state

    units = reporting_units()
    if s.regency_id:
        units = units.filter(regency_id=s.regency_id)
    units = list(units.order_by("name").values_list("pk", "name"))
    returns = {
        r.agency_id: r
        for r in UnitReturn.objects.filter(period=period, agency__in=[pk for pk, _n in units])
    }
    states = [(name, return_state(returns.get(pk))) for pk, name in units]
    tally = {
        state: sum(1 for _n, st in states if st == state) for state in (FILED, NIL, LATE, MISSING)
    }
    open_cases = Case.objects.filter(
        s.cases(),
        reported_on__lt=s.end,
        status__in=[CaseStatus.AKTIF, CaseStatus.TINDAK_LANJUT],
    )
    last_move = (
        StageEvent.objects.filter(case=OuterRef("pk"), occurred_on__lt=s.end)
        .values("case")
        .annotate(d=Max("occurred_on"))
        .values("d")[:1]
    )
    stale_before = s.end - timedelta(days=STALE_DAYS)
    exploitation = CaseCode.objects.filter(field=CodeField.EXPLOITATION).values("case_id")
    with_victims = CaseVictim.objects.values("case_id")
    quality = open_cases.annotate(last_move=Subquery(last_move)).aggregate(
        no_report_no=Count("pk", filter=Q(police_report_no="")),
        no_dates=Count("pk", filter=Q(occurred_from__isnull=True)),
        no_exploitation=Count("pk", filter=~Q(pk__in=exploitation)),
        no_victims=Count("pk", filter=~Q(pk__in=with_victims)),
        no_destination=Count("pk", filter=Q(transnational=True, destination_country="")),
        stale=Count("pk", filter=Q(last_move__lt=stale_before)),
    )
    return [
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
                (f"MANGKRAK_{STALE_DAYS}_HARI", [quality["stale"]]),
            ],
            total=False,
        ),
    ]


def tip_table(s: Scope, victims_month: int) -> dict:
    year_cases = Case.objects.filter(s.cases(), s.in_year("reported_on"))
    ytd_victims = _victims_of(year_cases).aggregate(n=Count("pk"))["n"]
    events = StageEvent.objects.filter(
        s.cases("case__"), s.in_year("occurred_on"), stage__in=[Stage.PENYIDIKAN, Stage.PENUNTUTAN]
    )
    stages = {
        row["stage"]: row
        for row in events.values("stage")
        .annotate(
            month=Count("case", distinct=True, filter=s.in_month("occurred_on")),
            ytd=Count("case", distinct=True),
        )
        .order_by()
    }
    convictions = Involvement.objects.filter(
        s.cases("case__"), s.in_year("verdict_on"), verdict=Verdict.DIPIDANA
    ).aggregate(month=Count("pk", filter=s.in_month("verdict_on")), ytd=Count("pk"))
    referred_on = Coalesce("referred_on", "started_on")
    referred = (
        VictimService.objects.filter(s.cases("case__"))
        .annotate(on=referred_on)
        .filter(on__gte=s.year_start, on__lt=s.end)
        .exclude(victim__status=VictimStatus.BUKAN_KORBAN)
        .aggregate(
            month=Count("victim", distinct=True, filter=Q(on__gte=s.start)),
            ytd=Count("victim", distinct=True),
        )
    )

    def stage(code: str) -> list[int]:
        return [stages.get(code, {}).get("month", 0), stages.get(code, {}).get("ytd", 0)]

    return table(
        "tip",
        [
            ("PENYIDIKAN", stage(Stage.PENYIDIKAN)),
            ("PENUNTUTAN", stage(Stage.PENUNTUTAN)),
            ("TERPIDANA", [convictions["month"], convictions["ytd"]]),
            ("KORBAN_TERIDENTIFIKASI", [victims_month, ytd_victims]),
            ("KORBAN_DIRUJUK", [referred["month"], referred["ytd"]]),
        ],
        columns=(MONTH, YTD),
        total=False,
    )


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


def summary_figures(period: date, regency_id: str | None) -> dict:
    """The internal (exact) content of one summary."""
    s = Scope(period, regency_id)
    victims = victim_tables(s)
    tables = (
        case_tables(s)
        + victims
        + justice_tables(s)
        + service_tables(s)
        + [tip_table(s, victims[0]["total"][0])]
        + completeness_tables(s, period)
    )
    return {
        "schema": 1,
        "period": f"{period:%Y-%m}",
        "regency": regency_id,
        "tables": tables,
        "links": links(),
    }
