"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Never `playwright install`: the system Chromium is used, so the tests run on a closed
network. The Playwright sync API runs its own event loop in this thread, hence
DJANGO_ALLOW_ASYNC_UNSAFE (the ORM calls made by the tests themselves are synchronous)."""

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def plain_http(settings):
    """The live server speaks plain HTTP: no HTTPS redirect, cookies not marked secure."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def open_page(browser, live_server, plain_http):
    """A new browser context (its own cookies) logged in as `user` through the login form."""
    contexts = []

    def _open(user, password, *, viewport=(1366, 900)):
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, locale="id-ID"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/masuk/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Masuk", exact=True).click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield _open
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
