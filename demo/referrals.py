"""Demo services and referrals: first aid within days of the report (art. 52), then a
referral to a provincial agency that accepts, completes, or turns it down."""

from __future__ import annotations

from datetime import date

from victims.models import VictimService

from .chance import Chance
from .victims import VictimPlan
from .world import World

FIRST_AID_DELAYS = [0, 1, 2, 3, 5, 6, 9, 14]  # days; most within the 7 the law allows
DOMESTIC_SERVICES = ["REHAB_SOSIAL", "PSIKOLOGIS", "PENDAMPINGAN_HUKUM", "RUMAH_AMAN"]
RETURN_SERVICES = ["REPATRIASI", "PEMULANGAN"]
REJECTION = "Kapasitas rumah aman penuh; dirujuk ke lembaga lain."


def first_aid(chance: Chance, world: World, vp: VictimPlan) -> VictimService:
    case = vp.case.case
    delay = chance.pick(FIRST_AID_DELAYS)
    on = chance.days_after(case.reported_on, delay, delay)
    service = VictimService(
        victim=vp.victim,
        case=case,
        type="PERTOLONGAN_PERTAMA",
        provider_agency=world.dp3a[case.regency_id],
        status="SELESAI",
        started_on=on,
        completed_on=on,
        created_by=vp.case.officer,
    )
    _stamp(chance, service, vp, on, on)
    return service


def referral(chance: Chance, world: World, vp: VictimPlan) -> VictimService:
    case = vp.case.case
    abroad = bool(case.destination_country)
    referred = chance.days_after(case.reported_on, 1, 20)
    service = VictimService(
        victim=vp.victim,
        case=case,
        type=chance.pick(RETURN_SERVICES if abroad else DOMESTIC_SERVICES),
        provider_agency=world.bp3mi if abroad else chance.pick([world.uptd, world.dinsos]),
        referring_agency=case.reporting_agency,
        status=chance.weighted([("SELESAI", 5), ("BERJALAN", 3), ("DIRUJUK", 2), ("DITOLAK", 1)]),
        referred_on=referred,
        created_by=vp.case.officer,
    )
    _answer(chance, service)
    last = service.completed_on or service.started_on or service.rejected_on or referred
    _stamp(chance, service, vp, referred, last)
    return service


def _answer(chance: Chance, service: VictimService) -> None:
    """The provider's answer to the referral, as far as it has got."""
    referred = service.referred_on
    if service.status in ("SELESAI", "BERJALAN"):
        service.accepted_on = service.started_on = chance.days_after(referred, 0, 5)
    if service.status == "SELESAI":
        service.completed_on = chance.days_after(service.started_on, 3, 60)
    if service.status == "DITOLAK":
        service.rejected_on = chance.days_after(referred, 2, 2)
        service.rejection_reason = REJECTION


def _stamp(chance: Chance, service: VictimService, vp: VictimPlan, first: date, last: date):
    service.created_at = chance.moment(first, not_before=vp.case.created_at)
    service.updated_at = chance.moment(last, not_before=service.created_at)
