"""The content security policy in a real browser: the API docs (Swagger UI from the local
sidecar assets) and the busiest pages work under it, and Chromium reports no violation.

Debian's Chromium, as in tests/browser/. Each test drives its own Playwright on a thread of
its own: the browser tests' session-wide Playwright owns the test thread's event loop, and
two cannot share one."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM  # also allows the ORM beside Playwright's loop
from tests.factories import PASSWORD, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page sees, as the browser reports it (the init script is added
# through DevTools, so the policy does not apply to it).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


class Session:
    """A signed-in Chromium page that collects policy violations and console errors."""

    def __init__(self, browser, base_url: str):
        self.base_url = base_url
        self.context = browser.new_context(locale="id-ID")
        self.context.add_init_script(WATCH_VIOLATIONS)
        self.console: list[str] = []
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.console.append(message.text)

    def sign_in(self, user) -> None:
        self.page.goto(f"{self.base_url}/masuk/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", PASSWORD)
        self.page.get_by_role("button", name="Masuk", exact=True).click()
        self.page.wait_for_url(f"{self.base_url}/")

    def problems(self) -> list[str]:
        violations = self.page.evaluate("window.__violations")
        return violations + [m for m in self.console if "Content Security Policy" in m]


@pytest.fixture
def in_chromium(live_server, settings):
    """`in_chromium(scenario)` runs `scenario(session)` in a fresh Chromium and returns what
    it returns; the live server speaks plain HTTP."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM}")
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False

    def run(scenario):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                return scenario(Session(browser, live_server.url))
            finally:
                browser.close()

    def in_thread(scenario):
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(run, scenario).result()

    return in_thread


def test_the_api_docs_work_under_the_policy(in_chromium, province):
    def scenario(s: Session):
        s.sign_in(province)
        page = s.page
        page.goto(f"{s.base_url}/api/v1/docs/")
        # Swagger UI loaded the schema and drew the operations.
        regencies = page.locator(".opblock-summary-path[data-path='/api/v1/regencies/']")
        regencies.first.wait_for()
        operations = page.locator(".opblock").count()
        # Try an operation with the browser session: the request goes out, the answer shows.
        regencies.first.click()
        page.locator(".try-out__btn").first.click()
        page.locator(".execute").first.click()
        status = page.locator(".live-responses-table tbody .response-col_status").first
        status.wait_for()
        answer = page.locator(".live-responses-table").inner_text()
        return operations, status.inner_text().strip(), answer, s.problems()

    operations, status, answer, problems = in_chromium(scenario)
    assert operations >= 20
    assert status.startswith("200") and "Tanah Bumbu" in answer
    assert problems == []


def test_the_pages_work_under_the_policy(in_chromium, unit_bjm):
    case = make_case(unit_bjm, victims=2)

    def scenario(s: Session):
        s.sign_in(unit_bjm)
        page = s.page
        # The dashboard draws its charts (Chart.js), the case form adds a victim row
        # (static/js/formset.js), the case page opens its menu (Bootstrap).
        page.wait_for_function("document.querySelector('#chart-funnel').width > 0")
        page.goto(f"{s.base_url}/kasus/baru/")
        victim_rows = page.locator("[id^=id_victims-][id$=-sex]")
        before = victim_rows.count()
        page.get_by_role("button", name="+ Tambah korban").click()
        after = victim_rows.count()
        page.goto(f"{s.base_url}/kasus/{case.pk}/")
        page.locator(".account-toggle").click()
        page.get_by_role("link", name="Ubah kata sandi").wait_for()
        return before, after, s.problems()

    before, after, problems = in_chromium(scenario)
    assert after == before + 1
    assert problems == []
