"""Downloads of a summary: CSV, XLSX (one sheet per table) and PDF (WeasyPrint).

Spreadsheet programs run a cell that begins with =, +, -, @, tab or CR as a formula; every
such text cell is prefixed with an apostrophe so that it stays text."""

from __future__ import annotations

import csv
import io
import re

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.csv import neutralise_cell as neutralise

from .models import MonthlySummary
from .presentation import bars, describe, legend, sections


def where(summary: MonthlySummary) -> str:
    return str(summary.regency) if summary.regency_id else _("Provinsi Kalimantan Selatan")


def filename(summary: MonthlySummary, ext: str) -> str:
    place = summary.regency_id or "6300"
    kind = "internal" if summary.is_internal else "publik"
    return f"ringkasan-tppo-{place}-{summary.period:%Y-%m}-{kind}.{ext}"


def _header(summary: MonthlySummary) -> list[list[str]]:
    return [
        [_("Ringkasan bulanan TPPO"), where(summary)],
        [_("Periode"), f"{summary.period:%Y-%m}"],
        [_("Versi"), summary.get_version_display()],
        [legend(summary)],
        [_("Checksum SHA-256"), summary.checksum],
    ]


def summary_csv(summary: MonthlySummary) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in _header(summary):
        writer.writerow([neutralise(str(v)) for v in line])
    writer.writerow([])
    writer.writerow([_("Tabel"), _("Kode baris"), _("Baris"), _("Kolom"), _("Nilai")])
    for t in describe(summary):
        lines = [(r["code"], r["label"], r["values"]) for r in t["rows"]]
        if t["total"] is not None:
            lines.append(("TOTAL", _("Jumlah"), t["total"]))
        for code, label, values in lines:
            for col, value in zip(t["columns"], values, strict=True):
                writer.writerow([neutralise(str(x)) for x in (t["title"], code, label, col, value)])
    # A byte-order mark so that spreadsheet programs read the UTF-8 correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Tabel"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name.lower())
    return name


def summary_xlsx(summary: MonthlySummary) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    cover = wb.active
    cover.title = _("Keterangan")[:31]
    for line in _header(summary):
        cover.append([neutralise(str(v)) for v in line])
    if summary.is_internal:
        cover["A1"].font = Font(bold=True, color="B00020")
    used = {cover.title.lower()}
    for t in describe(summary):
        ws = wb.create_sheet(_sheet_title(t["title"], used))
        ws.append([neutralise(t["title"])])
        ws["A1"].font = Font(bold=True)
        if summary.is_internal:
            ws.append([_("TERBATAS")])
        ws.append([_("Baris"), *t["columns"]])
        for r in t["rows"]:
            ws.append([neutralise(r["label"]), *[neutralise(v) for v in r["values"]]])
        if t["total"] is not None:
            ws.append([_("Jumlah"), *[neutralise(v) for v in t["total"]]])
        ws.column_dimensions["A"].width = 48
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def summary_pdf(summary: MonthlySummary) -> bytes:
    from weasyprint import HTML

    tables = describe(summary)
    for t in tables:
        t["bars"] = bars(t) if t["chart"] else None
    html = render_to_string(
        "reports/summary_pdf.html",
        {
            "summary": summary,
            "where": where(summary),
            "sections": sections(tables),
            "legend": legend(summary),
        },
    )
    return HTML(string=html).write_pdf()


def summary_rows(summary) -> int:
    """The number of table rows a summary export carries (recorded in the export log)."""
    return sum(len(t.get("rows", [])) for t in summary.content.get("tables", []))
