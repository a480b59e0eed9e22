import pytest

from agencies.models import Agency
from audit.models import IdentityAccess
from tests.api.helpers import api_client
from tests.factories import make_case
from victims.models import VictimService

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(unit_bjm):
    return make_case(unit_bjm)


@pytest.fixture
def victim(case):
    return case.victim_links.get().victim


def test_reading_a_victim_shows_the_identity_and_logs_the_read(unit_bjm, victim):
    response = api_client(unit_bjm).get(f"/api/v1/victims/{victim.code}/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == victim.code
    assert body["identity"]["full_name"] == "Siti Rahmawati"
    assert len(body["identity"]["nik"]) == 16
    log = IdentityAccess.objects.get()
    assert (log.user, log.victim, log.channel, log.ip_address) == (
        unit_bjm,
        victim,
        "api:victim_detail",
        "10.1.2.3",
    )


def test_an_analyst_gets_no_victim_record_and_no_read_is_logged(analyst, victim):
    response = api_client(analyst).get(f"/api/v1/victims/{victim.code}/")
    assert response.status_code == 403
    assert victim.code not in response.content.decode()
    assert not IdentityAccess.objects.exists()


def test_an_outsider_gets_404_and_nothing_is_logged(outsider, victim):
    response = api_client(outsider).get(f"/api/v1/victims/{victim.code}/")
    assert response.status_code == 404
    assert not IdentityAccess.objects.exists()


def test_lists_never_read_identities(unit_bjm, victim):
    response = api_client(unit_bjm).get("/api/v1/victims/")
    assert response.status_code == 200
    assert response.json()["results"][0]["code"] == victim.code
    assert "identity" not in response.json()["results"][0]
    assert not IdentityAccess.objects.exists()


def test_a_victim_lists_only_cases_the_caller_may_see(unit_bjm, outsider, province, victim, case):
    # The same person (same NIK) in a Tanah Bumbu unit's case: linked by the province,
    # which sees her (a unit outside her scope would get a new victim, #13 item 1).
    from tests.factories import victim_data

    nik = victim.identity.nik
    other = make_case(
        province,
        regency="6310",
        reporting_agency=outsider.agency,
        victims=[victim_data(identity={"nik": nik})],
    )
    assert other.victim_links.get().victim == victim

    mine = api_client(unit_bjm).get(f"/api/v1/victims/{victim.code}/").json()
    theirs = api_client(outsider).get(f"/api/v1/victims/{victim.code}/").json()
    assert mine["cases"] == [case.pk]
    assert theirs["cases"] == [other.pk]
    # Filtering on a case one may not see reveals nothing.
    assert api_client(unit_bjm).get("/api/v1/victims/", {"case": other.pk}).json()["count"] == 0


# --- Services and referrals ----------------------------------------------------------------


def refer(client, victim, case, provider="DP3A Kota Banjarmasin", **extra):
    return client.post(
        f"/api/v1/victims/{victim.code}/services/",
        {
            "case": case.pk,
            "type": "RUMAH_AMAN",
            "provider_agency": Agency.objects.get(name=provider).pk,
            **extra,
        },
        format="json",
    )


def test_a_referral_reaches_the_provider_who_accepts_it(unit_bjm, regency_bjm, victim, case):
    response = refer(api_client(unit_bjm), victim, case)
    assert response.status_code == 201, response.json()
    service = response.json()
    assert (service["status"], service["referring_agency"]) == ("DIRUJUK", unit_bjm.agency_id)

    provider = api_client(regency_bjm)
    awaiting = provider.get("/api/v1/services/", {"awaiting": "true"}).json()
    assert [row["id"] for row in awaiting["results"]] == [service["id"]]

    accepted = provider.post(
        f"/api/v1/services/{service['id']}/transition/", {"status": "DITERIMA"}, format="json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "DITERIMA"
    assert provider.get("/api/v1/services/", {"awaiting": "true"}).json()["count"] == 0
    listed = api_client(unit_bjm).get(f"/api/v1/victims/{victim.code}/services/").json()
    assert [row["status"] for row in listed["results"]] == ["DITERIMA"]


def test_only_the_provider_answers_a_referral(unit_bjm, victim, case):
    client = api_client(unit_bjm)
    service_id = refer(client, victim, case).json()["id"]
    response = client.post(
        f"/api/v1/services/{service_id}/transition/", {"status": "DITERIMA"}, format="json"
    )
    assert response.status_code == 403
    assert VictimService.objects.get().status == "DIRUJUK"


def test_a_rejection_needs_a_reason(unit_bjm, regency_bjm, victim, case):
    service_id = refer(api_client(unit_bjm), victim, case).json()["id"]
    response = api_client(regency_bjm).post(
        f"/api/v1/services/{service_id}/transition/", {"status": "DITOLAK"}, format="json"
    )
    assert response.status_code == 400
    assert "rejection_reason" in response.json()["errors"]
    assert VictimService.objects.get().status == "DIRUJUK"


def test_an_impossible_transition_is_400(unit_bjm, regency_bjm, victim, case):
    service_id = refer(api_client(unit_bjm), victim, case).json()["id"]
    response = api_client(regency_bjm).post(
        f"/api/v1/services/{service_id}/transition/", {"status": "SELESAI"}, format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_a_service_needs_a_case_of_the_victim(unit_bjm, outsider, victim):
    elsewhere = make_case(outsider, regency="6310")
    response = refer(api_client(unit_bjm), victim, elsewhere)
    assert response.status_code == 400
    assert "case" in response.json()["errors"]
    assert not VictimService.objects.exists()


def test_an_own_service_is_recorded_as_running(regency_bjm, victim, case):
    response = refer(api_client(regency_bjm), victim, case, provider="DP3A Kota Banjarmasin")
    assert response.status_code == 201
    assert response.json()["status"] == "BERJALAN"
