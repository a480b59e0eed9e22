"""The case list as CSV (`Unduh CSV`): the cases the user may see, with the page's filters
and sort, streamed, logged, no identities, no formulas."""

import csv
import io
from datetime import date

import pytest
from django.db import DatabaseError
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from audit.models import ExportLog
from cases.models import Case
from cases.services import case_record_stage
from tests.conftest import client_for
from tests.factories import make_case, perpetrator_data, victim_data

pytestmark = pytest.mark.django_db

URL = reverse("cases:export")
NAME, NIK, PERPETRATOR = "Nurul Hidayah", "6371015506100001", "Agus Salim Mansyur"


def rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # read as UTF-8 by spreadsheet programs
    return list(csv.reader(io.StringIO(text[1:])))


def export(user, **query) -> list[list[str]]:
    response = client_for(user).get(URL, query)
    assert response.status_code == 200
    return rows(response)


@pytest.fixture
def bjm_case(unit_bjm):
    """A Banjarmasin case with two victims (one named NAME) and a perpetrator."""
    return make_case(
        unit_bjm,
        police_report_no="LP/B/12/III/2026",
        exploitation_types=["SEKS_PROSTITUSI", "KERJA_PAKSA"],
        victims=[
            victim_data(identity={**victim_data()["identity"], "full_name": NAME, "nik": NIK}),
            victim_data(sex="L"),
        ],
        perpetrators=[perpetrator_data(name=PERPETRATOR)],
    )


@pytest.fixture
def tanbu_case(outsider):
    return make_case(
        outsider,
        regency="6310",
        reported_on=date(2026, 2, 10),
        exploitation_types=["ADOPSI_ILEGAL"],
    )


def test_one_row_per_case_without_identities(bjm_case, unit_bjm):
    response = client_for(unit_bjm).get(URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kasus-tppo-')
    assert response["Cache-Control"] == "no-store"
    header, *body = rows(response)
    assert header[:4] == [
        "Nomor register",
        "Kode kabupaten/kota",
        "Kabupaten/kota",
        "Instansi pelapor",
    ]
    assert body == [
        [
            bjm_case.register_no,
            "6371",
            "Banjarmasin",
            "Unit PPA Polresta Banjarmasin",
            "LP/B/12/III/2026",
            "2026-03-02",
            "2026-01-11",
            "2026-02-20",
            "Pengaduan",
            "Aktif",
            "Eksploitasi seksual/prostitusi; Kerja paksa",
            "",
            "",
            "2",
            "1",
            timezone.localtime(Case.objects.get().updated_at).isoformat(timespec="seconds"),
        ]
    ]
    text = "\n".join(",".join(r) for r in body)
    assert NAME not in text and NIK not in text and PERPETRATOR not in text


def test_each_role_exports_what_it_sees(bjm_case, tanbu_case, personas):
    expected = {
        "unit_bjm": {bjm_case.register_no},
        "regency_bjm": {bjm_case.register_no},
        "outsider": {tanbu_case.register_no},
        "province": {bjm_case.register_no, tanbu_case.register_no},
    }
    for name, register_nos in expected.items():
        body = export(personas[name])[1:]
        assert {r[0] for r in body} == register_nos, name
        assert all(PERPETRATOR not in ",".join(r) and NAME not in ",".join(r) for r in body)


def test_the_analyst_exports_no_case_list(bjm_case, analyst):
    """Aggregates only: no record-level CSV, and nothing logged as sent."""
    response = client_for(analyst).get(URL)
    assert response.status_code == 403
    assert bjm_case.register_no not in response.content.decode()
    assert not ExportLog.objects.exists()


def test_the_page_filters_and_sort_apply(bjm_case, tanbu_case, unit_bjm, province):
    second = make_case(unit_bjm, reported_on=date(2026, 3, 20), exploitation_types=["KERJA_PAKSA"])
    all_bjm = [second.register_no, bjm_case.register_no]  # newest first, as on the page
    assert [r[0] for r in export(province, regency="6371")[1:]] == all_bjm
    assert [r[0] for r in export(province, regency="6371", sort="register_no")[1:]] == sorted(
        all_bjm
    )
    assert [r[0] for r in export(province, exploitation_type="SEKS_PROSTITUSI")[1:]] == [
        bjm_case.register_no
    ]
    assert [r[0] for r in export(province, search="LP/B/12")[1:]] == [bjm_case.register_no]
    assert [r[0] for r in export(province, reported_before="2026-02-28")[1:]] == [
        tanbu_case.register_no
    ]
    case_record_stage(
        by=unit_bjm, case=second, stage="LAPORAN_POLISI", occurred_on=date(2026, 3, 21)
    )
    assert [r[0] for r in export(unit_bjm, stage="LAPORAN_POLISI")[1:]] == [second.register_no]
    # A filter outside the user's scope does not widen it.
    assert export(unit_bjm, regency="6310")[1:] == []


def test_a_bad_filter_is_refused_not_ignored(bjm_case, unit_bjm):
    response = client_for(unit_bjm).get(URL, {"reported_after": "kemarin"})
    assert response.status_code == 400
    assert not isinstance(response, StreamingHttpResponse)
    assert "Perbaiki saringan sebelum mengunduh CSV." in response.text
    assert not ExportLog.objects.exists()


def test_the_export_is_logged_before_it_leaves(bjm_case, tanbu_case, regency_bjm):
    response = client_for(regency_bjm).get(URL, {"regency": "6371"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    log = ExportLog.objects.get()  # written before a byte was streamed
    assert (log.user, log.agency_id, log.kind, log.fmt, log.channel) == (
        regency_bjm,
        regency_bjm.agency_id,
        "CASE_LIST",
        "CSV",
        "web",
    )
    assert (log.row_count, log.ip_address) == (1, "10.1.2.3")
    assert len(rows(response)) == 2


def test_no_export_leaves_unlogged(bjm_case, unit_bjm, monkeypatch):
    """When the export log cannot be written, no byte of the export goes out."""

    def log_fails(**kwargs):
        raise DatabaseError("the export log is unavailable")

    monkeypatch.setattr("cases.exports.export_record", log_fails)
    with pytest.raises(DatabaseError):
        b"".join(client_for(unit_bjm).get(URL).streaming_content)
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+62 811", "-1+1", "@SUM(A1)"])
def test_a_formula_stays_text(unit_bjm, cell):
    make_case(unit_bjm, police_report_no=cell)
    assert export(unit_bjm)[1][4] == "'" + cell


def test_the_list_page_links_to_the_export_with_its_filters(unit_bjm):
    page = client_for(unit_bjm).get(reverse("cases:list"), {"regency": "6371", "sort": "stage"})
    assert f'href="{URL}?regency=6371&amp;sort=stage"' in page.text
    assert "Unduh CSV" in page.text
    assert f'href="{URL}"' in client_for(unit_bjm).get(reverse("cases:list")).text


def test_signed_out_users_are_sent_to_sign_in(client, bjm_case):
    response = client.get(URL)
    assert response.status_code == 302
    assert not ExportLog.objects.exists()


def test_queries_do_not_grow_with_the_number_of_cases(unit_bjm, django_assert_max_num_queries):
    client = client_for(unit_bjm)
    client.get(reverse("password_change"))  # the session's first-request work

    def queries() -> int:
        # 1 session, 2 user, 3 OTP devices (as on every page), 4 the count for the log,
        # 5 the log row, 6-8 the session saved again (in a savepoint), 9 the cases with
        # their victim and perpetrator counts (a server-side cursor), 10 their exploitation
        # types (one query per 2,000 cases).
        with django_assert_max_num_queries(10) as ctx:
            response = client.get(URL)
            assert len(rows(response)) > 1
        return len(ctx.captured_queries)

    for _ in range(5):
        make_case(unit_bjm, victims=2)
    few = queries()
    for _ in range(45):
        make_case(unit_bjm, victims=2)
    assert queries() == few


@pytest.mark.parametrize("cell", ["\t=1+1", "\r=1+1"])
def test_a_formula_after_tab_or_carriage_return_stays_text(unit_bjm, cell):
    make_case(unit_bjm, police_report_no=cell)
    assert export(unit_bjm)[1][4] == "'" + cell


def test_every_cell_is_quoted(unit_bjm):
    """Read with `;` as the separator (Excel in the Indonesian locale), an unquoted cell
    `LP;=HYPERLINK(...)` would split into `LP` and a formula; quoted, it stays one cell."""
    make_case(unit_bjm, police_report_no='LP;=HYPERLINK("http://x")')
    response = client_for(unit_bjm).get(URL)
    text = b"".join(response.streaming_content).decode("utf-8")[1:]
    for line in text.splitlines():
        assert line.startswith('"') and line.endswith('"')
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [c.strip('"') for row in rows for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_the_guard_covers_every_kind_of_text():
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from core.csv import neutralise_cell

    assert neutralise_cell(mark_safe("=1+1")) == "'=1+1"
    assert neutralise_cell(gettext_lazy("=SUM(A1)")) == "'=SUM(A1)"
    assert neutralise_cell(-5) == -5 and neutralise_cell(None) is None
    assert neutralise_cell("Tapin") == "Tapin"
    assert neutralise_cell("LP; =1+1") == "LP; '=1+1"
    assert neutralise_cell("KERJA_PAKSA; SEKS") == "KERJA_PAKSA; SEKS"
