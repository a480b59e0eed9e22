"""Year-1 dates (#13 item 8): every date of case data has a plausible lower bound (2007,
UU 21/2007, for case events; 1900 for births and occurrences) and no future, enforced once
by the fields' validator, so pages, API, admin and services all refuse them. And the
perpetrator's sex is a code list."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Regency
from cases.models import Case, Involvement, Perpetrator
from cases.services import case_create, case_record_stage, involvement_update
from core.models import Counter
from tests.api.helpers import api_client, case_payload, victim_payload
from tests.conftest import client_for
from tests.factories import make_case, victim_data
from victims.models import Victim, VictimService
from victims.services import service_create
from victims.validators import DateBounds, case_event_date

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
LAW = "2007"


def test_the_validator_names_its_bound_and_refuses_the_future():
    with pytest.raises(ValidationError) as exc:
        case_event_date(date(2006, 12, 31))
    assert "2007" in exc.value.messages[0] and "UU 21/2007" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        DateBounds(1900)(date(1899, 12, 31))
    assert "1900" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        case_event_date(timezone.localdate() + timedelta(days=2))
    assert exc.value.messages == ["Tanggal tidak boleh di masa depan."]
    case_event_date(date(2007, 1, 1))  # the bound itself is fine
    DateBounds(1900)(date(1900, 1, 1))


def test_a_year_one_report_never_gets_a_register_number(unit_bjm):
    with pytest.raises(ValidationError) as exc:
        case_create(by=unit_bjm, regency=Regency.objects.get(pk="6371"), reported_on=date(1, 1, 1))
    assert LAW in exc.value.message_dict["reported_on"][0]
    assert Case.objects.count() == 0
    assert not Counter.objects.filter(key__startswith="TPPO-6371-1").exists()


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"reported_on": "0001-01-01", "occurred_from": None, "occurred_to": None}, "reported_on"),
        ({"reported_on": "2006-12-31", "occurred_from": None, "occurred_to": None}, "reported_on"),
        ({"occurred_from": "0001-01-01"}, "occurred_from"),
        (
            {"journey": [{"kind": "REKRUTMEN", "occurred_on": "0001-01-01"}]},
            "journey.0.occurred_on",
        ),
        (
            {"perpetrators": [{"name": "B", "verdict": "DIPIDANA", "verdict_on": "2001-05-05"}]},
            "perpetrators.0.verdict_on",
        ),
        ({"victims": [victim_payload(identified_on="0001-01-01")]}, "victims.0.identified_on"),
        (
            {"victims": [victim_payload(identity={"nik": "", "birth_date": "1850-01-01"})]},
            "victims.0.identity.birth_date",
        ),
    ],
)
def test_the_api_refuses_implausible_dates_with_the_field_named(unit_bjm, change, key):
    response = api_client(unit_bjm).post(CASES, case_payload(**change), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert key in errors, errors
    assert "tahun" in errors[key][0]
    assert Case.objects.count() == 0 and Victim.objects.count() == 0
    assert not Counter.objects.filter(key__in=["TPPO-6371-1", "KRB-1"]).exists()


def test_a_stage_before_2007_is_refused_through_the_api(unit_bjm):
    case = make_case(unit_bjm)
    response = api_client(unit_bjm).post(
        f"{CASES}{case.pk}/stages/",
        {"stage": "LAPORAN_POLISI", "occurred_on": "0001-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert LAW in response.json()["errors"]["occurred_on"][0]
    with pytest.raises(ValidationError):
        case_record_stage(by=unit_bjm, case=case, stage="LAPORAN_POLISI", occurred_on=date(1, 1, 1))
    assert case.stage_events.count() == 1


def test_a_verdict_dated_before_2007_is_refused_by_the_service(unit_bjm):
    case = make_case(unit_bjm)
    involvement = case.involvements.get()
    with pytest.raises(ValidationError) as exc:
        involvement_update(
            by=unit_bjm,
            involvement=involvement,
            version=involvement.version,
            verdict="DIPIDANA",
            verdict_on=date(1, 1, 1),
        )
    assert LAW in exc.value.message_dict["verdict_on"][0]
    assert Involvement.objects.get().verdict == ""


def test_the_case_page_refuses_a_year_one_report(unit_bjm):
    from tests.pages.test_cases import _create_payload

    payload = _create_payload(reported_on="0001-01-01", occurred_from="", occurred_to="")
    response = client_for(unit_bjm).post(reverse("cases:create"), payload)
    assert response.status_code == 400
    assert LAW in " ".join(response.context["form"].errors["reported_on"])
    assert Case.objects.count() == 0


def test_the_referral_page_refuses_a_year_one_date(unit_bjm):
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    provider = Agency.objects.get(name="DP3A Kota Banjarmasin")
    response = client_for(unit_bjm).post(
        reverse("victims:service_create", args=[victim.pk]),
        {
            "case": case.pk,
            "type": "REHAB_SOSIAL",
            "provider_agency": provider.pk,
            "referred_on": "0001-01-01",
        },
    )
    assert response.status_code == 400
    assert LAW in " ".join(response.context["form"].errors["referred_on"])
    assert VictimService.objects.count() == 0
    with pytest.raises(ValidationError):
        service_create(
            by=unit_bjm,
            victim=victim,
            case=case,
            type="REHAB_SOSIAL",
            provider_agency=provider,
            referred_on=date(2006, 1, 1),
        )


def test_a_referral_through_the_api_before_2007_is_refused(unit_bjm):
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    response = api_client(unit_bjm).post(
        f"/api/v1/victims/{victim.code}/services/",
        {
            "case": case.pk,
            "type": "REHAB_SOSIAL",
            "provider_agency": Agency.objects.get(name="DP3A Kota Banjarmasin").pk,
            "referred_on": "0001-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "referred_on" in response.json()["errors"]
    assert VictimService.objects.count() == 0


def test_a_birth_date_before_1900_is_refused_by_the_service(unit_bjm):
    data = victim_data(status="DIDUGA")
    data["identity"] = {**data["identity"], "birth_date": date(1899, 1, 1)}
    with pytest.raises(ValidationError) as exc:
        case_create(
            by=unit_bjm,
            regency=Regency.objects.get(pk="6371"),
            reported_on=date(2026, 3, 2),
            victims=[data],
        )
    assert "1900" in exc.value.message_dict["victims.0.birth_date"][0]


# --- Perpetrator sex: a code list ------------------------------------------------------------


def test_perpetrator_sex_is_a_code_and_blank_means_unknown(unit_bjm):
    bad = case_payload(perpetrators=[{"name": "Budi", "sex": "laki-laki"}])
    response = api_client(unit_bjm).post(CASES, bad, format="json")
    assert response.status_code == 400
    assert "perpetrators.0.sex" in response.json()["errors"]
    good = case_payload(perpetrators=[{"name": "Budi", "sex": ""}])
    assert api_client(unit_bjm).post(CASES, good, format="json").status_code == 201
    assert Perpetrator.objects.get().sex == "TIDAK_DIKETAHUI"
    perpetrator = Perpetrator.objects.get()
    perpetrator.sex = "pria"
    with pytest.raises(ValidationError):
        perpetrator.full_clean()  # the admin's form runs this too


def test_the_migration_maps_free_text_sex_onto_the_codes(unit_bjm):
    migration = importlib.import_module("cases.migrations.0004_date_bounds_links_perpetrator_sex")
    make_case(unit_bjm, perpetrators=4)
    typed = ["Laki-laki", "wanita", "P.", "?"]
    for perpetrator, value in zip(Perpetrator.objects.order_by("id"), typed, strict=True):
        Perpetrator.objects.filter(pk=perpetrator.pk).update(sex=value)
    migration.map_sex(django_apps, None)
    assert list(Perpetrator.objects.order_by("id").values_list("sex", flat=True)) == [
        "L",
        "P",
        "P",
        "TIDAK_DIKETAHUI",
    ]
    assert migration.sex_code("") == "TIDAK_DIKETAHUI"
