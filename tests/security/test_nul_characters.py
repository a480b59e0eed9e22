"""PostgreSQL cannot store a NUL character ("\\x00") in text. Every path that takes text
from outside (page forms, the admin, the API: cases, victims and their identities,
perpetrators, services, returns; and the search and filter boxes that put text into a
query) answers it with the field's validation message, never with a server or database
error, and stores nothing."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from agencies.models import Agency, Regency
from cases.models import Case
from tests.api.helpers import case_payload
from tests.factories import make_case
from victims.models import VictimService
from victims.services import service_create

pytestmark = pytest.mark.django_db

NUL = "Siti\x00Rahma"
# Django's (and DRF's) message for it, in Bahasa Indonesia.
MESSAGE = "Karakter null tidak diizinkan."


@pytest.fixture
def world(unit_bjm, regency_bjm, admin_user):
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    referral = service_create(
        by=unit_bjm,
        victim=victim,
        case=case,
        type="REHAB_SOSIAL",
        provider_agency=regency_bjm.agency,
    )
    return {
        "case": case,
        "victim": victim,
        "involvement": case.involvements.get(),
        "referral": referral,
        "users": {"unit": unit_bjm, "regency": regency_bjm, "admin": admin_user},
    }


def page(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


# (persona, path, data) for each form post; `{case}` etc. are filled from `world`.
PAGE_FORMS = {
    "case create": (
        "unit",
        "/kasus/baru/",
        lambda w: {
            "regency": "6371",
            "reported_on": "2026-03-02",
            "summary": NUL,
            "stage": "LAPORAN_POLISI",
            "exploitation_types": ["SEKS_PROSTITUSI"],
            "transnational": "false",
            "complicity": "unknown",
            **{f"victims-{k}": v for k, v in FORMSET.items()},
            **{f"perpetrators-{k}": v for k, v in FORMSET.items()},
        },
    ),
    "case create, victim identity": (
        "unit",
        "/kasus/baru/",
        lambda w: {
            "regency": "6371",
            "reported_on": "2026-03-02",
            "summary": "Ringkasan.",
            "stage": "LAPORAN_POLISI",
            "exploitation_types": ["SEKS_PROSTITUSI"],
            "transnational": "false",
            "complicity": "unknown",
            **{f"victims-{k}": v for k, v in {**FORMSET, "TOTAL_FORMS": "1"}.items()},
            "victims-0-sex": "P",
            "victims-0-age_at_identification": "20",
            "victims-0-status": "TERIDENTIFIKASI",
            "victims-0-full_name": NUL,
            **{f"perpetrators-{k}": v for k, v in FORMSET.items()},
        },
    ),
    "case edit": (
        "unit",
        "/kasus/{case}/ubah/",
        lambda w: {
            "regency": "6371",
            "reported_on": "2026-03-02",
            "summary": NUL,
            "status": "AKTIF",
            "exploitation_types": ["SEKS_PROSTITUSI"],
            "transnational": "unknown",
            "complicity": "unknown",
            "version": w["case"].version,
        },
    ),
    "stage": (
        "unit",
        "/kasus/{case}/tahap/",
        lambda w: {"stage": "PENYELIDIKAN", "occurred_on": "2026-03-05", "document_no": NUL},
    ),
    "perpetrator add": (
        "unit",
        "/kasus/{case}/pelaku/",
        lambda w: {"kind": "ORANG", "name": NUL, "legal_status": "TERSANGKA"},
    ),
    "perpetrator search": (
        "unit",
        "/kasus/{case}/pelaku/",
        lambda w: {"action": "search", "q": NUL},
    ),
    "verdict": (
        "unit",
        "/kasus/keterlibatan/{involvement}/",
        lambda w: {"legal_status": "TERSANGKA", "articles": NUL},
    ),
    "service": (
        "unit",
        "/korban/{victim}/layanan/baru/",
        lambda w: {
            "case": w["case"].pk,
            "type": "PSIKOLOGIS",
            "provider_agency": w["users"]["regency"].agency_id,
            "note": NUL,
        },
    ),
    "referral answer": (
        "regency",
        "/korban/layanan/{referral}/jawab/",
        lambda w: {"decision": "DITOLAK", "reason": NUL},
    ),
    "identity erasure": (
        "admin",
        "/korban/{victim}/identitas/hapus/",
        lambda w: {"reference": NUL, "confirm_code": w["victim"].code},
    ),
    "monthly return": ("unit", "/laporan/unit/", lambda w: {"period": "2026-02", "note": NUL}),
    "password change": (
        "unit",
        "/kata-sandi/",
        lambda w: {"old_password": NUL, "new_password1": NUL, "new_password2": NUL},
    ),
    "admin: agency": (
        "admin",
        "/admin/agencies/agency/add/",
        lambda w: {"name": NUL, "kind": "LSM", "is_active": "on"},
    ),
    "admin: regency": (
        "admin",
        "/admin/agencies/regency/add/",
        lambda w: {"code": "9999", "name": NUL, "kind": "KOTA"},
    ),
    "admin: user": (
        "admin",
        "/admin/agencies/user/add/",
        lambda w: {"username": NUL, "password1": "x", "password2": "x"},
    ),
}
FORMSET = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def fill(path: str, world) -> str:
    return path.format(
        case=world["case"].pk,
        victim=world["victim"].pk,
        involvement=world["involvement"].pk,
        referral=world["referral"].pk,
    )


@pytest.mark.parametrize("name", list(PAGE_FORMS))
def test_page_forms_refuse_nul_with_the_field_message(world, name):
    persona, path, data = PAGE_FORMS[name]
    before = counts()
    response = page(world["users"][persona]).post(fill(path, world), data(world))
    assert response.status_code in (200, 400), (name, response.status_code)
    assert MESSAGE in response.content.decode(), name
    assert counts() == before


def test_the_login_form_refuses_nul(client):
    client.raise_request_exception = False
    response = client.post("/masuk/", {"username": NUL, "password": NUL})
    assert response.status_code in (200, 400)
    assert MESSAGE in response.context["form"].errors["username"]
    assert MESSAGE in response.content.decode()  # shown under the field


def test_the_login_page_says_what_is_missing(client):
    response = client.post("/masuk/", {"username": "", "password": ""})
    assert response.content.decode().count('class="invalid-feedback d-block"') == 2


def test_the_code_form_refuses_nul(unit_bjm):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import PASSWORD

    TOTPDevice.objects.create(user=unit_bjm, name="hp", confirmed=True)
    client = Client(raise_request_exception=False)
    client.post("/masuk/", {"username": unit_bjm.username, "password": PASSWORD})
    response = client.post("/masuk/kode/", {"token": "12\x00456"})
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/kasus/?search=%00",
        "/korban/?q=%00",
        "/laporan/?periode=%00",
        "/admin/cases/case/?q=%00",
        "/admin/cases/perpetrator/?q=%00",
        "/admin/victims/victim/?q=%00",
        "/admin/agencies/agency/?q=%00",
        "/admin/agencies/user/?q=%00",
    ],
)
def test_search_and_filter_boxes_take_nul_without_a_server_error(world, path):
    response = page(world["users"]["admin"]).get(path)
    assert response.status_code in (200, 400), (path, response.status_code)


# --- The API -------------------------------------------------------------------------------


def _victim_with(**identity) -> dict:
    payload = case_payload()
    payload["victims"][0]["identity"].update(identity)
    return payload


API_WRITES = {
    "case": ("post", "/api/v1/cases/", lambda w: case_payload(summary=NUL), "summary"),
    "case, victim": (
        "post",
        "/api/v1/cases/",
        lambda w: {
            **case_payload(),
            "victims": [{**case_payload()["victims"][0], "occupation": NUL}],
        },
        "victims.0.occupation",
    ),
    "case, identity": (
        "post",
        "/api/v1/cases/",
        lambda w: _victim_with(full_name=NUL),
        "victims.0.identity.full_name",
    ),
    "case, perpetrator": (
        "post",
        "/api/v1/cases/",
        lambda w: case_payload(perpetrators=[{"kind": "ORANG", "name": NUL, "roles": []}]),
        "perpetrators.0.name",
    ),
    "case, external reference": (
        "post",
        "/api/v1/cases/",
        lambda w: case_payload(external_ref=NUL),
        "external_ref",
    ),
    "case change": (
        "patch",
        "/api/v1/cases/{case}/",
        lambda w: {"summary": NUL, "version": w["case"].version},
        "summary",
    ),
    "stage": (
        "post",
        "/api/v1/cases/{case}/stages/",
        lambda w: {"stage": "PENYELIDIKAN", "occurred_on": "2026-03-05", "document_no": NUL},
        "document_no",
    ),
    "service": (
        "post",
        "/api/v1/victims/{code}/services/",
        lambda w: {
            "case": w["case"].pk,
            "type": "PSIKOLOGIS",
            "provider_agency": w["users"]["regency"].agency_id,
            "note": NUL,
        },
        "note",
    ),
    "case, regency code": (
        "post",
        "/api/v1/cases/",
        lambda w: {**case_payload(), "regency": "63\x0071"},
        "regency",
    ),
    "return": ("post", "/api/v1/returns/", lambda w: {"period": "2026-02", "note": NUL}, "note"),
}


@pytest.mark.parametrize("name", list(API_WRITES))
def test_api_writes_refuse_nul_with_a_field_message(world, name):
    method, path, data, field = API_WRITES[name]
    path = path.format(case=world["case"].pk, code=world["victim"].code)
    before = counts()
    response = getattr(api(world["users"]["unit"]), method)(path, data(world), format="json")
    assert response.status_code == 400, (name, response.status_code, response.content[:300])
    errors = response.json()["errors"]
    assert field in errors, (name, errors)
    assert counts() == before


def test_api_answer_to_a_referral_refuses_nul(world):
    path = f"/api/v1/services/{world['referral'].pk}/transition/"
    response = api(world["users"]["regency"]).post(
        path, {"status": "DITOLAK", "reason": NUL}, format="json"
    )
    assert response.status_code == 400
    assert MESSAGE in response.json()["errors"]["reason"][0]
    world["referral"].refresh_from_db()
    assert world["referral"].status == "DIRUJUK"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/?search=%00",
        "/api/v1/cases/?external_ref=%00",
        "/api/v1/cases/?regency=%00",
        "/api/v1/victims/?home_regency=%00",
        "/api/v1/perpetrators/?nationality=%00",
        "/api/v1/agencies/?regency=%00",
        "/api/v1/summaries/?regency=%00",
        "/api/v1/summaries/?period=%00",
        "/api/v1/returns/?period=%00",
        "/api/v1/victims/%00/",
        "/api/v1/victims/%00/services/",
    ],
)
def test_api_filters_and_addresses_take_nul_without_a_server_error(world, path):
    response = api(world["users"]["unit"]).get(path)
    assert response.status_code in (400, 404), (path, response.status_code)


def counts() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        VictimService.objects.count(),
        Agency.objects.count(),
        Regency.objects.count(),
    )
