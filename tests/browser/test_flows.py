"""The task force's daily work, in a real browser (see conftest.py)."""

import pytest
from django.utils import timezone

from audit.models import IdentityAccess
from cases.models import Case
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, make_case

# The live server runs in another thread: the data must be committed, and the seeded
# reference data (regencies, agencies) is restored after each test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

STAGES_TO_VERDICT = [
    "PENYIDIKAN",
    "P21",
    "TAHAP_II",
    "PENUNTUTAN",
    "PERSIDANGAN",
    "PUTUSAN",
]


def _fill_victim(page, index: int, *, sex: str, age: int, name: str, nik: str) -> None:
    p = f"#id_victims-{index}-"
    page.select_option(p + "sex", sex)
    page.fill(p + "age_at_identification", str(age))
    page.fill(p + "age_at_exploitation", str(age))
    page.select_option(p + "home_regency", "6371")
    page.select_option(p + "status", "TERIDENTIFIKASI")
    page.fill(p + "full_name", name)
    page.fill(p + "nik", nik)


def test_unit_officer_records_a_case_and_follows_it_to_a_verdict(open_page, unit_bjm, live_server):
    today = timezone.localdate().isoformat()
    page = open_page(unit_bjm, PASSWORD)
    assert page.locator("h1").first.inner_text().startswith("Selamat datang")
    page.wait_for_selector(".figures")

    # Record a case with two victims and a perpetrator.
    page.get_by_role("link", name="Catat kasus baru").first.click()
    page.select_option("#id_regency", "6371")
    page.fill("#id_police_report_no", "LP/B/123/XI/2026/SPKT/POLRESTA BJM")
    page.fill("#id_reported_on", today)
    page.fill("#id_summary", "Dua korban direkrut lewat MiChat untuk bekerja di tempat karaoke.")
    page.select_option("#id_stage", "LAPORAN_POLISI")
    page.check("input[name=exploitation_types][value=SEKS_PROSTITUSI]")
    page.check("input[name=recruitment_channels][value=MICHAT]")
    page.check("input[name=means_of_control][value=JERATAN_UTANG]")
    _fill_victim(page, 0, sex="P", age=16, name="Nurul Hidayah", nik="6371015506100001")
    page.get_by_role("button", name="+ Tambah korban").click()
    _fill_victim(page, 1, sex="P", age=23, name="Rina Marlina", nik="6371015506030002")
    page.fill("#id_perpetrators-0-name", "Agus Salim")
    page.select_option("#id_perpetrators-0-sex", "L")
    page.check("input[name='perpetrators-0-roles'][value=MUCIKARI]")
    screenshot(page, "case_form")
    page.get_by_role("button", name="Simpan kasus").click()
    page.wait_for_selector("text=tercatat")
    case = Case.objects.get()
    assert page.url == f"{live_server.url}/kasus/{case.pk}/"
    assert case.victim_links.count() == 2 and case.involvements.count() == 1

    # Record the stages up to a verdict; only allowed next stages are offered.
    for stage in STAGES_TO_VERDICT:
        page.get_by_role("link", name="Catat tahap").click()
        offered = page.locator("#id_stage option").evaluate_all("os => os.map(o => o.value)")
        assert stage in offered and "EKSEKUSI" not in offered
        page.select_option("#id_stage", stage)
        page.fill("#id_occurred_on", today)
        page.get_by_role("button", name="Simpan tahap").click()
        page.wait_for_selector(f"[data-stage={stage}]")
    page.get_by_role("link", name="Status & putusan").click()
    page.select_option("#id_legal_status", "TERPIDANA")
    page.select_option("#id_verdict", "DIPIDANA")
    page.fill("#id_verdict_on", today)
    page.fill("#id_sentence_months", "60")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_selector("text=Putusan dan status pelaku tersimpan")
    assert "60 bulan" in page.inner_text("#per-h + div")
    screenshot(page, "case_detail")
    involvement = case.involvements.get()
    assert involvement.verdict == "DIPIDANA" and involvement.sentence_months == 60

    # The dashboard now counts the case, its victims and the conviction; charts drawn.
    page.goto(f"{live_server.url}/")
    assert page.inner_text("[data-figure=cases-month]") == "1"
    assert page.inner_text("[data-figure=girls-year]") == "1"
    assert page.inner_text("[data-figure=convictions-month]") == "1"
    page.wait_for_function("document.querySelector('#chart-funnel').width > 0")
    screenshot(page, "dashboard")
    page.goto(f"{live_server.url}/kasus/{case.pk}/")

    # Reveal a victim's identity: a button (POST), and the access is logged.
    victim = case.victim_links.order_by("victim__code").first().victim
    page.get_by_role("link", name=victim.code).first.click()
    assert "Nurul Hidayah" not in page.content() and "Rina Marlina" not in page.content()
    page.get_by_role("button", name="Tampilkan identitas").click()
    page.wait_for_selector("[data-identity=full_name]")
    assert page.inner_text("[data-identity=full_name]") in ("Nurul Hidayah", "Rina Marlina")
    assert "/identitas/" in page.url and "?" not in page.url
    assert unit_bjm.get_full_name() in page.inner_text(".access-log")
    assert IdentityAccess.objects.filter(user=unit_bjm, victim=victim).count() == 1

    # Filter the list by register number.
    make_case(unit_bjm, victims=0, perpetrators=0)  # another case, to be filtered out
    page.goto(f"{live_server.url}/kasus/")
    assert page.locator("table.case-list tbody tr").count() == 2
    page.fill("#id_search", case.register_no)
    page.get_by_role("button", name="Saring", exact=True).click()
    page.wait_for_url("**search=*")
    rows = page.locator("table.case-list tbody tr")
    assert rows.count() == 1 and case.register_no in rows.first.inner_text()
    page.fill("#id_search", "")
    page.get_by_role("button", name="Saring", exact=True).click()
    screenshot(page, "case_list")

    # Switch to English: same page, English words, English dates.
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").first.inner_text().startswith("Cases")
    assert page.get_by_role("button", name="Filter", exact=True).is_visible()
    page.goto(f"{live_server.url}/kasus/{case.pk}/")
    assert "Stage timeline" in page.content()
    screenshot(page, "case_detail_en")


def test_a_unit_officer_of_another_regency_gets_404(open_page, unit_bjm, outsider, live_server):
    case = make_case(unit_bjm)
    page = open_page(outsider, PASSWORD)
    response = page.goto(f"{live_server.url}/kasus/{case.pk}/")
    assert response.status == 404
    assert case.register_no not in page.content()
    victim = case.victim_links.get().victim
    assert page.goto(f"{live_server.url}/korban/{victim.pk}/").status == 404


def test_case_list_and_form_work_on_a_tablet(open_page, unit_bjm, live_server):
    make_case(unit_bjm)
    page = open_page(unit_bjm, PASSWORD, viewport=(820, 1180))
    page.goto(f"{live_server.url}/kasus/")
    # The navigation collapses behind a button that the keyboard can reach.
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    toggler.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#nav.show")
    assert page.get_by_role("link", name="Korban", exact=True).is_visible()
    # No horizontal scrolling of the whole page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.goto(f"{live_server.url}/kasus/baru/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "case_form_tablet")
