"""Every URL pattern and API route, walked from the resolver, for every role, against a
Banjarmasin record: an outsider gets 404 (never 403, never the data), no list leaks it,
and no page or answer shows an identity to a role that may not see it.

A new route with a parameter the sweep cannot fill fails `test_every_route_is_covered`:
add it to KWARG_TARGETS, so no new page escapes the sweep.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from agencies.models import Agency
from reports.models import MonthlySummary
from reports.services import summaries_build
from tests.factories import make_case, perpetrator_data, victim_data
from victims.services import service_create

pytestmark = pytest.mark.django_db

NIK = "6371016101990007"
NAME = "Kartika Sari Dewi"
PERPETRATOR = "Haji Sulaiman Mansyur"

SKIP_PREFIXES = ("admin/", "api/v1/schema/", "api/v1/docs/", "api/v1/^.*$")
PUBLIC = {
    "login",
    "logout",
    "healthz",
    "set_language",
    "otp_verify",
    "otp_setup",
    "password_change",
    "password_change_done",
}
# (route regex, parameter) -> which record fills it.
KWARG_TARGETS = [
    (r"^kasus/keterlibatan/", "pk", "involvement"),
    (r"^kasus/pelaku/", "pk", "perpetrator"),
    (r"^kasus/", "pk", "case"),
    (r"^korban/layanan/", "pk", "service"),
    (r"^korban/", "pk", "victim"),
    (r"^laporan/ringkasan/", "pk", "summary"),
    (r"^laporan/ringkasan/", "fmt", "csv"),
    (r"^api/v1/\^cases/", "pk", "case"),
    (r"^api/v1/\^perpetrators/", "pk", "perpetrator"),
    (r"^api/v1/(\^)?victims/", "code", "victim_code"),
    (r"^api/v1/\^services/", "pk", "service"),
    (r"^api/v1/\^summaries/", "pk", "summary"),
]


def routes():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p

    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or pattern.name in PUBLIC:
            continue
        yield route, pattern


def params_of(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


def target(route: str, param: str) -> str | None:
    for prefix, name, kind in KWARG_TARGETS:
        if name == param and re.match(prefix, route):
            return kind
    return None


def concrete(route: str, values: dict[str, str]) -> str:
    def fill(match):
        return values[match.group(1)]

    path = re.sub(r"<(?:\w+:)?(\w+)>", fill, route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", fill, path)
    return "/" + path.replace("^", "").replace("$", "")


@pytest.fixture
def world(unit_bjm):
    victim = victim_data()
    victim["identity"] = {**victim["identity"], "full_name": NAME, "nik": NIK}
    case = make_case(unit_bjm, victims=[victim], perpetrators=[perpetrator_data(name=PERPETRATOR)])
    link = case.victim_links.get()
    service = service_create(
        by=unit_bjm,
        victim=link.victim,
        case=case,
        type="REHAB_SOSIAL",
        provider_agency=Agency.objects.get(name="DP3A Kota Banjarmasin"),
    )
    summaries_build(period="2026-03")
    summary = MonthlySummary.objects.get(period="2026-03-01", regency="6371", version="INTERNAL")
    involvement = case.involvements.get()
    return {
        "case": str(case.pk),
        "victim": str(link.victim.pk),
        "victim_code": link.victim.code,
        "service": str(service.pk),
        "perpetrator": str(involvement.perpetrator_id),
        "involvement": str(involvement.pk),
        "summary": str(summary.pk),
        "csv": "csv",
        "register_no": case.register_no,
    }


def test_every_route_is_covered():
    missing = [
        (route, param)
        for route, _pattern in routes()
        for param in params_of(route)
        if target(route, param) is None
    ]
    assert missing == [], f"add these to KWARG_TARGETS: {missing}"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.force_login(user)
    return client


def test_an_outsider_gets_404_on_every_record_route(world, outsider):
    client = client_for(outsider)
    checked = 0
    for route, _pattern in routes():
        params = params_of(route)
        if not params:
            continue
        path = concrete(route, {p: world[target(route, p)] for p in params})
        for method in ("get", "post", "patch"):
            response = (
                getattr(client, method)(path, {}, format="json")
                if method != "get"
                else client.get(path)
            )
            assert response.status_code in (404, 405), (method, path, response.status_code)
            body = response.content.decode(errors="replace")
            assert world["register_no"] not in body and NIK not in body and NAME not in body
            checked += 1
    assert checked >= 40


@pytest.mark.parametrize("persona", ["outsider", "analyst", "unit_bjm", "regency_bjm", "province"])
def test_no_list_or_page_leaks_what_the_role_may_not_see(world, personas, persona):
    user = personas[persona]
    client = client_for(user)
    insider = persona in ("unit_bjm", "regency_bjm", "province")
    for route, _pattern in routes():
        params = params_of(route)
        path = concrete(route, {p: world[target(route, p)] for p in params})
        response = client.get(path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode(errors="replace")
        # Identities are never shown by a GET, to anyone: revealing one is a logged POST
        # (pages) or the victim's own API record.
        if not route.startswith("api/v1/^victims/(?P<code>") or not insider:
            assert NIK not in body and NAME not in body, (persona, path)
        if persona == "outsider":
            assert world["register_no"] not in body, path
            assert PERPETRATOR not in body, path
        if persona == "analyst":
            assert PERPETRATOR not in body, path  # de-identified: no perpetrator names either
        assert response.status_code < 500, (persona, path, response.status_code)


def test_only_allowed_roles_reveal_an_identity_and_each_reveal_is_logged(world, personas):
    from audit.models import IdentityAccess

    path = f"/korban/{world['victim']}/identitas/"
    api_path = f"/api/v1/victims/{world['victim_code']}/"
    for name, user in personas.items():
        before = IdentityAccess.objects.count()
        page = client_for(user).post(path)
        api = client_for(user).get(api_path)
        allowed = name in ("unit_bjm", "regency_bjm", "province", "admin")
        if allowed:
            assert NAME in page.content.decode() and api.json()["identity"]["nik"] == NIK, name
            assert IdentityAccess.objects.count() == before + 2, name
        else:
            assert NAME not in page.content.decode(), name
            assert page.status_code == 404, name
            assert api.status_code == 404 or "identity" not in api.json(), name
            assert IdentityAccess.objects.count() == before, name
