"""Two fast clicks on "Simpan kasus" store one case (#14.1), in Chromium."""

import re

import pytest
from django.utils import timezone

from cases.models import Case
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DETAIL = re.compile(r"/kasus/[0-9]+/$")


def _fill(page):
    page.select_option("#id_regency", "6371")
    page.fill("#id_reported_on", timezone.localdate().isoformat())
    page.fill("#id_summary", "Korban direkrut lewat media sosial.")
    page.select_option("#id_victims-0-sex", "P")
    page.fill("#id_victims-0-age_at_identification", "16")
    page.select_option("#id_victims-0-home_regency", "6371")


def test_a_double_click_on_save_stores_one_case(open_page, unit_bjm, live_server):
    page = open_page(unit_bjm, PASSWORD)
    page.goto(f"{live_server.url}/kasus/baru/")
    _fill(page)
    page.get_by_role("button", name="Simpan kasus").dblclick()
    page.wait_for_url(DETAIL)
    assert Case.objects.count() == 1
    assert "tercatat" in page.content()


def test_the_button_works_again_after_a_validation_error_and_after_back(
    open_page, unit_bjm, live_server
):
    page = open_page(unit_bjm, PASSWORD)
    page.goto(f"{live_server.url}/kasus/baru/")
    _fill(page)
    page.fill("#id_reported_on", "")
    page.get_by_role("button", name="Simpan kasus").click()
    page.wait_for_selector("#form-errors")
    button = page.get_by_role("button", name="Simpan kasus")
    assert button.is_enabled()
    page.fill("#id_reported_on", timezone.localdate().isoformat())
    button.click()
    page.wait_for_url(DETAIL)
    assert Case.objects.count() == 1

    # A form left by a successful save and shown again by the back button can be used.
    page.goto(f"{live_server.url}/kasus/baru/")
    _fill(page)
    page.get_by_role("button", name="Simpan kasus").click()
    page.wait_for_url(DETAIL)
    page.go_back()
    page.wait_for_selector("#id_summary")
    assert page.get_by_role("button", name="Simpan kasus").is_enabled()
