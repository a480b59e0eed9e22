"""Every URL pattern and API route, walked from the resolver, for every role, against a
Banjarmasin record: an outsider gets 404 (never 403, never the data), no list leaks it,
and no page or answer shows an identity to a role that may not see it.

A new route with a parameter the sweep cannot fill fails `test_every_route_is_covered`:
add it to KWARG_TARGETS, so no new page escapes the sweep.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
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

    # Regex groups first: their `<name>` would otherwise be taken for a path converter
    # (which left every API detail route unfilled, a 404 for everyone).
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", fill, route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", fill, path)
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


# --- A referred agency, before, during and after a referral --------------------------------

RECEIVER_AGENCY = "UPTD PPA Provinsi Kalimantan Selatan"
NARRATIVE = "Korban direkrut untuk bekerja di tempat karaoke."  # the case summary make_case gives
LIVE_STATES = ("pending", "accepted", "in_progress")
ENDED_STATES = ("rejected", "cancelled", "completed")
# While the referral is live, the routes of the referred victim and the service that answer
# with the record; every other route of the case is not found.
LIVE_READS = {
    "korban/<int:pk>/",
    "korban/layanan/<int:pk>/jawab/",
    "api/v1/^victims/(?P<code>[^/]+)/$",
    "api/v1/victims/<str:code>/services/",
    "api/v1/^services/(?P<pk>[^/.]+)/$",
}


def _move(service, state: str, receiver, referrer):
    from victims.services import service_transition

    steps = {
        "pending": [],
        "accepted": [(receiver, "DITERIMA")],
        "in_progress": [(receiver, "DITERIMA"), (receiver, "BERJALAN")],
        "rejected": [(receiver, "DITOLAK")],
        "cancelled": [(referrer, "DIBATALKAN")],
        "completed": [(receiver, "DITERIMA"), (receiver, "SELESAI")],
    }[state]
    for by, status in steps:
        service = service_transition(by=by, service=service, status=status, reason="Catatan.")
    return service


@pytest.fixture
def receiver(db):
    from agencies.models import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.UNIT, agency=Agency.objects.get(name=RECEIVER_AGENCY))


def referred_world(world, unit_bjm, receiver, state: str) -> dict:
    """The world's case with a second victim; in every state but "before", its first victim
    referred to the receiver's agency and moved to `state`."""
    from cases.models import Case
    from cases.services import case_add_victim

    case = Case.objects.get(pk=world["case"])
    other = case_add_victim(by=unit_bjm, case=case, **victim_data()).victim
    values = dict(world, other_code=other.code, other=str(other.pk))
    if state != "before":
        referral = service_create(
            by=unit_bjm,
            victim=case.victim_links.get(victim__code=world["victim_code"]).victim,
            case=case,
            type="RUMAH_AMAN",
            provider_agency=Agency.objects.get(name=RECEIVER_AGENCY),
        )
        _move(referral, state, receiver, unit_bjm)
        values["service"] = str(referral.pk)
    return values


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


@pytest.mark.parametrize("state", ["before", *LIVE_STATES, *ENDED_STATES])
def test_a_referred_agency_sees_the_referred_victim_and_service_only_while_live(
    world, unit_bjm, receiver, state
):
    values = referred_world(world, unit_bjm, receiver, state)
    live = state in LIVE_STATES
    client = client_for(receiver)
    for route, _pattern in routes():
        params = params_of(route)
        targets = {target(route, p) for p in params}
        for victim_key in ("victim", "other"):  # the referred victim, then the other one
            if victim_key == "other" and not targets & {"victim", "victim_code"}:
                continue
            filled = dict(values)
            if victim_key == "other":
                filled.update(victim=values["other"], victim_code=values["other_code"])
            path = concrete(route, {p: filled[target(route, p)] for p in params})
            for method in ("get", "post", "patch"):
                if method != "get" and not params:
                    continue
                response = (
                    client.get(path)
                    if method == "get"
                    else getattr(client, method)(path, {}, format="json")
                )
                body = _body(response)
                where = (state, method, path, response.status_code)
                assert response.status_code < 500, where
                # Never: the other victim, the perpetrators, the case narrative, an identity
                # (no sharing consent is on record).
                assert values["other_code"] not in body or victim_key == "other", where
                assert PERPETRATOR not in body and NARRATIVE not in body, where
                assert NIK not in body and NAME not in body, where
                if not live:
                    assert values["victim_code"] not in body, where
                    assert values["register_no"] not in body, where
                if not params:
                    continue
                if live and victim_key == "victim" and route in LIVE_READS and method == "get":
                    assert response.status_code == 200, where
                elif (
                    live
                    and victim_key == "victim"
                    and targets <= {"victim", "victim_code", "service"}
                ):
                    # A write on the referred victim or service: forbidden, or not allowed
                    # by the method; answering is checked in test_referral_access.
                    assert response.status_code in (200, 400, 403, 404, 405), where
                else:
                    assert response.status_code in (404, 405), where


# --- The analyst: aggregates only ---------------------------------------------------------

# What an analyst may open: reference data, the published summaries, the home page.
ANALYST_ROUTES = {
    "",
    "api/v1/^regencies/$",
    "api/v1/^agencies/$",
    "api/v1/^summaries/$",
    "api/v1/^summaries/(?P<pk>[^/.]+)/$",
    "laporan/",
    "laporan/ringkasan/<int:pk>/",
    "laporan/ringkasan/<int:pk>/unduh.<str:fmt>",
}


def test_the_analyst_gets_no_record_list_page_or_count(world, analyst):
    """Every route: 403 or 404 (405 for a POST-only one) and no row (an API list gives no
    `count` either), except the published summaries and reference data."""
    published = MonthlySummary.objects.get(period="2026-03-01", regency="6371", version="PUBLISHED")
    values = dict(world, summary=str(published.pk))
    client = client_for(analyst)
    for route, _pattern in routes():
        params = params_of(route)
        path = concrete(route, {p: values[target(route, p)] for p in params})
        response = client.get(path)
        body = _body(response)
        assert world["register_no"] not in body and world["victim_code"] not in body, path
        assert PERPETRATOR not in body and NIK not in body and NAME not in body, path
        if route in ANALYST_ROUTES:
            assert response.status_code == 200, (path, response.status_code)
            continue
        assert response.status_code in (403, 404, 405), (path, response.status_code)
        if route.startswith("api/"):
            assert "count" not in response.json() and "results" not in response.json(), path


# --- The admin's history pages ----------------------------------------------------------


def _history_urls(model, obj) -> list[str]:
    meta = model._meta
    urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])]
    version = obj.history.order_by("history_date").first()
    if version is not None:
        urls.append(
            reverse(
                f"admin:{meta.app_label}_{meta.model_name}_simple_history",
                args=[obj.pk, version.history_id],
            )
        )
    return urls


def _admin_objects_of_the_world(world) -> list:
    """One object of every model whose admin keeps a history, from the world's case."""
    from django.contrib import admin as admin_site
    from simple_history.admin import SimpleHistoryAdmin

    found = []
    for model, model_admin in admin_site.site._registry.items():
        if not isinstance(model_admin, SimpleHistoryAdmin):
            continue
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            found.append((model, obj))
    return found


def test_the_admin_history_pages_are_404_for_staff_outside_the_scope(world, outsider):
    """Every history list and history form of case data (#13.3): a staff user of another
    regency with every view and change permission gets 404, and a POST changes nothing."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    outsider.is_staff = True
    outsider.save()
    outsider.user_permissions.set(Permission.objects.filter(codename__regex=r"^(view|change)_"))
    client = Client()
    client.force_login(outsider)
    objects = _admin_objects_of_the_world(world)
    assert {m._meta.model_name for m, _o in objects} >= {"case", "victim", "perpetrator"}
    for model, obj in objects:
        for url in _history_urls(model, obj):
            assert client.get(url).status_code == 404, url
            before = model._default_manager.filter(pk=obj.pk).values().get()
            assert client.post(url, {"sex": "L", "summary": "x"}).status_code in (403, 404, 405)
            assert model._default_manager.filter(pk=obj.pk).values().get() == before, url


@pytest.mark.parametrize("state", ENDED_STATES)
def test_a_referred_agency_reads_no_admin_history_after_the_referral(
    world, unit_bjm, receiver, state
):
    from django.contrib.auth.models import Permission
    from django.test import Client

    referred_world(world, unit_bjm, receiver, state)
    receiver.is_staff = True
    receiver.save()
    receiver.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client = Client()
    client.force_login(receiver)
    for model, obj in _admin_objects_of_the_world(world):
        for url in _history_urls(model, obj):
            assert client.get(url).status_code == 404, (state, url)
