"""The domain's rules, each with the case that breaks it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from cases.models import Case, Involvement
from cases.services import (
    StaleVersion,
    case_record_stage,
    case_update,
    involvement_update,
)
from tests.factories import make_case, perpetrator_data, victim_data
from victims.models import Victim

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + timedelta(days=1)


def errors(exc_info) -> dict:
    return exc_info.value.message_dict


def test_dates_must_be_in_order(unit_bjm):
    with pytest.raises(ValidationError) as exc:
        make_case(unit_bjm, occurred_from=date(2026, 2, 1), occurred_to=date(2026, 1, 1))
    assert "occurred_to" in errors(exc)
    assert "tidak boleh sebelum" in errors(exc)["occurred_to"][0]


def test_occurrence_cannot_start_after_the_report(unit_bjm):
    with pytest.raises(ValidationError) as exc:
        make_case(
            unit_bjm, reported_on=date(2026, 1, 1), occurred_from=date(2026, 1, 5), occurred_to=None
        )
    assert "occurred_from" in errors(exc)


def test_dates_cannot_be_in_the_future(unit_bjm):
    with pytest.raises(ValidationError) as exc:
        make_case(unit_bjm, reported_on=TOMORROW, occurred_from=None, occurred_to=None)
    assert errors(exc)["reported_on"] == ["Tanggal tidak boleh di masa depan."]
    assert not Case.objects.exists()


def test_a_child_is_a_victim_whatever_the_means(unit_bjm):
    child = victim_data(age_at_identification=15, age_at_exploitation=15)
    case = make_case(unit_bjm, means_of_control=[], victims=[child])
    victim = case.victim_links.get().victim
    assert victim.status == "TERIDENTIFIKASI"
    victim.refresh_from_db()
    assert victim.is_child is True


def test_an_adult_is_identified_only_with_a_means(unit_bjm):
    adult = victim_data(age_at_identification=30, age_at_exploitation=29)
    with pytest.raises(ValidationError) as exc:
        make_case(unit_bjm, means_of_control=[], victims=[adult])
    assert "victims.0.status" in errors(exc)
    assert "means_of_control" in errors(exc)["victims.0.status"][0]
    # A possible (DIDUGA) adult victim needs no means yet.
    make_case(unit_bjm, means_of_control=[], victims=[{**adult, "status": "DIDUGA"}])


def test_child_is_derived_and_unknown_age_stays_unknown(unit_bjm):
    case = make_case(
        unit_bjm,
        victims=[
            victim_data(age_at_identification=19, age_at_exploitation=17),
            victim_data(age_at_identification=None, age_at_exploitation=None, status="DIDUGA"),
            victim_data(age_at_identification=25, age_at_exploitation=None),
        ],
    )
    got = sorted(
        (v.age_at_identification or 0, v.is_child)
        for v in Victim.objects.filter(case_links__case=case)
    )
    assert got == [(0, None), (19, True), (25, False)]


def test_a_sentence_only_with_a_conviction(unit_bjm):
    case = make_case(unit_bjm)
    involvement = case.involvements.get()
    with pytest.raises(ValidationError) as exc:
        involvement_update(
            by=unit_bjm,
            involvement=involvement,
            version=involvement.version,
            verdict="BEBAS",
            verdict_on=date(2026, 5, 1),
            sentence_months=24,
        )
    assert "sentence_months" in errors(exc)
    involvement_update(
        by=unit_bjm,
        involvement=involvement,
        version=involvement.version,
        verdict="DIPIDANA",
        verdict_on=date(2026, 5, 1),
        sentence_months=48,
        fine=120_000_000,
    )
    involvement.refresh_from_db()
    assert involvement.sentence_months == 48


def test_restitution_paid_not_above_awarded(unit_bjm):
    involvement = make_case(unit_bjm).involvements.get()
    with pytest.raises(ValidationError) as exc:
        involvement_update(
            by=unit_bjm,
            involvement=involvement,
            version=involvement.version,
            verdict="DIPIDANA",
            verdict_on=date(2026, 5, 1),
            restitution_requested=50_000_000,
            restitution_awarded=20_000_000,
            restitution_paid=30_000_000,
        )
    assert "restitution_paid" in errors(exc)
    assert Involvement.objects.get(pk=involvement.pk).restitution_paid is None


LENGTH = "NIK harus terdiri dari 16 angka."
DIGITS_ONLY = "NIK hanya boleh berisi angka 0-9 (spasi, titik dan tanda hubung diabaikan)."


@pytest.mark.parametrize(
    ("nik", "message"),
    [("123", LENGTH), ("63710000000000001", LENGTH), ("63710000abcd0001", DIGITS_ONLY)],
)
def test_a_nik_is_16_digits(unit_bjm, nik, message):
    bad = victim_data()
    bad["identity"] = {**bad["identity"], "nik": nik}
    with pytest.raises(ValidationError) as exc:
        make_case(unit_bjm, victims=[bad])
    assert errors(exc) == {"victims.0.nik": [message]}
    assert nik not in str(exc.value)  # the value is never echoed back
    assert not Case.objects.exists() and not Victim.objects.exists()


def test_codes_come_from_their_lists(unit_bjm):
    with pytest.raises(ValidationError) as exc:
        make_case(unit_bjm, exploitation_types=["SEKS_PROSTITUSI", "PENJUALAN_BAYI"])
    assert "exploitation_types" in errors(exc)
    assert "PENJUALAN_BAYI" in errors(exc)["exploitation_types"][0]
    with pytest.raises(ValidationError) as exc:
        make_case(unit_bjm, perpetrators=[perpetrator_data(roles=["DALANG"])])
    assert "perpetrators.0.roles" in errors(exc)
    with pytest.raises(ValidationError) as exc:
        make_case(unit_bjm, status="HILANG")
    assert "status" in errors(exc)


def test_stage_chain_allows_only_the_next_stages(unit_bjm):
    case = make_case(unit_bjm, reported_on=date(2026, 1, 5))
    with pytest.raises(ValidationError) as exc:
        case_record_stage(by=unit_bjm, case=case, stage="PUTUSAN", occurred_on=date(2026, 1, 6))
    message = errors(exc)["stage"][0]
    assert "LAPORAN_POLISI" in message and "PENYELIDIKAN" in message
    day = date(2026, 1, 6)
    for stage in [
        "LAPORAN_POLISI",
        "PENYIDIKAN",
        "P19",
        "P19",
        "P21",
        "TAHAP_II",
        "PENUNTUTAN",
        "PERSIDANGAN",
        "PUTUSAN",
        "INKRACHT",
        "EKSEKUSI",
    ]:
        case_record_stage(by=unit_bjm, case=case, stage=stage, occurred_on=day)
        day += timedelta(days=3)
    case.refresh_from_db()
    assert case.stage == "EKSEKUSI"
    assert list(case.stage_events.values_list("stage", flat=True))[:4] == [
        "PENGADUAN",
        "LAPORAN_POLISI",
        "PENYIDIKAN",
        "P19",
    ]
    with pytest.raises(ValidationError) as exc:
        case_record_stage(by=unit_bjm, case=case, stage="UPAYA_HUKUM", occurred_on=day)
    assert "tahap akhir" in errors(exc)["stage"][0]


def test_stage_dates_do_not_go_back(unit_bjm):
    case = make_case(unit_bjm, reported_on=date(2026, 3, 1))
    with pytest.raises(ValidationError) as exc:
        case_record_stage(
            by=unit_bjm, case=case, stage="LAPORAN_POLISI", occurred_on=date(2026, 2, 1)
        )
    assert "occurred_on" in errors(exc)
    with pytest.raises(ValidationError):
        case_record_stage(by=unit_bjm, case=case, stage="LAPORAN_POLISI", occurred_on=TOMORROW)


def test_a_stopped_case_reopens_only_by_the_province_with_a_reason(unit_bjm, regency_bjm, province):
    case = make_case(unit_bjm, reported_on=date(2026, 1, 5))
    case_record_stage(by=unit_bjm, case=case, stage="LAPORAN_POLISI", occurred_on=date(2026, 1, 6))
    case_record_stage(by=unit_bjm, case=case, stage="PENYIDIKAN", occurred_on=date(2026, 1, 7))
    case_record_stage(by=unit_bjm, case=case, stage="SP3", occurred_on=date(2026, 1, 8))
    for user in (unit_bjm, regency_bjm):
        with pytest.raises(ValidationError) as exc:
            case_record_stage(by=user, case=case, stage="PENYIDIKAN", occurred_on=date(2026, 2, 1))
        assert "provinsi" in errors(exc)["stage"][0]
    with pytest.raises(ValidationError) as exc:
        case_record_stage(by=province, case=case, stage="PENYIDIKAN", occurred_on=date(2026, 2, 1))
    assert "reason" in errors(exc)
    case_record_stage(
        by=province,
        case=case,
        stage="PENYIDIKAN",
        occurred_on=date(2026, 2, 1),
        reason="Putusan praperadilan membatalkan SP3.",
    )
    case.refresh_from_db()
    assert case.stage == "PENYIDIKAN"


def test_stale_version_is_refused_and_changes_nothing(unit_bjm, regency_bjm):
    case = make_case(unit_bjm, summary="awal")
    case_update(by=unit_bjm, case=case, version=1, summary="dari unit")
    with pytest.raises(StaleVersion) as exc:
        case_update(by=regency_bjm, case=case, version=1, summary="dari kabupaten")
    assert exc.value.current == 2
    case.refresh_from_db()
    assert (case.summary, case.version) == ("dari unit", 2)


def test_writes_outside_scope_or_by_analyst_are_refused(unit_bjm, outsider, analyst):
    """Out of scope is not found (the analyst sees no case at all), as on the pages."""
    case = make_case(unit_bjm)
    for user in (outsider, analyst):
        with pytest.raises(Http404):
            case_update(by=user, case=case, version=case.version, summary="x")
        with pytest.raises(Http404):
            case_record_stage(
                by=user, case=case, stage="LAPORAN_POLISI", occurred_on=date(2026, 3, 3)
            )
    with pytest.raises(PermissionDenied):
        make_case(analyst)


def test_regency_staff_create_only_in_their_regency(regency_bjm):
    with pytest.raises(PermissionDenied):
        make_case(regency_bjm, regency="6372")
    assert make_case(regency_bjm, regency="6371").regency_id == "6371"


def test_history_records_who_changed_what(unit_bjm, regency_bjm):
    case = make_case(unit_bjm, summary="awal")
    case_update(by=regency_bjm, case=case, version=1, summary="diubah", status="TINDAK_LANJUT")
    latest = case.history.first()
    previous = latest.prev_record
    delta = latest.diff_against(previous)
    assert {c.field for c in delta.changes} >= {"summary", "status"}
    assert latest.updated_by_id == regency_bjm.pk


def test_the_same_perpetrator_across_cases_and_regencies(unit_bjm, outsider, province):
    first = make_case(unit_bjm)
    perpetrator = first.involvements.get().perpetrator
    second = make_case(outsider, regency="6310", perpetrators=0)
    from cases.services import involvement_create

    involvement_create(by=outsider, case=second, perpetrator=perpetrator, roles=["PENAMPUNG"])
    assert set(perpetrator.involvements.values_list("case__regency", flat=True)) == {"6371", "6310"}
    with pytest.raises(ValidationError):
        involvement_create(by=outsider, case=second, perpetrator=perpetrator)
