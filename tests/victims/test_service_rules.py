"""A service that has ended stays ended: completed, rejected or cancelled, it is never
started, accepted or referred again (a new need is a new service)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.models import Agency
from tests.factories import make_case
from victims.codes import ServiceStatus
from victims.models import VictimService
from victims.services import service_create, service_transition

pytestmark = pytest.mark.django_db
ENDED = [ServiceStatus.SELESAI, ServiceStatus.DITOLAK, ServiceStatus.DIBATALKAN]


def ended_service(unit_bjm, province, status: str) -> VictimService:
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    today = timezone.localdate()
    if status == ServiceStatus.SELESAI:
        return service_create(
            by=unit_bjm, victim=victim, case=case, type="PENDAMPINGAN_HUKUM",
            provider_agency=unit_bjm.agency, started_on=today, completed_on=today,
        )  # fmt: skip
    provider = Agency.objects.get(name="DP3A Kota Banjarmasin")
    service = service_create(
        by=unit_bjm, victim=victim, case=case, type="PENDAMPINGAN_HUKUM",
        provider_agency=provider, referred_on=today,
    )  # fmt: skip
    return service_transition(by=province, service=service, status=status, reason="Tidak sesuai")


@pytest.mark.parametrize("ended", ENDED)
def test_an_ended_service_never_starts_again(unit_bjm, province, ended):
    service = ended_service(unit_bjm, province, ended)
    assert service.status == ended
    for again in ServiceStatus.values:
        with pytest.raises(ValidationError):
            service_transition(by=province, service=service, status=again, reason="lagi")
        service.refresh_from_db()
        assert service.status == ended
