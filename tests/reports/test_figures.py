"""Every number of the crafted month, counted by hand (see crafted.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Regency
from cases.services import involvement_create
from reports import figures
from reports.figures import summaries_figures, summary_figures
from tests.conftest import requires_postgres
from tests.factories import make_case, victim_data
from tests.reports.crafted import MARCH, build

pytestmark = pytest.mark.django_db


def tables(content) -> dict[str, dict]:
    """{table key: {row code: values, "TOTAL": totals}}, zero rows dropped for brevity."""
    out = {}
    for t in content["tables"]:
        rows = {r[0]: r[1:] for r in t["rows"] if any(v not in (0, "0") for v in r[1:])}
        if t["total"] is not None:
            rows["TOTAL"] = t["total"]
        out[t["key"]] = rows
    return out


@pytest.fixture
def crafted(unit_bjm, outsider):
    return build(unit_bjm, outsider)


PROVINCE = {
    # C1 and C3 go abroad (Malaysia), C2 stays at home.
    "cases_scope": {"DOMESTIK": [1], "LINTAS_NEGARA": [2], "TOTAL": [3]},
    "destination_countries": {"MYS": [2], "TOTAL": [2]},
    "exploitation_types": {"KERJA_PAKSA": [2], "SEKS_PROSTITUSI": [1], "SEKS_ONLINE": [1]},
    "labour_sectors": {"PERKEBUNAN": [1], "PERIKANAN_ABK": [1], "HIBURAN_MALAM": [1], "TOTAL": [3]},
    "recruitment_modus": {
        "PMI_NONPROSEDURAL": [1],
        "JERATAN_UTANG": [1],
        "PEMANDU_LAGU_TERAPIS": [1],
        "ABK_KAPAL_IKAN": [1],
    },
    # Five perpetrators in C1-C3, one a corporation; C2 (an official) and C3 (flagged).
    "perpetrators": {"PELAKU": [5], "KORPORASI": [1], "KASUS_KETERLIBATAN_APARAT": [2]},
    "perpetrator_roles": {
        "PEREKRUT": [1],
        "PENAMPUNG": [1],
        "MUCIKARI": [1],
        "PEMILIK_USAHA": [1],
        "CALO_SPONSOR": [1],
        "OKNUM_APARAT": [1],
    },
    # Eight people: the girl in both C1 and C2 once; the man found not a victim left out.
    "victims_sex": {"L": [4], "P": [4], "TOTAL": [8]},
    "victims_age": {"13-17": [3], "18-24": [1], "25-44": [4], "TOTAL": [8]},
    "victims_child": {"ANAK": [3], "DEWASA": [5], "TOTAL": [8]},
    "victims_nationality": {"IDN": [7], "MMR": [1], "TOTAL": [8]},
    "victims_home_regency": {
        "6303": [1],
        "6310": [1],
        "6371": [4],
        "6372": [1],
        "TIDAK_DIKETAHUI": [1],
        "TOTAL": [8],
    },
    # During March / standing at March's end (C5, reported in April, in neither).
    "funnel": {
        "PENGADUAN": [2, 1],
        "LAPORAN_POLISI": [2, 1],
        "PENYIDIKAN": [2, 1],
        "P21": [1, 0],
        "TAHAP_II": [1, 0],
        "PENUNTUTAN": [1, 1],
        "PUTUSAN": [1, 1],
        "DIALIHKAN_NON_PIDANA": [1, 1],
    },
    "verdicts": {"DIPIDANA": [1, 2], "BEBAS": [1, 1]},
    "sentences": {"36_59": [1], "TOTAL": [1]},
    "restitution": {
        "DIMOHONKAN": [1, 50_000_000],
        "DIPUTUS": [1, 30_000_000],
        "DIBAYAR": [1, 10_000_000],
    },
    "services_type": {"PERTOLONGAN_PERTAMA": [2], "PSIKOLOGIS": [1], "TOTAL": [3]},
    "services_provider": {"UNIT_PPA": [3], "TOTAL": [3]},
    # Nine victim-in-case pairs: V1 aided on day 3, V2 on day 13, the rest not yet.
    "first_aid": {"DALAM_7_HARI": [1], "LEBIH_7_HARI": [1], "BELUM": [7], "TOTAL": [9]},
    "tip": {
        "PENYIDIKAN": [2, 2],
        "PENUNTUTAN": [1, 2],
        "TERPIDANA": [1, 2],
        "KORBAN_TERIDENTIFIKASI": [8, 9],
        "KORBAN_DIRUJUK": [4, 4],
    },
    "returns": {"FILED": [1], "NIL": [1], "LATE": [1], "MISSING": [10], "TOTAL": [13]},
    # Open cases reported by March's end: C1-C4 and C7; C7 lacks everything and is stale.
    "data_quality": {
        "TANPA_NOMOR_LP": [1],
        "TANPA_TANGGAL_KEJADIAN": [1],
        "TANPA_JENIS_EKSPLOITASI": [1],
        "TANPA_KORBAN": [1],
        "MANGKRAK_90_HARI": [1],
    },
}


def test_every_number_of_the_province_matches(crafted):
    got = tables(summary_figures(MARCH, None))
    for key, expected in PROVINCE.items():
        assert got[key] == expected, key
    units = {
        r[0]: r[1]
        for r in next(
            t for t in summary_figures(MARCH, None)["tables"] if t["key"] == "returns_units"
        )["rows"]
    }
    assert units["Unit PPA Polresta Banjarmasin"] == "FILED"
    assert units["Unit PPA Polres Tanah Bumbu"] == "NIL"
    assert units["Unit PPA Polres Banjar"] == "LATE"  # filed on the 6th, due the 5th
    assert list(units.values()).count("MISSING") == 10


def test_a_regency_counts_only_its_own_cases(crafted):
    got = tables(summary_figures(MARCH, "6371"))
    assert got["cases_scope"] == {"DOMESTIK": [1], "LINTAS_NEGARA": [1], "TOTAL": [2]}
    assert got["victims_sex"] == {"L": [2], "P": [4], "TOTAL": [6]}
    assert got["victims_age"] == {"13-17": [3], "18-24": [1], "25-44": [2], "TOTAL": [6]}
    assert got["victims_child"] == {"ANAK": [3], "DEWASA": [3], "TOTAL": [6]}
    assert got["perpetrators"] == {"PELAKU": [4], "KASUS_KETERLIBATAN_APARAT": [1]}
    assert got["returns"] == {"FILED": [1], "TOTAL": [1]}
    assert got["tip"]["KORBAN_TERIDENTIFIKASI"] == [6, 7]
    tanah_bumbu = tables(summary_figures(MARCH, "6310"))
    assert tanah_bumbu["victims_sex"] == {"L": [2], "TOTAL": [2]}
    assert tanah_bumbu["verdicts"] == {}


def test_figures_take_a_constant_number_of_queries(crafted, django_assert_max_num_queries):
    # JIT off 1, case tables 6, victims 6, justice 4, services 3, TIP 4, completeness 3
    # (units, returns, quality): 27 whatever the number of cases.
    with django_assert_max_num_queries(27):
        summary_figures(MARCH, None)


def total(content: dict, key: str, row: str = "TOTAL") -> int:
    t = next(t for t in content["tables"] if t["key"] == key)
    return t["total"][0] if row == "TOTAL" else next(r[1] for r in t["rows"] if r[0] == row)


def test_all_summaries_read_at_once_are_each_summary_read_alone(
    crafted, unit_bjm, outsider, province
):
    # A woman and a perpetrator in a Banjarmasin case and a Tanah Bumbu one: each regency
    # counts them, the province once. Counts of cases, defendants and services add up from
    # the regencies; counts of people cannot, and the province has its own query for them.
    # (The province links her to the Tanah Bumbu unit's case: the unit itself, outside her
    # scope, would get a new victim and a duplicate candidate, #13 item 1.)
    woman = victim_data(sex="P", age_at_identification=30, age_at_exploitation=29)
    make_case(unit_bjm, reported_on=MARCH.replace(day=20), victims=[woman])
    there = make_case(
        province,
        regency="6310",
        reporting_agency=outsider.agency,
        reported_on=MARCH.replace(day=21),
        victims=[{**woman}],
    )
    syndicate = crafted["cases"][0].involvements.first().perpetrator
    involvement_create(by=outsider, case=there, perpetrator=syndicate, roles=["PEREKRUT"])

    together = summaries_figures(MARCH)
    assert list(together) == [
        figures.PROVINCE,
        *Regency.objects.order_by("pk").values_list("pk", flat=True),
    ]
    for key, content in together.items():
        assert content == summary_figures(MARCH, key), key
    regencies = [content for key, content in together.items() if key is not figures.PROVINCE]
    province = together[figures.PROVINCE]
    assert total(province, "victims_sex") == sum(total(c, "victims_sex") for c in regencies) - 1
    assert total(province, "perpetrators", "PELAKU") == (
        sum(total(c, "perpetrators", "PELAKU") for c in regencies) - 1
    )
    assert total(province, "cases_scope") == sum(total(c, "cases_scope") for c in regencies)


def test_all_summaries_take_about_the_queries_of_one(crafted, django_assert_max_num_queries):
    # One query per figure grouped by regency, and for the counts of people (victims by sex,
    # age, child, nationality, home; perpetrators, their roles; TIP victims identified and
    # referred) a second one for the province; with the regency list: 37 for the 14
    # summaries, against 27 for one.
    with django_assert_max_num_queries(37):
        summaries_figures(MARCH)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_figures_are_read_without_jit_and_the_setting_ends_with_them():
    with CaptureQueriesContext(connection) as ctx:
        summary_figures(MARCH, None)
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert sqls[:2] == ["BEGIN", "SET LOCAL jit = off"]  # before any read, in a transaction
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "on"  # the server's default, back after the read


@pytest.mark.django_db(transaction=True)
def test_figures_send_no_postgresql_setting_to_another_database():
    """The embedded SQLite default has no `jit`: the figures must not ask for it there."""
    with CaptureQueriesContext(connection) as ctx:
        summary_figures(MARCH, None)
    jit = [q["sql"] for q in ctx.captured_queries if "jit" in q["sql"].lower()]
    assert jit == ([] if connection.vendor != "postgresql" else ["SET LOCAL jit = off"])
