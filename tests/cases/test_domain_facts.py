"""Facts of the domain are defined once (cases.codes, Case.objects): "open" and "stale"
mean the same on the dashboard, in the monthly summaries and in the lists."""

from datetime import date, timedelta

import pytest

from cases.codes import OPEN_STATUSES, STALE_AFTER_DAYS, CaseStatus
from cases.models import Case
from cases.selectors import stale_cases
from cases.services import case_record_stage, case_update
from reports.figures import summary_figures
from tests.factories import make_case

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 7, 1)
LONG_AGO = AS_OF - timedelta(days=STALE_AFTER_DAYS + 10)


@pytest.fixture
def four(unit_bjm):
    untouched = make_case(unit_bjm, reported_on=LONG_AGO)
    moved = make_case(unit_bjm, reported_on=LONG_AGO)
    case_record_stage(
        by=unit_bjm, case=moved, stage="PENYELIDIKAN", occurred_on=AS_OF - timedelta(days=5)
    )
    edited = make_case(unit_bjm, reported_on=LONG_AGO)
    case_update(by=unit_bjm, case=edited, version=1, summary="Salah ketik diperbaiki.")
    closed = make_case(unit_bjm, reported_on=LONG_AGO, status=CaseStatus.DITUTUP)
    return untouched, moved, edited, closed


def test_stale_means_no_stage_for_the_window_not_a_recent_save(four):
    untouched, moved, edited, _closed = four
    assert set(Case.objects.stale(AS_OF)) == {untouched, edited}
    assert set(Case.objects.open()) == {untouched, moved, edited}
    assert set(OPEN_STATUSES) == {CaseStatus.AKTIF, CaseStatus.TINDAK_LANJUT}


def test_a_new_case_is_not_stale_before_the_window_has_passed(unit_bjm):
    make_case(unit_bjm, reported_on=AS_OF - timedelta(days=STALE_AFTER_DAYS - 1))
    assert not Case.objects.stale(AS_OF).exists()


def test_the_dashboard_and_the_summary_count_the_same_stale_cases(four, province):
    rows, count = stale_cases(province, AS_OF)
    assert count == 2 and {c.pk for c in rows} == {four[0].pk, four[2].pk}
    content = summary_figures(date(2026, 6, 1), None)  # June: its end is AS_OF
    [quality] = [t for t in content["tables"] if t["key"] == "data_quality"]
    assert [f"MANGKRAK_{STALE_AFTER_DAYS}_HARI", 2] in quality["rows"]
