import pytest

from cases.models import Case
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_make_case_records_everything(unit_bjm):
    case = make_case(unit_bjm, victims=2, perpetrators=1)
    assert case.register_no == "TPPO-6371-2026-0001"
    assert case.victim_links.count() == 2
    assert case.involvements.count() == 1
    assert case.stage == "PENGADUAN"
    assert Case.objects.visible_to(unit_bjm).count() == 1
