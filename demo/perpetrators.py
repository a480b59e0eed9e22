"""Demo perpetrators and their involvement in cases: a syndicate that recurs across cases
and regencies, and each defendant's legal status as the case moves (suspect, accused,
convicted or acquitted, stopped), with the change history of each step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cases.codes import Stage
from cases.models import Involvement, InvolvementRole, Perpetrator

from .cases import CasePlan
from .chance import Chance
from .scenarios import STOP_AFTER
from .timeline import History

ARTICLES = "UU 21/2007 Pasal 2 ayat (1)"
# An involvement's outcome before anything is decided: every later state names all of these.
UNDECIDED = {
    "legal_status": "TERSANGKA",
    "verdict": "",
    "verdict_on": None,
    "sentence_months": None,
    "fine": None,
    "articles": "",
    "restitution_requested": None,
    "restitution_awarded": None,
    "restitution_paid": None,
}


@dataclass
class InvolvementPlan:
    involvement: Involvement
    roles: list[str]
    states: list[tuple[datetime, dict]] = field(default_factory=list)  # oldest first


def syndicate(chance: Chance, *, size: int, since: datetime) -> list[Perpetrator]:
    """People and unlicensed placement companies who turn up in many cases."""
    people = [
        _person(chance, nationality=chance.pick(["IDN", "IDN", "IDN", "MYS"]), born=(1965, 2000))
        for _ in range(size)
    ]
    for person in people:
        person.note = "Diduga bagian dari jaringan lintas kabupaten."
    firms = [_company(chance) for _ in range(size // 8)]
    for p in people + firms:
        p.created_at = p.updated_at = since
    return people + firms


def _person(chance: Chance, *, nationality: str = "IDN", born=(1960, 2003)) -> Perpetrator:
    return Perpetrator(
        kind="ORANG",
        name=chance.fake.name(),
        sex=chance.pick(["L", "L", "P"]),
        nationality=nationality,
        birth_year=chance.between(*born),
    )


def _company(chance: Chance) -> Perpetrator:
    suffix = chance.pick(["Jaya", "Mandiri", "Sejahtera", "Abadi"])
    return Perpetrator(
        kind="KORPORASI",
        name=f"PT {chance.fake.last_name()} {suffix} Utama",
        nationality="IDN",
        note="Perusahaan penempatan tidak berizin.",
    )


def perpetrators_of(chance: Chance, plan: CasePlan, known: list[Perpetrator]) -> list[Perpetrator]:
    """One to three perpetrators; now and then one of the syndicate. New people are unsaved."""
    chosen = [chance.pick(known)] if known and chance.chance(0.15) else []
    count = chance.between(1, 3)
    while len(chosen) < count:
        person = _person(chance)
        person.created_at = person.updated_at = plan.created_at
        chosen.append(person)
    return chosen


def involvement(chance: Chance, plan: CasePlan, perpetrator: Perpetrator) -> InvolvementPlan:
    inv = Involvement(case=plan.case, perpetrator=perpetrator)
    ip = InvolvementPlan(inv, chance.some(plan.scenario.roles, 1, 2))
    ip.states = [(plan.created_at, UNDECIDED), *_outcome(chance, plan)]
    at, final = ip.states[-1]
    for name, value in final.items():
        setattr(inv, name, value)
    inv.created_at, inv.updated_at = plan.created_at, at
    return ip


def _outcome(chance: Chance, plan: CasePlan) -> list[tuple[datetime, dict]]:
    """The defendant's later states, each when the stage that brought it was recorded."""
    accused, verdict = plan.when(Stage.PENUNTUTAN), plan.when(Stage.PUTUSAN)
    stopped = next((plan.when(s) for s in STOP_AFTER if plan.when(s)), None)
    states = []
    if accused:
        states.append((accused.at, {**UNDECIDED, "legal_status": "TERDAKWA"}))
    if verdict:
        states.append((verdict.at, _verdict(chance, verdict.on)))
    elif stopped:
        states.append((stopped.at, {**UNDECIDED, "legal_status": "DIHENTIKAN"}))
    elif not accused and chance.chance(0.1):
        states.append((plan.reached[-1].at, {**UNDECIDED, "legal_status": "DPO"}))
    return states


def _verdict(chance: Chance, on) -> dict:
    if chance.weighted([("DIPIDANA", 9), ("BEBAS", 1)]) == "BEBAS":
        return {
            **UNDECIDED,
            "legal_status": "BEBAS",
            "verdict": "BEBAS",
            "verdict_on": on,
            "articles": ARTICLES,
        }
    state = {
        **UNDECIDED,
        "legal_status": "TERPIDANA",
        "verdict": "DIPIDANA",
        "verdict_on": on,
        "articles": ARTICLES,
        "sentence_months": chance.between(36, 180),
        "fine": chance.between(120, 600) * 1_000_000,
    }
    if chance.chance(0.4):
        requested = chance.between(10, 200) * 1_000_000
        awarded = requested * chance.between(3, 10) // 10
        state.update(
            restitution_requested=requested,
            restitution_awarded=awarded,
            restitution_paid=awarded * chance.pick([0, 0, 5, 10]) // 10,
        )
    return state


def roles(ip: InvolvementPlan) -> list[InvolvementRole]:
    return [InvolvementRole(involvement=ip.involvement, code=code) for code in ip.roles]


def involvement_history(history: History, ip: InvolvementPlan, plan: CasePlan) -> None:
    (first_at, first), *later = ip.states
    history.created(ip.involvement, at=first_at, by=plan.officer, **first)
    for at, state in later:
        history.changed(ip.involvement, at=at, by=plan.officer, **state)
