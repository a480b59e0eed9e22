"""The 13 regencies/cities of Kalimantan Selatan and the task force's agencies.

Kept as data, not code: an administrator can correct a name in admin.
"""

from django.db import migrations

REGENCIES = [
    # code, name, kind, police unit
    ("6301", "Tanah Laut", "KABUPATEN", "Polres Tanah Laut"),
    ("6302", "Kotabaru", "KABUPATEN", "Polres Kotabaru"),
    ("6303", "Banjar", "KABUPATEN", "Polres Banjar"),
    ("6304", "Barito Kuala", "KABUPATEN", "Polres Barito Kuala"),
    ("6305", "Tapin", "KABUPATEN", "Polres Tapin"),
    ("6306", "Hulu Sungai Selatan", "KABUPATEN", "Polres Hulu Sungai Selatan"),
    ("6307", "Hulu Sungai Tengah", "KABUPATEN", "Polres Hulu Sungai Tengah"),
    ("6308", "Hulu Sungai Utara", "KABUPATEN", "Polres Hulu Sungai Utara"),
    ("6309", "Tabalong", "KABUPATEN", "Polres Tabalong"),
    ("6310", "Tanah Bumbu", "KABUPATEN", "Polres Tanah Bumbu"),
    ("6311", "Balangan", "KABUPATEN", "Polres Balangan"),
    ("6371", "Banjarmasin", "KOTA", "Polresta Banjarmasin"),
    ("6372", "Banjarbaru", "KOTA", "Polres Banjarbaru"),
]

PROVINCIAL = [
    # name, kind, parent name
    ("Polda Kalimantan Selatan", "POLDA", None),
    ("DP3AKB Provinsi Kalimantan Selatan", "DP3A", None),
    ("UPTD PPA Provinsi Kalimantan Selatan", "UPTD_PPA", "DP3AKB Provinsi Kalimantan Selatan"),
    ("Kejaksaan Tinggi Kalimantan Selatan", "KEJATI", None),
    ("BP3MI Kalimantan Selatan", "BP3MI", None),
    ("Kantor Imigrasi Kelas I TPI Banjarmasin", "IMIGRASI", None),
    ("Disnakertrans Provinsi Kalimantan Selatan", "DISNAKER", None),
    ("Dinas Sosial Provinsi Kalimantan Selatan", "DINSOS", None),
]


def seed(apps, schema_editor):
    Regency = apps.get_model("agencies", "Regency")
    Agency = apps.get_model("agencies", "Agency")
    for code, name, kind, _police in REGENCIES:
        Regency.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
    by_name = {}
    for name, kind, parent in PROVINCIAL:
        by_name[name], _ = Agency.objects.get_or_create(
            name=name, defaults={"kind": kind, "parent": by_name.get(parent)}
        )
    polda = by_name["Polda Kalimantan Selatan"]
    for code, name, kind, police in REGENCIES:
        regency = Regency.objects.get(code=code)
        polres, _ = Agency.objects.get_or_create(
            name=police, defaults={"kind": "POLRES", "regency": regency, "parent": polda}
        )
        Agency.objects.get_or_create(
            name=f"Unit PPA {police}",
            defaults={"kind": "UNIT_PPA", "regency": regency, "parent": polres},
        )
        prefix = "Kota" if kind == "KOTA" else "Kabupaten"
        Agency.objects.get_or_create(
            name=f"DP3A {prefix} {name}", defaults={"kind": "DP3A", "regency": regency}
        )


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
