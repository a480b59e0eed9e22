"""The stage chain of domain.md, written out here by hand (not read from cases.codes), and
walked through the service: every step the domain forbids is refused, every step it allows
is taken. A change to the code's table that the domain does not make fails here."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case
from cases.services import case_record_stage
from tests.factories import make_case

pytestmark = pytest.mark.django_db

# Forward steps of domain.md, each stage with the ones that may follow it.
DOMAIN = {
    "LAPORAN_POLISI": {"PENYELIDIKAN", "PENYIDIKAN", "LIDIK_DIHENTIKAN", "DIALIHKAN_NON_PIDANA"},
    "PENYELIDIKAN": {"PENYIDIKAN", "LIDIK_DIHENTIKAN", "DIALIHKAN_NON_PIDANA"},
    "PENYIDIKAN": {"P19", "P21", "SP3", "DIALIHKAN_NON_PIDANA"},
    "P19": {"P19", "P21", "SP3"},
    "P21": {"TAHAP_II"},
    "TAHAP_II": {"PENUNTUTAN", "PENUNTUTAN_DIHENTIKAN"},
    "PENUNTUTAN": {"PERSIDANGAN", "PENUNTUTAN_DIHENTIKAN"},
    "PERSIDANGAN": {"PUTUSAN"},
    "PUTUSAN": {"UPAYA_HUKUM", "INKRACHT"},
    "UPAYA_HUKUM": {"UPAYA_HUKUM", "INKRACHT"},
    "INKRACHT": {"EKSEKUSI"},
    "EKSEKUSI": set(),
}
# A stopped case reopens only where it was stopped, by the province, with a reason.
REOPEN = {
    "LIDIK_DIHENTIKAN": {"PENYELIDIKAN"},
    "SP3": {"PENYIDIKAN"},
    "PENUNTUTAN_DIHENTIKAN": {"PENUNTUTAN"},
    "DIALIHKAN_NON_PIDANA": {"LAPORAN_POLISI", "PENYELIDIKAN"},
}
ALL = sorted(set(DOMAIN) | set(REOPEN) | {"PENGADUAN"})
# How to reach each stage from a new case at LAPORAN_POLISI.
PATH = {
    "LAPORAN_POLISI": [],
    "PENYELIDIKAN": ["PENYELIDIKAN"],
    "PENYIDIKAN": ["PENYIDIKAN"],
    "P19": ["PENYIDIKAN", "P19"],
    "P21": ["PENYIDIKAN", "P21"],
    "TAHAP_II": ["PENYIDIKAN", "P21", "TAHAP_II"],
    "PENUNTUTAN": ["PENYIDIKAN", "P21", "TAHAP_II", "PENUNTUTAN"],
    "PERSIDANGAN": ["PENYIDIKAN", "P21", "TAHAP_II", "PENUNTUTAN", "PERSIDANGAN"],
}
PATH["PUTUSAN"] = [*PATH["PERSIDANGAN"], "PUTUSAN"]
PATH["UPAYA_HUKUM"] = [*PATH["PUTUSAN"], "UPAYA_HUKUM"]
PATH["INKRACHT"] = [*PATH["PUTUSAN"], "INKRACHT"]
PATH["EKSEKUSI"] = [*PATH["INKRACHT"], "EKSEKUSI"]
PATH["LIDIK_DIHENTIKAN"] = ["LIDIK_DIHENTIKAN"]
PATH["SP3"] = ["PENYIDIKAN", "SP3"]
PATH["PENUNTUTAN_DIHENTIKAN"] = ["PENYIDIKAN", "P21", "TAHAP_II", "PENUNTUTAN_DIHENTIKAN"]
PATH["DIALIHKAN_NON_PIDANA"] = ["DIALIHKAN_NON_PIDANA"]


def case_at(user, stage: str) -> Case:
    case = make_case(user, stage="LAPORAN_POLISI")
    for step in PATH[stage]:
        case_record_stage(by=user, case=case, stage=step, occurred_on=timezone.localdate())
    case.refresh_from_db()
    assert case.stage == stage
    return case


def taken(user, case: Case, stage: str, **extra) -> bool:
    try:
        case_record_stage(
            by=user, case=case, stage=stage, occurred_on=timezone.localdate(), **extra
        )
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("current", sorted(DOMAIN))
def test_each_forward_step_is_exactly_the_domains(unit_bjm, current):
    case = case_at(unit_bjm, current)
    for target in ALL:
        ok = taken(unit_bjm, case, target)
        assert ok == (target in DOMAIN[current]), (current, target)
        if ok:
            case = case_at(unit_bjm, current)  # start again from `current`


@pytest.mark.parametrize("stopped", sorted(REOPEN))
def test_a_stopped_case_reopens_only_where_it_stopped_and_only_by_the_province(
    unit_bjm, province, stopped
):
    case = case_at(unit_bjm, stopped)
    for target in ALL:
        assert not taken(unit_bjm, case, target, reason="dibuka kembali"), (stopped, target)
    for target in ALL:
        ok = taken(province, case, target, reason="Bukti baru ditemukan")
        assert ok == (target in REOPEN[stopped]), (stopped, target)
        if ok:
            case = case_at(unit_bjm, stopped)
