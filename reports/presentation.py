"""How a stored summary is read by people: titles, labels, sections, chart data.

The stored content holds codes only, so that it is deterministic and language-free; the
words come from here, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Regency
from cases.codes import (
    ExploitationType,
    LabourSector,
    PerpetratorRole,
    RecruitmentModus,
    Stage,
    Verdict,
)
from victims.codes import ServiceType, Sex

from .figures import DURING, MONTH, STANDING, TOTAL, UNKNOWN, YTD
from .models import MonthlySummary, SummaryVersion
from .suppression import WITHHELD_MARK

UNKNOWN_LABEL = _("Tidak diketahui/tidak diisi")

COLUMNS = {
    "JUMLAH": _("Jumlah"),
    MONTH: _("Bulan ini"),
    YTD: _("Tahun berjalan"),
    DURING: _("Dicapai bulan ini"),
    STANDING: _("Posisi akhir bulan"),
    "TERDAKWA": _("Terdakwa"),
    "RUPIAH": _("Jumlah (Rp)"),
    "STATUS": _("Status"),
}

CUSTOM = {
    "DOMESTIK": _("Dalam negeri"),
    "LINTAS_NEGARA": _("Lintas negara"),
    "PELAKU": _("Pelaku (orang dan korporasi)"),
    "KORPORASI": _("Korporasi"),
    "KASUS_KETERLIBATAN_APARAT": _("Kasus dengan keterlibatan aparat"),
    "ANAK": _("Anak (di bawah 18 tahun)"),
    "DEWASA": _("Dewasa"),
    "KURANG_36": _("Kurang dari 3 tahun"),
    "36_59": _("3 sampai kurang dari 5 tahun"),
    "60_119": _("5 sampai kurang dari 10 tahun"),
    "120_PLUS": _("10 tahun atau lebih"),
    "DIMOHONKAN": _("Dimohonkan"),
    "DIPUTUS": _("Diputus"),
    "DIBAYAR": _("Dibayar"),
    "DALAM_7_HARI": _("Dalam 7 hari sejak laporan"),
    "LEBIH_7_HARI": _("Lebih dari 7 hari"),
    "BELUM": _("Belum diberikan"),
    "FILED": _("Menyampaikan tepat waktu"),
    "NIL": _("Nihil tepat waktu"),
    "LATE": _("Terlambat"),
    "MISSING": _("Belum menyampaikan"),
    "TANPA_NOMOR_LP": _("Tanpa nomor laporan polisi"),
    "TANPA_TANGGAL_KEJADIAN": _("Tanpa tanggal kejadian"),
    "TANPA_JENIS_EKSPLOITASI": _("Tanpa jenis eksploitasi"),
    "TANPA_KORBAN": _("Tanpa korban tercatat"),
    "TANPA_NEGARA_TUJUAN": _("Lintas negara tanpa negara tujuan"),
    "MANGKRAK_90_HARI": _("Tanpa perkembangan tahap 90 hari"),
    "PENYIDIKAN": _("Penyidikan (kasus)"),
    "PENUNTUTAN": _("Penuntutan (kasus)"),
    "TERPIDANA": _("Terdakwa dipidana"),
    "KORBAN_TERIDENTIFIKASI": _("Korban teridentifikasi (orang)"),
    "KORBAN_DIRUJUK": _("Korban dirujuk ke layanan (orang)"),
}

# key: (section, title, code list for row labels or None, chart?)
TABLES = {
    "cases_scope": (_("Kasus"), _("Kasus baru: dalam negeri dan lintas negara"), None, False),
    "exploitation_types": (
        _("Kasus"),
        _("Kasus baru menurut jenis eksploitasi"),
        ExploitationType,
        True,
    ),
    "labour_sectors": (_("Kasus"), _("Kasus baru menurut sektor kerja"), LabourSector, False),
    "recruitment_modus": (
        _("Kasus"),
        _("Kasus baru menurut modus perekrutan"),
        RecruitmentModus,
        False,
    ),
    "destination_countries": (
        _("Kasus"),
        _("Kasus lintas negara menurut negara tujuan"),
        None,
        False,
    ),
    "perpetrators": (_("Pelaku"), _("Pelaku dalam kasus baru"), None, False),
    "perpetrator_roles": (_("Pelaku"), _("Pelaku menurut peran"), PerpetratorRole, False),
    "victims_sex": (_("Korban"), _("Korban menurut jenis kelamin"), Sex, True),
    "victims_age": (_("Korban"), _("Korban menurut kelompok umur"), None, True),
    "victims_child": (_("Korban"), _("Korban anak dan dewasa"), None, False),
    "victims_nationality": (_("Korban"), _("Korban menurut kewarganegaraan"), None, False),
    "victims_home_regency": (_("Korban"), _("Korban menurut kabupaten/kota asal"), None, False),
    "funnel": (_("Penegakan hukum"), _("Alur peradilan pidana (kasus)"), Stage, True),
    "verdicts": (_("Penegakan hukum"), _("Putusan (per terdakwa)"), Verdict, False),
    "sentences": (
        _("Penegakan hukum"),
        _("Lama pidana penjara terdakwa dipidana bulan ini"),
        None,
        False,
    ),
    "restitution": (_("Penegakan hukum"), _("Restitusi (terdakwa diputus bulan ini)"), None, False),
    "services_type": (
        _("Layanan"),
        _("Layanan dimulai bulan ini menurut jenis"),
        ServiceType,
        False,
    ),
    "services_provider": (
        _("Layanan"),
        _("Layanan dimulai bulan ini menurut jenis instansi pemberi"),
        Agency.Kind,
        False,
    ),
    "first_aid": (_("Layanan"), _("Pertolongan pertama bagi korban kasus baru"), None, False),
    "tip": (_("Laporan TIP"), _("Ringkasan format laporan TIP (Amerika Serikat)"), None, False),
    "returns": (_("Kelengkapan pelaporan"), _("Laporan bulanan unit"), None, False),
    "returns_units": (_("Kelengkapan pelaporan"), _("Laporan bulanan per unit"), None, False),
    "data_quality": (
        _("Kelengkapan pelaporan"),
        _("Kasus aktif dengan data belum lengkap"),
        None,
        False,
    ),
}


def _regency_names() -> dict[str, str]:
    return {r.pk: str(r) for r in Regency.objects.all()}


def row_label(key: str, code: str, choices, regencies: dict[str, str]) -> str:
    if code == TOTAL:
        return str(_("Jumlah"))
    if code == UNKNOWN:
        return str(UNKNOWN_LABEL)
    if key == "victims_home_regency":
        return regencies.get(code, code)
    if key == "victims_age":
        return f"{code} " + str(_("tahun"))
    if choices is not None and code in choices.values:
        return str(choices(code).label)
    return str(CUSTOM.get(code, code))


def display_value(table: dict, value):
    if table["key"] == "returns_units":
        return str(CUSTOM.get(value, value))
    return value


def describe(summary: MonthlySummary) -> list[dict]:
    """The summary's tables as people read them, in the order stored."""
    regencies = _regency_names()
    out = []
    for t in summary.content["tables"]:
        section, title, choices, chart = TABLES.get(t["key"], ("", t["key"], None, False))
        rows = [
            {
                "code": r[0],
                "label": row_label(t["key"], r[0], choices, regencies),
                "values": [display_value(t, v) for v in r[1:]],
            }
            for r in t["rows"]
        ]
        out.append(
            {
                "key": t["key"],
                "section": str(section),
                "title": str(title),
                "columns": [str(COLUMNS.get(c, c)) for c in t["columns"]],
                "money": [c in t["money"] for c in t["columns"]],
                "rows": rows,
                "total": t["total"],
                "chart": chart,
            }
        )
    return out


def sections(tables: list[dict]) -> list[tuple[str, list[dict]]]:
    result: list[tuple[str, list[dict]]] = []
    for t in tables:
        if not result or result[-1][0] != t["section"]:
            result.append((t["section"], []))
        result[-1][1].append(t)
    return result


def chart_data(tables: list[dict]) -> list[dict]:
    """Data for the page's charts: hidden cells become null (not drawn)."""
    charts = []
    for t in tables:
        if not t["chart"]:
            continue
        charts.append(
            {
                "id": t["key"],
                "title": t["title"],
                "labels": [r["label"] for r in t["rows"]],
                "series": [
                    {
                        "label": col,
                        "data": [
                            r["values"][i] if isinstance(r["values"][i], int) else None
                            for r in t["rows"]
                        ],
                    }
                    for i, col in enumerate(t["columns"])
                ],
            }
        )
    return charts


def bars(table: dict) -> list[dict]:
    """CSS bars for the PDF (no JavaScript there): the first column, as widths in percent."""
    values = [r["values"][0] if isinstance(r["values"][0], int) else None for r in table["rows"]]
    top = max([v for v in values if v is not None] or [0]) or 1
    return [
        {"label": r["label"], "value": r["values"][0], "width": round(100 * (v or 0) / top)}
        for r, v in zip(table["rows"], values, strict=True)
    ]


def legend(summary: MonthlySummary) -> str:
    if summary.version == SummaryVersion.INTERNAL:
        return str(_("TERBATAS: versi internal dengan angka persis. Tidak untuk disebarluaskan."))
    threshold = summary.content.get("threshold", 5)
    text = str(
        _(
            'Versi publikasi: angka 1 sampai %(t)s ditampilkan sebagai "<%(n)s"; sel bertanda '
            '"x" disembunyikan agar sel kecil tidak dapat dihitung dari jumlah.'
        )
        % {"t": threshold - 1, "n": threshold}
    )
    if _withheld(summary.content):
        text += " " + str(
            _('Angka bertanda "%(w)s" tidak dipublikasikan (nilainya bisa berapa saja).')
            % {"w": WITHHELD_MARK}
        )
    return text


def _withheld(content: dict) -> bool:
    for t in content.get("tables", []):
        for row in t["rows"]:
            if WITHHELD_MARK in row[1:]:
                return True
        if t["total"] is not None and WITHHELD_MARK in t["total"]:
            return True
    return False
