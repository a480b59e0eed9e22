"""Demo cases and their stages: what each case is about, how far it got and when, its
register number (from the same functions the case service uses) and its change history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from agencies.models import Agency, User
from cases.codes import CodeField, Stage
from cases.models import Case, CaseCode, JourneyEvent, StageEvent
from cases.services import register_number, register_series
from core.sequences import next_numbers

from .chance import Chance
from .scenarios import END_STAGES, SCENARIOS, Scenario, stage_path, status_for
from .timeline import History
from .world import World

DEMO_REF_PREFIX = "DEMO-"
RECRUITER_RELATIONS = [
    "TEMAN",
    "TETANGGA_KENALAN",
    "KENALAN_ONLINE",
    "CALO_SPONSOR",
    "PASANGAN_PACAR",
    "KELUARGA",
    "TIDAK_DIKETAHUI",
]
TRANSIT_PLACES = ["Nunukan", "Batam", "Tanjung Pinang", "Jakarta"]


@dataclass(frozen=True)
class Reached:
    """A stage the case reached: on which day, and when the officer recorded it."""

    stage: str
    on: date
    at: datetime


@dataclass
class CasePlan:
    case: Case
    scenario: Scenario
    officer: User
    reached: list[Reached] = field(default_factory=list)

    def when(self, stage: str) -> Reached | None:
        return next((r for r in self.reached if r.stage == stage), None)

    @property
    def created_at(self) -> datetime:
        return self.reached[0].at


def plan_case(chance: Chance, world: World, reported: date, regency: str, ref: int) -> CasePlan:
    """One case in memory, with the stages it has reached by today."""
    scenario = chance.weighted([(s, s.weight) for s in SCENARIOS])
    path = stage_path(chance.weighted(END_STAGES), chance.rng)
    reporter = _reporter(chance, world, regency)
    case = _case(chance, scenario, reported)
    case.regency, case.reporting_agency = world.regencies[regency], reporter
    case.external_ref = f"{DEMO_REF_PREFIX}{ref:07d}"
    plan = CasePlan(case, scenario, world.officer_of(reporter), _timeline(chance, path, reported))
    _settle(chance, plan)
    return plan


def _reporter(chance: Chance, world: World, regency: str) -> Agency:
    if regency == "6303" and chance.chance(0.15):
        return world.units["6372"]  # Polres Banjarbaru covers part of Banjar
    return world.units[regency]


def _case(chance: Chance, sc: Scenario, reported: date) -> Case:
    country = chance.pick(sc.countries) if sc.countries else ""
    occurred_from = reported - timedelta(days=chance.between(5, 200))
    return Case(
        reported_on=reported,
        occurred_from=occurred_from,
        occurred_to=chance.day_between(occurred_from, reported),
        summary=sc.summary,
        labour_sector=sc.sector,
        recruiter_relation=chance.pick(RECRUITER_RELATIONS),
        transnational=bool(country),
        destination_country=country,
        complicity=chance.chance(0.03),
    )


def _timeline(chance: Chance, path: list[str], reported: date) -> list[Reached]:
    """The stages of `path` reached by today, each recorded a few days after it happened."""
    reached: list[Reached] = []
    on, at = reported, None
    while path and on <= chance.today:
        recorded = chance.days_after(on, 0, 3) if reached else on
        at = chance.moment(recorded, not_before=at)
        reached.append(Reached(path.pop(0), on, at))
        on += timedelta(days=chance.between(7, 75))
    return reached


def _settle(chance: Chance, plan: CasePlan) -> None:
    """The case as it stands now: its stage, status, police report, stamps and version."""
    case, last = plan.case, plan.reached[-1]
    case.stage, case.status = last.stage, status_for(last.stage)
    police_report = plan.when(Stage.LAPORAN_POLISI)
    if police_report:
        unit = case.reporting_agency.parent.name.replace(" ", "-").upper()
        on = police_report.on
        case.police_report_no = f"LP/B/{chance.between(1, 999)}/{on:%m}/{on.year}/SPKT/{unit}"
    case.created_by = case.updated_by = plan.officer
    case.created_at, case.updated_at = plan.created_at, last.at
    case.version = len(plan.reached)  # each recorded stage is one write of the case


def number_cases(plans: list[CasePlan]) -> None:
    """Register numbers as the case service gives them, a block per series at once."""
    series: dict[tuple[str, int], list[Case]] = defaultdict(list)
    for plan in plans:
        series[(plan.case.regency_id, plan.case.reported_on.year)].append(plan.case)
    for (regency, year), cases in series.items():
        numbers = next_numbers(register_series(regency, year), len(cases))
        for case, seq in zip(cases, numbers, strict=True):
            case.register_no = register_number(regency, year, seq)


def case_codes(chance: Chance, plan: CasePlan) -> list[CaseCode]:
    sc, case = plan.scenario, plan.case
    chosen = [
        (CodeField.EXPLOITATION, sc.exploitation),
        (CodeField.MODUS, sc.modus),
        (CodeField.CHANNEL, chance.some(sc.channels)),
        (CodeField.CONTROL, chance.some(sc.control)),
    ]
    return [CaseCode(case=case, field=f, code=code) for f, codes in chosen for code in codes]


def stage_events(plan: CasePlan) -> list[StageEvent]:
    case = plan.case
    return [
        StageEvent(
            case=case,
            stage=r.stage,
            occurred_on=r.on,
            document_no=case.police_report_no if r.stage == Stage.LAPORAN_POLISI else "",
            recorded_by=plan.officer,
            recorded_at=r.at,
        )
        for r in plan.reached
    ]


def journey_events(chance: Chance, case: Case) -> list[JourneyEvent]:
    """Recruited at home; exploited at home, or abroad after a transit port."""
    home = {"regency": case.regency, "place": case.regency.name}
    events = [JourneyEvent(case=case, kind="REKRUTMEN", occurred_on=case.occurred_from, **home)]
    if not case.destination_country:
        return [
            *events,
            JourneyEvent(case=case, kind="EKSPLOITASI", occurred_on=case.occurred_to, **home),
        ]
    transit = chance.pick(TRANSIT_PLACES)
    return [
        *events,
        JourneyEvent(
            case=case, kind="TRANSIT", country="IDN", place=transit, occurred_on=case.occurred_from
        ),
        JourneyEvent(
            case=case,
            kind="EKSPLOITASI",
            country=case.destination_country,
            occurred_on=case.occurred_to,
        ),
    ]


def case_history(history: History, plan: CasePlan) -> None:
    """One historical row per recorded stage: created at the first, changed at each next."""
    police_report = plan.when(Stage.LAPORAN_POLISI)
    for version, r in enumerate(plan.reached, start=1):
        then = {
            "stage": r.stage,
            "status": status_for(r.stage),
            "version": version,
            "police_report_no": plan.case.police_report_no
            if police_report and police_report.at <= r.at
            else "",
        }
        record = history.created if version == 1 else history.changed
        record(plan.case, at=r.at, by=plan.officer, **then)
