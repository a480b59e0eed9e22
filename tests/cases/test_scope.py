"""The access rule through every model that holds case data."""

import pytest

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


def test_an_analyst_sees_cases_but_reaches_no_identity(bjm_case, analyst):
    seen = visible(analyst)
    assert seen["cases"] == 1 and seen["victims"] == 2
    assert seen["identities"] == 0
    from victims.services import identity_read

    with pytest.raises(Exception):  # noqa: B017 - Http404, whatever the path
        identity_read(user=analyst, victim=Victim.objects.first(), channel="test")
    assert not IdentityAccess.objects.exists()
    assert VictimIdentity.objects.count() == 2  # they exist; the analyst just cannot reach them


def test_a_referral_lets_the_receiving_agency_see_the_case(bjm_case):
    from agencies.models import Agency
    from tests.factories import UserFactory

    uptd = UserFactory(
        role="UNIT", agency=Agency.objects.get(name="UPTD PPA Provinsi Kalimantan Selatan")
    )
    assert Case.objects.visible_to(uptd).get() == bjm_case
    # ...through a subquery, so a case with several links is listed once.
    assert Victim.objects.visible_to(uptd).count() == 2


def test_a_victim_of_two_visible_cases_is_listed_once(unit_bjm):
    from tests.factories import victim_data

    data = victim_data()
    make_case(unit_bjm, victims=[data])
    make_case(unit_bjm, victims=[data])
    assert Victim.objects.visible_to(unit_bjm).count() == 1
