"""A crafted month (March 2026) whose every figure was counted by hand.

Province, new cases in March: C1 and C2 (Banjarmasin 6371), C3 (Tanah Bumbu 6310).
Outside the month: C4 (reported Nov 2025, verdicts in Feb and March), C5 (April),
C6 (January, diverted in March), C7 (October 2025, stale, incomplete).
See tests/reports/test_figures.py for the expected numbers and why."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from agencies.models import Agency
from cases.services import case_record_stage
from core.periods import is_late
from reports.models import UnitReturn
from tests.factories import make_case, perpetrator_data, victim_data
from victims.services import service_create

MARCH = date(2026, 3, 1)
WITA = ZoneInfo("Asia/Makassar")


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


def person(sex: str, ident: int | None, expl: int | None = None, **extra) -> dict:
    return victim_data(sex=sex, age_at_identification=ident, age_at_exploitation=expl, **extra)


def stages(by, case, *steps):
    for stage, on in steps:
        case_record_stage(by=by, case=case, stage=stage, occurred_on=on)


def build(unit_bjm, outsider) -> dict:
    v3 = person("P", 17, 16, home_regency=_regency("6371"))
    c1 = make_case(
        unit_bjm,
        reported_on=d(3, 2),
        stage="LAPORAN_POLISI",
        police_report_no="LP/B/11/III/2026",
        transnational=True,
        destination_country="MYS",
        exploitation_types=["KERJA_PAKSA"],
        labour_sector="PERKEBUNAN",
        recruitment_modus=["PMI_NONPROSEDURAL", "JERATAN_UTANG"],
        victims=[
            person("L", 30, 29, home_regency=_regency("6371")),
            person("L", 25, 25, home_regency=_regency("6303")),
            v3,
        ],
        perpetrators=[
            perpetrator_data(name="Pelaku Satu", roles=["CALO_SPONSOR", "PEREKRUT"]),
            perpetrator_data(name="Pelaku Dua", roles=["PENAMPUNG"]),
        ],
    )
    stages(unit_bjm, c1, ("PENYIDIKAN", d(3, 10)))
    c2 = make_case(
        unit_bjm,
        reported_on=d(3, 5),
        police_report_no="LP/B/12/III/2026",
        transnational=False,
        exploitation_types=["SEKS_PROSTITUSI", "SEKS_ONLINE"],
        labour_sector="HIBURAN_MALAM",
        recruitment_modus=["PEMANDU_LAGU_TERAPIS"],
        victims=[
            person("P", 15, 14, home_regency=_regency("6371")),
            person("P", 17, None, home_regency=_regency("6371")),
            person("P", 22, 21, home_regency=_regency("6372")),
            {**v3},  # the same girl as in C1 (same NIK): one person
        ],
        perpetrators=[
            perpetrator_data(name="Pelaku Tiga", roles=["MUCIKARI"]),
            perpetrator_data(name="Pelaku Empat", roles=["OKNUM_APARAT"]),
        ],
    )
    stages(
        unit_bjm,
        c2,
        ("LAPORAN_POLISI", d(3, 6)),
        ("PENYIDIKAN", d(3, 12)),
        ("P21", d(3, 20)),
        ("TAHAP_II", d(3, 21)),
        ("PENUNTUTAN", d(3, 25)),
    )
    c3 = make_case(
        outsider,
        regency="6310",
        reported_on=d(3, 15),
        police_report_no="LP/B/3/III/2026",
        transnational=True,
        destination_country="MYS",
        complicity=True,
        exploitation_types=["KERJA_PAKSA"],
        labour_sector="PERIKANAN_ABK",
        recruitment_modus=["ABK_KAPAL_IKAN"],
        victims=[
            person("L", 40, 40, nationality="MMR", identity={"full_name": "Aung"}),
            person("L", 35, 35, home_regency=_regency("6310")),
            person("L", 28, 28, status="BUKAN_KORBAN"),
        ],
        perpetrators=[
            perpetrator_data(name="PT Laut Jaya", kind="KORPORASI", sex="", roles=["PEMILIK_USAHA"])
        ],
    )
    c4 = make_case(
        unit_bjm,
        reported_on=d(11, 10, 2025),
        occurred_from=d(10, 1, 2025),
        occurred_to=d(11, 1, 2025),
        stage="LAPORAN_POLISI",
        police_report_no="LP/B/90/XI/2025",
        victims=[person("P", 19, 19)],
        perpetrators=[
            perpetrator_data(
                name="Pelaku Enam",
                legal_status="TERPIDANA",
                verdict="DIPIDANA",
                verdict_on=d(3, 18),
                sentence_months=48,
                restitution_requested=50_000_000,
                restitution_awarded=30_000_000,
                restitution_paid=10_000_000,
            ),
            perpetrator_data(
                name="Pelaku Tujuh", legal_status="BEBAS", verdict="BEBAS", verdict_on=d(3, 18)
            ),
            perpetrator_data(
                name="Pelaku Delapan",
                legal_status="TERPIDANA",
                verdict="DIPIDANA",
                verdict_on=d(2, 20),
                sentence_months=120,
            ),
        ],
    )
    stages(
        unit_bjm,
        c4,
        ("PENYIDIKAN", d(12, 1, 2025)),
        ("P21", d(1, 10)),
        ("TAHAP_II", d(1, 15)),
        ("PENUNTUTAN", d(1, 20)),
        ("PERSIDANGAN", d(2, 10)),
        ("PUTUSAN", d(3, 18)),
    )
    c5 = make_case(
        unit_bjm,
        reported_on=d(4, 2),
        police_report_no="LP/B/1/IV/2026",
        victims=[person("P", 12, 12)],
    )
    stages(unit_bjm, c5, ("LAPORAN_POLISI", d(4, 3)))
    c6 = make_case(
        unit_bjm,
        reported_on=d(1, 20),
        occurred_from=d(1, 1),
        occurred_to=d(1, 15),
        police_report_no="LP/B/5/I/2026",
        status="DITUTUP",
        victims=[person("P", 30, 30)],
    )
    stages(unit_bjm, c6, ("DIALIHKAN_NON_PIDANA", d(3, 3)))
    c7 = make_case(
        unit_bjm,
        reported_on=d(10, 1, 2025),
        occurred_from=None,
        occurred_to=None,
        stage="LAPORAN_POLISI",
        exploitation_types=[],
        recruitment_modus=[],
        victims=[],
        perpetrators=[],
    )

    own = unit_bjm.agency
    v1, v2, v3_ = (link.victim for link in c1.victim_links.order_by("victim__code"))
    v4 = c2.victim_links.get(victim__age_at_identification=15).victim
    service_create(
        by=unit_bjm,
        victim=v1,
        case=c1,
        type="PERTOLONGAN_PERTAMA",
        provider_agency=own,
        started_on=d(3, 5),
    )
    service_create(
        by=unit_bjm,
        victim=v2,
        case=c1,
        type="PERTOLONGAN_PERTAMA",
        provider_agency=own,
        started_on=d(3, 15),
    )
    service_create(
        by=unit_bjm,
        victim=v3_,
        case=c2,
        type="RUMAH_AMAN",
        provider_agency=Agency.objects.get(name="DP3A Kota Banjarmasin"),
        referred_on=d(3, 6),
    )
    service_create(
        by=unit_bjm, victim=v4, case=c2, type="PSIKOLOGIS", provider_agency=own, started_on=d(3, 8)
    )

    def file(name: str, *, nil: bool, at: datetime):
        agency = Agency.objects.get(name=name)
        UnitReturn.objects.create(
            agency=agency,
            period=MARCH,
            nil=nil,
            filed_by=unit_bjm,
            filed_at=at,
            late=is_late(MARCH, at),
        )

    file("Unit PPA Polresta Banjarmasin", nil=False, at=datetime(2026, 4, 3, 10, tzinfo=WITA))
    file("Unit PPA Polres Tanah Bumbu", nil=True, at=datetime(2026, 4, 5, 23, tzinfo=WITA))
    file("Unit PPA Polres Banjar", nil=False, at=datetime(2026, 4, 6, 0, 30, tzinfo=WITA))
    return {"cases": [c1, c2, c3, c4, c5, c6, c7]}


def _regency(code: str):
    from agencies.models import Regency

    return Regency.objects.get(pk=code)
