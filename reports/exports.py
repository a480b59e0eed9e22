"""Downloads of a summary: CSV, XLSX (one sheet per table) and PDF (WeasyPrint).

Spreadsheet programs run a cell that begins with =, +, -, @, tab or CR as a formula; every
such text cell is prefixed with an apostrophe so that it stays text, and every CSV cell is
quoted (see `cases.exports`)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.csv import CSV_QUOTING
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
    writer = csv.writer(out, quoting=CSV_QUOTING)
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
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`, fetching nothing but data: URIs and the app's own static files:
    no http(s), no ftp, no other file on the server (a name or a label that reached the page
    could otherwise make the server fetch an address of the attacker's choosing)."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_static_only_fetcher()).write_pdf()


def _static_roots() -> list[Path]:
    roots = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    return [Path(r if isinstance(r, str | Path) else r[1]).resolve() for r in roots if r]


def _static_only_fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in _static_roots()):
                    return super().fetch(url, headers)
            elif scheme == "data":
                return super().fetch(url, headers)
            raise ValueError("PDF: only data: URIs and the app's static files are fetched")

    return StaticOnlyFetcher()


def summary_rows(summary) -> int:
    """The number of table rows a summary export carries (recorded in the export log)."""
    return sum(len(t.get("rows", [])) for t in summary.content.get("tables", []))
