import pytest

from agencies.models import Agency, Regency

pytestmark = pytest.mark.django_db

EXPECTED = {
    "6301": "Tanah Laut",
    "6302": "Kotabaru",
    "6303": "Banjar",
    "6304": "Barito Kuala",
    "6305": "Tapin",
    "6306": "Hulu Sungai Selatan",
    "6307": "Hulu Sungai Tengah",
    "6308": "Hulu Sungai Utara",
    "6309": "Tabalong",
    "6310": "Tanah Bumbu",
    "6311": "Balangan",
    "6371": "Banjarmasin",
    "6372": "Banjarbaru",
}


def test_the_13_regencies_with_their_codes():
    assert dict(Regency.objects.values_list("code", "name")) == EXPECTED
    assert set(Regency.objects.filter(kind="KOTA").values_list("code", flat=True)) == {
        "6371",
        "6372",
    }


def test_each_regency_has_a_unit_ppa_and_a_dp3a():
    for regency in Regency.objects.all():
        kinds = set(Agency.objects.filter(regency=regency).values_list("kind", flat=True))
        assert {"POLRES", "UNIT_PPA", "DP3A"} <= kinds, regency


def test_provincial_bodies_have_no_regency():
    for name in [
        "Polda Kalimantan Selatan",
        "DP3AKB Provinsi Kalimantan Selatan",
        "UPTD PPA Provinsi Kalimantan Selatan",
        "Kejaksaan Tinggi Kalimantan Selatan",
        "BP3MI Kalimantan Selatan",
        "Kantor Imigrasi Kelas I TPI Banjarmasin",
        "Disnakertrans Provinsi Kalimantan Selatan",
        "Dinas Sosial Provinsi Kalimantan Selatan",
    ]:
        assert Agency.objects.get(name=name).regency is None
    unit = Agency.objects.get(name="Unit PPA Polresta Banjarmasin")
    assert unit.parent.name == "Polresta Banjarmasin"
    assert unit.parent.parent.name == "Polda Kalimantan Selatan"
