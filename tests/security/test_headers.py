"""The response headers that carry the browser-side policy, on pages, API answers (errors
included) and the API docs: a content security policy that allows only the system's own
assets, HSTS, no sniffing, no framing, no referrer to other sites, an isolated opener, and
no caching of anything that may hold personal data."""

import pytest

from tests.api.helpers import api_client
from tests.conftest import client_for
from tests.security.test_authorization_sweep import (  # noqa: F401 (`world` is a fixture)
    concrete,
    params_of,
    routes,
    target,
    world,
)

pytestmark = pytest.mark.django_db

HSTS = "max-age=31536000; includeSubDomains; preload"


@pytest.fixture(autouse=True)
def production_transport(settings):
    """HTTPS as in production (tests/tppo/test_settings.py proves these are the production
    values: `check --deploy` finds nothing); requests below are made over HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_carries_the_policy(response) -> None:
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    # Only the system's own assets: no other host, no inline code, no eval.
    for sources in csp.values():
        for source in sources:
            assert source in {"'self'", "'none'", "data:"}, source
    assert response["Strict-Transport-Security"] == HSTS
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    permissions = dict(
        part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert permissions[feature] == "()", feature


@pytest.fixture
def case(unit_bjm):
    from tests.factories import make_case

    return make_case(unit_bjm)


def test_a_page_carries_the_policy(unit_bjm, case):
    response = client_for(unit_bjm).get(f"/kasus/{case.pk}/", secure=True)
    assert response.status_code == 200
    assert_carries_the_policy(response)


def test_the_login_page_carries_the_policy(client):
    response = client.get("/masuk/", secure=True)
    assert response.status_code == 200
    assert_carries_the_policy(response)


def test_an_api_list_and_detail_carry_the_policy(regency_bjm, unit_bjm, case):
    client = api_client(regency_bjm)
    listing = client.get("/api/v1/cases/", secure=True)
    assert listing.status_code == 200
    assert_carries_the_policy(listing)
    # A victim's record with the identity in it: the answer a cache must never keep.
    code = case.victim_links.get().victim.code
    detail = client.get(f"/api/v1/victims/{code}/", secure=True)
    assert detail.status_code == 200 and detail.json()["identity"]["nik"]
    assert_carries_the_policy(detail)


@pytest.mark.parametrize(
    ("path", "authenticated", "status"),
    [
        ("/api/v1/cases/", False, 401),
        ("/api/v1/cases/999999999/", True, 404),
        ("/api/v1/no-such-thing/", True, 404),
        ("/api/v1/cases/?reported_after=kemarin", True, 400),
    ],
)
def test_api_errors_carry_the_policy(unit_bjm, path, authenticated, status):
    client = api_client(unit_bjm if authenticated else None)
    response = client.get(path, secure=True)
    assert response.status_code == status
    assert_carries_the_policy(response)


def test_a_throttled_answer_carries_the_policy(unit_bjm, settings, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/min"})
    client = api_client(unit_bjm)
    client.get("/api/v1/regencies/", secure=True)
    response = client.get("/api/v1/regencies/", secure=True)
    cache.clear()
    assert response.status_code == 429
    assert_carries_the_policy(response)


def test_the_api_docs_and_schema_carry_the_policy(unit_bjm):
    client = client_for(unit_bjm)
    docs = client.get("/api/v1/docs/", secure=True)
    assert docs.status_code == 200
    # drf-spectacular relaxes the opener policy on this page; the system does not.
    assert_carries_the_policy(docs)
    schema = client.get("/api/v1/schema/", secure=True)
    assert schema.status_code == 200
    assert_carries_the_policy(schema)


def test_the_api_docs_and_schema_need_a_signed_in_user_or_a_token(client, unit_bjm):
    """docs/security.md: nothing answers without sign-in, the API's description included."""
    docs = client.get("/api/v1/docs/", secure=True)
    assert docs.status_code == 302 and docs["Location"].startswith("/masuk/")
    schema = client.get("/api/v1/schema/", secure=True)
    assert schema.status_code == 401
    assert b"code: not_authenticated" in schema.content  # in the schema's own format (YAML)
    assert api_client(unit_bjm).get("/api/v1/schema/", secure=True).status_code == 200


def test_the_language_cookie_is_secure_and_same_site(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = True
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"}, secure=True)
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_plain_http_is_sent_to_https(client):
    response = client.get("/masuk/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/masuk/"


def test_every_page_and_api_route_carries_the_policy(world, province):  # noqa: F811
    """The whole surface, walked as the authorization sweep walks it (which also sees to
    the status codes; an error page must carry the policy as well)."""
    client = client_for(province)
    token_client = api_client(province)
    for c in (client, token_client):
        c.raise_request_exception = False
    checked = 0
    for route, _pattern in routes():
        params = params_of(route)
        path = concrete(route, {p: world[target(route, p)] for p in params})
        response = (token_client if path.startswith("/api/") else client).get(path, secure=True)
        assert_carries_the_policy(response)
        checked += 1
    assert checked >= 30


def test_static_files_keep_their_own_caching(client):
    """Assets are not personal data: the no-store rule leaves them cacheable."""
    response = client.get("/static/css/app.css", secure=True)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
