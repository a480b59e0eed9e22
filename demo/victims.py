"""Demo victims and their identities: codes from the victim service's own functions, the
NIK's keyed hash from `core.crypto`, consent, and the change history of each victim."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cases.models import CaseVictim
from core.crypto import nik_hash
from core.sequences import next_numbers
from victims.models import Consent, Victim, VictimIdentity
from victims.services import victim_code, victim_series

from .cases import CasePlan
from .chance import Chance
from .scenarios import REGENCY_WEIGHTS
from .timeline import History
from .world import World

EDUCATION = ["SD", "SMP", "SMP", "SMA", "TIDAK_DIKETAHUI"]
OCCUPATIONS = ["Pelajar", "Tidak bekerja", "Buruh", "Pedagang", ""]


@dataclass
class VictimPlan:
    victim: Victim
    case: CasePlan
    birth: date
    home: str  # regency code
    confirmed_at: datetime | None = None  # when a suspected victim was confirmed

    @property
    def is_minor(self) -> bool:
        return self.victim.age_at_exploitation < 18


def plan_victims(chance: Chance, world: World, plan: CasePlan) -> list[VictimPlan]:
    return [_victim(chance, world, plan) for _ in range(chance.between(*plan.scenario.victims))]


def _victim(chance: Chance, world: World, plan: CasePlan) -> VictimPlan:
    sc, case = plan.scenario, plan.case
    age = chance.between(*sc.ages)
    birth = case.reported_on - timedelta(days=age * 365 + chance.between(0, 364))
    home = case.regency_id if chance.chance(0.7) else chance.pick(list(REGENCY_WEIGHTS))
    victim = Victim(
        sex=chance.pick(sc.sexes),
        age_at_identification=age,
        age_at_exploitation=max(age - chance.between(0, 1), 0),
        nationality="IDN",
        home_regency=world.regencies[home],
        education=chance.pick(EDUCATION),
        occupation=chance.pick(OCCUPATIONS),
        disability=chance.chance(0.03) if chance.chance(0.6) else None,
        status=chance.weighted([("TERIDENTIFIKASI", 8), ("DIDUGA", 2)]),
        identifying_agency=case.reporting_agency,
        identified_on=case.reported_on,
    )
    vp = VictimPlan(victim, plan, birth, home)
    victim.created_at = victim.updated_at = plan.created_at
    if victim.status == "TERIDENTIFIKASI" and chance.chance(0.4):
        # First recorded as suspected, confirmed after the assessment.
        later = chance.days_after(case.reported_on, 1, 14)
        vp.confirmed_at = victim.updated_at = chance.moment(later, not_before=plan.created_at)
    return vp


def number_victims(plans: list[VictimPlan]) -> None:
    """Victim codes as the victim service gives them, a block per year at once."""
    by_year: dict[int, list[Victim]] = defaultdict(list)
    for vp in plans:
        by_year[vp.victim.identified_on.year].append(vp.victim)
    for year, victims in by_year.items():
        for victim, seq in zip(
            victims, next_numbers(victim_series(year), len(victims)), strict=True
        ):
            victim.code = victim_code(year, seq)


def case_link(vp: VictimPlan) -> CaseVictim:
    return CaseVictim(case=vp.case.case, victim=vp.victim, created_at=vp.case.created_at)


def identity(chance: Chance, world: World, vp: VictimPlan) -> VictimIdentity:
    victim = vp.victim
    name = chance.fake.name_female() if victim.sex == "P" else chance.fake.name_male()
    nik = chance.nik(vp.home, vp.birth, victim.sex)
    return VictimIdentity(
        victim=victim,
        full_name=name,
        nik=nik,
        birth_date=vp.birth,
        phone=f"08{chance.between(11, 59)}{chance.between(10000000, 99999999)}",
        address=f"{chance.fake.street_address()}, {world.regencies[vp.home].name}",
        guardian=chance.fake.name() if vp.is_minor else "",
        nik_hash=nik_hash(nik),
        updated_at=vp.case.created_at,
    )


def consent(vp: VictimPlan) -> Consent:
    return Consent(
        victim=vp.victim,
        basis="PERSETUJUAN",
        given_by="ORANG_TUA_WALI" if vp.is_minor else "KORBAN",
        scope="LAYANAN",
        given_on=vp.case.case.reported_on,
        recorded_by=vp.case.officer,
        created_at=vp.case.created_at,
    )


def victim_history(history: History, vp: VictimPlan) -> None:
    officer = vp.case.officer
    if vp.confirmed_at is None:
        history.created(vp.victim, at=vp.victim.created_at, by=officer)
        return
    history.created(vp.victim, at=vp.victim.created_at, by=officer, status="DIDUGA")
    history.changed(vp.victim, at=vp.confirmed_at, by=officer)
