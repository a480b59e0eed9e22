import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from demo.users import DEMO_PASSWORD, DEMO_USERS
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "healthz", "set_language"}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _concrete(route: str) -> str:
    """A path for a route, with placeholders filled by a plausible value."""
    import re

    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"<(?:int:)?\w*(?:pk|id)>", "1", route)
    route = re.sub(r"<[^>]+>", "x", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return "/" + route


def test_every_page_but_login_and_health_requires_login(client):
    checked = 0
    for route, pattern in _walk(get_resolver().url_patterns):
        if pattern.name in PUBLIC or route.startswith("admin/") or route.startswith("api/"):
            continue
        url = _concrete(route)
        response = client.get(url)
        assert response.status_code in (302, 404), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), url
        checked += 1
    assert checked >= 3


def test_admin_redirects_anonymous_to_its_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302


def test_login_page_is_in_indonesian_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="id"' in response.text
    assert "Kata sandi" in response.text


def test_wrong_password_shows_the_same_message_as_unknown_user(client, unit_bjm):
    wrong = client.post(reverse("login"), {"username": unit_bjm.username, "password": "salah"})
    unknown = client.post(reverse("login"), {"username": "tidak.ada", "password": "salah"})
    assert wrong.status_code == unknown.status_code == 200
    message = "Nama pengguna atau kata sandi salah"
    assert message in wrong.text and message in unknown.text
    # Nothing else differs: same error block for both.
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_wrong_password_message_in_english(client, unit_bjm):
    client.post(reverse("set_language"), {"language": "en", "next": "/masuk/"})
    response = client.post(reverse("login"), {"username": unit_bjm.username, "password": "x"})
    assert "Incorrect username or password" in response.text
    assert 'lang="en"' in response.text


def test_demo_users_log_in_and_see_their_scope(client, settings):
    from django.core.management import call_command

    settings.DEBUG = True  # the published demo password is set only on a development machine
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # twice changes nothing
    from agencies.models import User

    assert User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).count() == len(DEMO_USERS)
    expected = {
        "admin": "13 kabupaten/kota",
        "provinsi": "13 kabupaten/kota",
        "banjarmasin": "1 kabupaten/kota",
        "ppa.banjarmasin": "1 kabupaten/kota",
        "ppa.tanahbumbu": "1 kabupaten/kota",
        "analis": "13 kabupaten/kota",
    }
    for username, scope in expected.items():
        c = client.__class__()
        signed_in = c.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302, username
        page = c.get(reverse("home"))
        assert page.status_code == 200
        assert scope in page.text, username
    analyst_page = client_for(User.objects.get(username="analis")).get(reverse("home"))
    assert "Tidak dapat dilihat" in analyst_page.text


def test_password_change_page(client, unit_bjm):
    c = client_for(unit_bjm)
    assert c.get(reverse("password_change")).status_code == 200


def test_pages_stay_indonesian_whatever_the_browser_asks(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="id"' in page.text and "Kata sandi" in page.text
    client.post(reverse("set_language"), {"language": "en", "next": "/masuk/"})
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="id")
    assert 'lang="en"' in page.text and "Password" in page.text
