"""The access rule through every model that holds case data."""

import pytest
from django.http import Http404

from audit.models import IdentityAccess
from cases.models import Case, Involvement, Perpetrator, StageEvent
from tests.factories import make_case
from victims.models import Consent, Victim, VictimIdentity, VictimService
from victims.services import consent_record, service_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def bjm_case(unit_bjm):
    case = make_case(unit_bjm, victims=2, perpetrators=2)
    victim = case.victim_links.first().victim
    from agencies.models import Agency

    service_create(
        by=unit_bjm,
        victim=victim,
        case=case,
        type="REHAB_SOSIAL",
        provider_agency=Agency.objects.get(name="UPTD PPA Provinsi Kalimantan Selatan"),
    )
    consent_record(
        by=unit_bjm,
        victim=victim,
        basis="PERSETUJUAN",
        given_by="KORBAN",
        scope="LAYANAN",
        given_on=case.reported_on,
    )
    return case


def visible(user) -> dict[str, int]:
    return {
        "cases": Case.objects.visible_to(user).count(),
        "victims": Victim.objects.visible_to(user).count(),
        "identities": Victim.objects.identities_visible_to(user).count(),
        "services": VictimService.objects.visible_to(user).count(),
        "perpetrators": Perpetrator.objects.visible_to(user).count(),
        "involvements": Involvement.objects.visible_to(user).count(),
        "stages": StageEvent.objects.visible_to(user).count(),
        "consents": Consent.objects.visible_to(user).count(),
    }


def test_an_outsider_sees_nothing_of_another_regency(bjm_case, outsider):
    assert visible(outsider) == dict.fromkeys(visible(outsider), 0)


def test_insiders_see_the_case_and_everything_through_it(bjm_case, unit_bjm, regency_bjm, province):
    expected = {
        "cases": 1,
        "victims": 2,
        "identities": 2,
        "services": 1,
        "perpetrators": 2,
        "involvements": 2,
        "stages": 1,
        "consents": 1,
    }
    for user in (unit_bjm, regency_bjm, province):
        assert visible(user) == expected, user


def test_an_analyst_sees_no_record_and_reaches_no_identity(bjm_case, analyst):
    """Aggregates only: no case, victim, service, perpetrator or consent row, not even a
    count of them."""
    assert visible(analyst) == dict.fromkeys(visible(analyst), 0)
    from victims.services import identity_read

    with pytest.raises(Http404):
        identity_read(user=analyst, victim=Victim.objects.first(), channel="test")
    assert not IdentityAccess.objects.exists()
    assert VictimIdentity.objects.count() == 2  # they exist; the analyst just cannot reach them


def test_a_referral_shows_the_receiving_agency_the_victim_and_service_not_the_case(bjm_case):
    """Need-to-know: the referred victim and the service while the referral is live; not the
    case, its other victim, its perpetrators, its timeline; and no handling-agency link."""
    from agencies.models import Agency
    from tests.factories import UserFactory

    uptd = UserFactory(
        role="UNIT", agency=Agency.objects.get(name="UPTD PPA Provinsi Kalimantan Selatan")
    )
    referred = VictimService.objects.get().victim
    assert visible(uptd) == {
        "cases": 0,
        "victims": 1,
        "identities": 0,  # the consent on record covers services, not sharing
        "services": 1,
        "perpetrators": 0,
        "involvements": 0,
        "stages": 0,
        "consents": 1,
    }
    assert Victim.objects.visible_to(uptd).get() == referred
    assert not bjm_case.agency_links.exists()


def test_a_victim_of_two_visible_cases_is_listed_once(unit_bjm):
    from tests.factories import victim_data

    data = victim_data()
    make_case(unit_bjm, victims=[data])
    make_case(unit_bjm, victims=[data])
    assert Victim.objects.visible_to(unit_bjm).count() == 1
