"""One set of limits for pages and API (#14.15): the services enforce them with a message
naming the field and the limit; forms and serializers take theirs from the services."""

import pytest
from django.urls import reverse

from cases.models import Case
from cases.services import LIMITS
from tests.api.helpers import api_client, case_payload
from tests.conftest import client_for
from tests.pages.test_cases import _create_payload

pytestmark = pytest.mark.django_db


def _victims(n: int) -> dict:
    data = {"victims-TOTAL_FORMS": str(n)}
    for i in range(n):
        data.update(
            {
                f"victims-{i}-sex": "P",
                f"victims-{i}-age_at_identification": "16",
                f"victims-{i}-age_at_exploitation": "16",
                f"victims-{i}-nationality": "IDN",
                f"victims-{i}-home_regency": "6371",
                f"victims-{i}-status": "DIDUGA",
            }
        )
    return data


def test_a_two_megabyte_summary_is_refused_on_the_page_as_in_the_api(unit_bjm):
    huge = "x" * 2_000_000
    page = client_for(unit_bjm).post(reverse("cases:create"), _create_payload(summary=huge))
    assert page.status_code == 400
    errors = page.context["form"].errors["summary"]
    assert "20.000 karakter" in errors[0]
    api = api_client(unit_bjm).post("/api/v1/cases/", case_payload(summary=huge), format="json")
    assert api.status_code == 400 and "summary" in api.json()["errors"]
    assert not Case.objects.exists()


def test_a_summary_at_the_limit_is_accepted(unit_bjm):
    at_limit = "x" * LIMITS["summary"]
    page = client_for(unit_bjm).post(reverse("cases:create"), _create_payload(summary=at_limit))
    assert page.status_code == 302


def test_a_thousand_victims_on_the_page_are_named_not_a_bare_400(unit_bjm):
    data = {**_create_payload(), **_victims(1000)}
    response = client_for(unit_bjm).post(reverse("cases:create"), data)
    assert response.status_code == 400
    assert "Paling banyak 200 korban per kasus." in response.content.decode()
    assert not Case.objects.exists()


def test_the_service_counts_victims_for_every_door(unit_bjm):
    from django.core.exceptions import ValidationError

    from tests.factories import make_case, victim_data

    with pytest.raises(ValidationError) as exc:
        make_case(unit_bjm, victims=[victim_data() for _ in range(LIMITS["victims"] + 1)])
    assert "paling banyak 200" in exc.value.message_dict["victims"][0]


def test_forms_and_serializers_read_the_services_limits():
    from cases.api.serializers import CaseCreateSerializer, StageInputSerializer
    from cases.forms import StageForm, VictimFormSet

    fields = CaseCreateSerializer().fields
    assert fields["summary"].max_length == LIMITS["summary"]
    assert fields["victims"].max_length == LIMITS["victims"]
    assert StageInputSerializer().fields["note"].max_length == LIMITS["note"]
    assert StageForm(allowed=()).fields["document_no"].max_length == LIMITS["document_no"]
    assert VictimFormSet.max_num == LIMITS["victims"]


def test_a_stage_note_over_the_limit_is_named(unit_bjm):
    from tests.factories import make_case

    case = make_case(unit_bjm, stage="LAPORAN_POLISI")
    response = client_for(unit_bjm).post(
        reverse("cases:stage", args=[case.pk]),
        {"stage": "PENYIDIKAN", "occurred_on": "2026-03-05", "note": "y" * 6000},
    )
    assert response.status_code == 400
    assert "5.000 karakter" in str(response.context["form"].errors["note"])
