"""Summary pages, downloads and the summaries API: who sees which version."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from agencies.models import Agency
from reports.models import MonthlySummary, SummaryVersion
from reports.services import summaries_build
from tests.conftest import client_for
from tests.reports.crafted import MARCH, build

pytestmark = pytest.mark.django_db

INTERNAL, PUBLISHED = SummaryVersion.INTERNAL, SummaryVersion.PUBLISHED


@pytest.fixture
def built(unit_bjm, outsider):
    build(unit_bjm, outsider)
    # A unit named like a formula: spreadsheets must show it, never run it.
    Agency.objects.filter(name="Unit PPA Polres Tapin").update(name='=HYPERLINK("x") Tapin')
    summaries_build(period=MARCH)


def summary(regency, version) -> MonthlySummary:
    return MonthlySummary.objects.get(regency_id=regency, version=version)


def detail(s) -> str:
    return reverse("reports:summary_detail", args=[s.pk])


def download(s, fmt) -> str:
    return reverse("reports:summary_download", args=[s.pk, fmt])


def test_the_list_shows_each_user_their_versions(built, personas):
    def listed(user):
        page = client_for(user).get(reverse("reports:summary_list"))
        assert page.status_code == 200
        return {(s.regency_id, s.version) for s in page.context["summaries"]}

    assert listed(personas["province"]) == {(r, INTERNAL) for r in [None, *all_regencies()]}
    assert listed(personas["analyst"]) == {(r, PUBLISHED) for r in [None, *all_regencies()]}
    assert listed(personas["regency_bjm"]) == {("6371", INTERNAL), (None, PUBLISHED)}
    assert listed(personas["unit_bjm"]) == {("6371", PUBLISHED), (None, PUBLISHED)}
    assert listed(personas["outsider"]) == {("6310", PUBLISHED), (None, PUBLISHED)}


def all_regencies():
    from agencies.models import Regency

    return list(Regency.objects.values_list("pk", flat=True))


def test_outsiders_and_analysts_get_404_for_what_they_may_not_read(built, personas):
    bjm_internal, bjm_published = summary("6371", INTERNAL), summary("6371", PUBLISHED)
    province_internal = summary(None, INTERNAL)
    for user, url, code in [
        (personas["outsider"], detail(bjm_published), 404),
        (personas["outsider"], download(bjm_published, "csv"), 404),
        (personas["analyst"], detail(bjm_internal), 404),
        (personas["analyst"], download(province_internal, "xlsx"), 404),
        (personas["unit_bjm"], detail(bjm_internal), 404),
        (personas["regency_bjm"], detail(province_internal), 404),
        (personas["regency_bjm"], detail(bjm_internal), 200),
        (personas["analyst"], detail(bjm_published), 200),
        (personas["province"], detail(province_internal), 200),
    ]:
        assert client_for(user).get(url).status_code == code, (user.username, url)


def test_the_detail_page_has_tables_and_chart_data(built, province):
    page = client_for(province).get(detail(summary(None, INTERNAL)))
    html = page.content.decode()
    assert "TERBATAS" in html
    assert 'id="summary-charts"' in html and "reports/summary.js" in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline script
    assert "Korban menurut jenis kelamin" in html
    charts = {c["id"]: c for c in page.context["charts"]}
    assert charts["victims_sex"]["series"][0]["data"] == [4, 4, 0]


def test_the_published_page_hides_small_cells(built, analyst):
    page = client_for(analyst).get(detail(summary(None, PUBLISHED)))
    charts = {c["id"]: c for c in page.context["charts"]}
    assert charts["victims_sex"]["series"][0]["data"] == [None, None, 0]
    html = page.content.decode()
    assert "&lt;5" in html and "TERBATAS" not in html


def test_csv_download_is_neutralised(built, province):
    response = client_for(province).get(download(summary(None, INTERNAL), "csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert '\'=HYPERLINK("x") Tapin' in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert ["Korban menurut jenis kelamin", "L", "Laki-laki", "Jumlah", "4"] in rows


def test_summary_csv_quotes_every_cell(built, province):
    response = client_for(province).get(download(summary(None, INTERNAL), "csv"))
    text = response.content.decode("utf-8-sig")
    for line in text.splitlines():
        assert not line or (line.startswith('"') and line.endswith('"'))


def test_the_pdf_fetches_nothing_but_data_and_static_files(tmp_path, settings):
    """An http:// address (or another file on the server) in the page is not fetched."""
    import http.server
    import threading

    from reports.exports import html_to_pdf

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    secret = tmp_path / "rahasia.css"
    secret.write_text("body { color: red }")
    settings.STATICFILES_DIRS = [tmp_path / "static"]
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "ok.css").write_text("body { margin: 0 }")
    port = server.server_address[1]
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    html = f"""<html><head>
        <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
        <link rel="stylesheet" href="{secret.as_uri()}">
        <link rel="stylesheet" href="{(tmp_path / "static" / "ok.css").as_uri()}">
        </head><body><img src="http://127.0.0.1:{port}/pixel.png"><img src="{pixel}">
        <p style="background: url(http://127.0.0.1:{port}/bg.png)">Ringkasan</p></body></html>"""
    try:
        from weasyprint.urls import URLFetcher

        fetched = []
        original = URLFetcher.fetch

        def spy(self, url, headers=None):
            fetched.append(url.split(":", 1)[0])
            return original(self, url, headers)

        URLFetcher.fetch = spy
        try:
            pdf = html_to_pdf(html)
        finally:
            URLFetcher.fetch = original
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF")
    assert hits == []
    # Only the data: image and the static stylesheet got through to the real fetcher.
    assert sorted(fetched) == ["data", "file"]


def test_xlsx_has_one_sheet_per_table(built, province, tmp_path):
    response = client_for(province).get(download(summary(None, INTERNAL), "xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 1 + len(summary(None, INTERNAL).content["tables"])
    sex = book["Korban menurut jenis kelamin"]
    assert sex["A1"].value == "Korban menurut jenis kelamin"
    assert sex["A2"].value == "TERBATAS"
    assert [c.value for c in sex[4]] == ["Laki-laki", 4]
    assert [c.value for c in sex[7]] == ["Jumlah", 8]
    units = book["Laporan bulanan per unit"]
    values = [c.value for row in units.iter_rows() for c in row]
    assert '\'=HYPERLINK("x") Tapin' in values
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in values)
    (tmp_path / "ringkasan.xlsx").write_bytes(response.content)


def test_pdf_renders_and_is_marked(built, province, analyst):
    response = client_for(province).get(download(summary(None, INTERNAL), "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    public = client_for(analyst).get(download(summary(None, PUBLISHED), "pdf"))
    assert public.content.startswith(b"%PDF")


def test_api_lists_the_callers_summaries(built, analyst, regency_bjm):
    client = APIClient()
    client.force_authenticate(analyst)
    data = client.get("/api/v1/summaries/", {"period": "2026-03", "regency": "6371"}).json()
    assert data["count"] == 1
    assert data["results"][0]["version"] == PUBLISHED
    assert data["results"][0]["regency"] == "6371"
    client.force_authenticate(regency_bjm)
    data = client.get("/api/v1/summaries/", {"period": "2026-03"}).json()
    assert {(r["regency"], r["version"]) for r in data["results"]} == {
        ("6371", INTERNAL),
        (None, PUBLISHED),
    }
    assert client.get("/api/v1/summaries/", {"regency": "6310"}).json()["count"] == 0
    other = summary("6310", PUBLISHED)
    assert client.get(f"/api/v1/summaries/{other.pk}/").status_code == 404
    assert client.get("/api/v1/summaries/", {"period": "2026/03"}).status_code == 400
