"""The dashboard's cached aggregates: shared per access scope and day, never across scopes,
fresh right after every write that changes them, and optional (Redis down: uncached).

The suite runs each test in a transaction that is rolled back, so the after-commit hooks
are run with `django_capture_on_commit_callbacks(execute=True)`: what a commit does."""

import json
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Regency, Role
from cases import selectors
from cases.models import Case, Involvement
from cases.services import case_add_victim, case_record_stage, case_update, involvement_update
from tests.api.helpers import api_client, case_payload
from tests.conftest import client_for
from tests.factories import UserFactory, make_case, victim_data
from victims.services import service_create, victim_update

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def dashboard(user_or_client):
    client = user_or_client if hasattr(user_or_client, "get") else client_for(user_or_client)
    response = client.get(HOME)
    assert response.status_code == 200
    charts = json.loads(
        response.text.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    )
    return response.context["figures"], charts


def cases_this_year(user) -> int:
    return dashboard(user)[0]["cases"]["year"]


def today_case(by, **fields):
    return make_case(
        by, reported_on=timezone.localdate(), occurred_from=None, occurred_to=None, **fields
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Writes made in `with commit():` are committed, as far as the dashboard can tell."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- Scopes ------------------------------------------------------------------------------


def test_users_share_entries_exactly_when_the_access_rule_gives_them_the_same_cases(personas):
    key = {name: selectors.scope_key(user) for name, user in personas.items()}
    assert key["province"] == key["admin"]  # everything, counted alike
    assert key["analyst"] == "none"  # aggregates only: no case is counted for an analyst
    assert len({key["province"], key["unit_bjm"], key["regency_bjm"], key["outsider"]}) == 4
    colleague = UserFactory(role=Role.UNIT, agency=personas["unit_bjm"].agency)
    assert selectors.scope_key(colleague) == key["unit_bjm"]
    regency_colleague = UserFactory(role=Role.REGENCY, agency=personas["regency_bjm"].agency)
    assert selectors.scope_key(regency_colleague) == key["regency_bjm"]
    inactive = UserFactory(role=Role.PROVINCE, agency=personas["province"].agency, is_active=False)
    assert selectors.scope_key(inactive) == "none"


def test_a_unit_never_gets_figures_cached_for_its_regency(outsider, regency_bjm, unit_bjm):
    # Tanah Bumbu's unit reports a case that happened in Banjarmasin: the Banjarmasin
    # regency office sees it, the Banjarmasin unit does not.
    today_case(outsider, regency="6371")
    assert cases_this_year(regency_bjm) == 1  # now cached for the regency's scope
    assert cases_this_year(unit_bjm) == 0
    assert cases_this_year(outsider) == 1


def test_a_user_moved_to_another_agency_sees_the_new_scope_at_once(unit_bjm, outsider):
    today_case(unit_bjm)
    assert cases_this_year(unit_bjm) == 1
    unit_bjm.agency = outsider.agency
    unit_bjm.save()
    assert cases_this_year(unit_bjm) == 0


# --- Fresh after every write ---------------------------------------------------------------


def test_through_the_services(unit_bjm, outsider, commit):
    assert cases_this_year(unit_bjm) == 0  # cached
    with commit():
        case = today_case(unit_bjm, victims=0, perpetrators=1)
    figures, charts = dashboard(unit_bjm)
    assert figures["cases"] == {"month": 1, "year": 1}
    assert charts["exploitation"]["data"] == [1]

    with commit():
        case_add_victim(
            by=unit_bjm, case=case, **victim_data(age_at_identification=15, age_at_exploitation=15)
        )
    assert dashboard(unit_bjm)[0]["victims"]["girls"]["year"] == 1

    with commit():
        victim_update(
            by=unit_bjm, victim=(v := case.victim_links.get().victim), version=v.version, sex="L"
        )
    figures = dashboard(unit_bjm)[0]
    assert (figures["victims"]["girls"]["year"], figures["victims"]["boys"]["year"]) == (0, 1)

    with commit():
        case = case_update(
            by=unit_bjm, case=case, version=case.version, exploitation_types=["KERJA_PAKSA"]
        )
    assert dashboard(unit_bjm)[1]["exploitation"]["labels"] == ["Kerja paksa"]

    with commit():
        for stage in ["LAPORAN_POLISI", "PENYIDIKAN", "P21", "TAHAP_II", "PENUNTUTAN"]:
            case_record_stage(by=unit_bjm, case=case, stage=stage, occurred_on=timezone.localdate())
    assert dashboard(unit_bjm)[0]["prosecutions"] == {"month": 1, "year": 1}

    with commit():
        involvement_update(
            by=unit_bjm,
            involvement=Involvement.objects.get(),
            version=Involvement.objects.get().version,
            verdict="DIPIDANA",
            verdict_on=timezone.localdate(),
            sentence_months=24,
        )
    assert dashboard(unit_bjm)[0]["convictions"] == {"month": 1, "year": 1}

    # A referral grants the provider the referred victim and service, not the case: its
    # unit does not count the case (it did when a referral made it a handling agency).
    assert cases_this_year(outsider) == 0
    with commit():
        service_create(
            by=unit_bjm,
            victim=case.victim_links.get().victim,
            case=case,
            type="RUMAH_AMAN",
            provider_agency=outsider.agency,
        )
    assert cases_this_year(outsider) == 0
    assert not case.agency_links.exists()

    with commit():
        case = Case.objects.get()
        case_update(
            by=unit_bjm,
            case=case,
            version=case.version,
            reported_on=timezone.localdate() - timedelta(days=400),
        )
    assert cases_this_year(unit_bjm) == 0


def test_through_the_api(unit_bjm, commit):
    assert cases_this_year(unit_bjm) == 0
    payload = case_payload(reported_on=timezone.localdate().isoformat())
    payload.update(occurred_from=None, occurred_to=None)
    with commit():
        response = api_client(unit_bjm).post("/api/v1/cases/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert cases_this_year(unit_bjm) == 1


def test_through_a_page(unit_bjm, commit):
    case = today_case(unit_bjm)
    client = client_for(unit_bjm)
    assert dashboard(client)[0]["prosecutions"]["year"] == 0
    today = timezone.localdate().isoformat()
    with commit():
        for stage in ["LAPORAN_POLISI", "PENYIDIKAN", "P21", "TAHAP_II", "PENUNTUTAN"]:
            response = client.post(
                reverse("cases:stage", args=[case.pk]), {"stage": stage, "occurred_on": today}
            )
            assert response.status_code == 302, stage
    assert dashboard(client)[0]["prosecutions"]["year"] == 1


def test_through_the_admin_edit_rename_and_delete(admin_user, province, commit):
    case = today_case(province)
    admin = client_for(admin_user)
    assert dashboard(admin)[1]["regency"] == {"labels": ["Banjarmasin"], "data": [1]}

    with commit():
        regency = Regency.objects.get(pk="6371")
        response = admin.post(
            reverse("admin:agencies_regency_change", args=[regency.pk]),
            {"code": regency.pk, "name": "Kota Banjarmasin", "kind": regency.kind},
        )
    assert response.status_code == 302
    assert dashboard(admin)[1]["regency"]["labels"] == ["Kota Banjarmasin"]

    # Case data is never deleted (#14.4): the admin refuses, and the case still counts.
    with commit():
        response = admin.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert cases_this_year(province) == 1


def test_lists_that_ask_for_action_are_never_cached(unit_bjm, regency_bjm):
    """Referrals, overdue first aid and the unit returns grid are read on every visit."""
    case = make_case(
        unit_bjm,
        reported_on=timezone.localdate() - timedelta(days=10),
        occurred_from=None,
        occurred_to=None,
    )
    assert dashboard(regency_bjm)[0]["cases"]["year"] >= 0  # warm the cache
    page = client_for(regency_bjm).get(HOME)
    assert page.context["referral_count"] == 0 and page.context["overdue_count"] == 1
    # No commit: whatever is cached, these are read afresh.
    service_create(
        by=unit_bjm,
        victim=case.victim_links.get().victim,
        case=case,
        type="PERTOLONGAN_PERTAMA",
        provider_agency=Agency.objects.get(name="DP3A Kota Banjarmasin"),
    )
    page = client_for(regency_bjm).get(HOME)
    assert page.context["referral_count"] == 1


def test_a_new_generation_only_once_committed(unit_bjm, django_capture_on_commit_callbacks):
    before = selectors.DASHBOARD.current()
    with django_capture_on_commit_callbacks() as callbacks:
        make_case(unit_bjm, victims=2)
        assert selectors.DASHBOARD.current() == before  # not committed yet
    assert callbacks
    for callback in callbacks:
        callback()
    assert selectors.DASHBOARD.current() != before


def test_a_rolled_back_write_changes_nothing_cached(unit_bjm, django_capture_on_commit_callbacks):
    before = selectors.DASHBOARD.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                today_case(unit_bjm)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and selectors.DASHBOARD.current() == before


def test_a_new_day_is_a_new_entry(unit_bjm, monkeypatch):
    first = timezone.localdate().replace(day=1)
    make_case(unit_bjm, reported_on=first, occurred_from=None, occurred_to=None)
    assert dashboard(unit_bjm)[0]["cases"]["month"] == 1
    next_month = (first + timedelta(days=32)).replace(day=1)
    monkeypatch.setattr("reports.dashboard.timezone.localdate", lambda: next_month)
    assert dashboard(unit_bjm)[0]["cases"]["month"] == 0


def test_cached_charts_are_labelled_in_the_reader_s_language(unit_bjm):
    today_case(unit_bjm)
    client = client_for(unit_bjm)
    assert dashboard(client)[1]["funnel"]["labels"][0] == "Kasus dilaporkan"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert dashboard(client)[1]["funnel"]["labels"][0] == "Cases reported"


# --- Cost, and Redis down ----------------------------------------------------------------


def test_a_cached_dashboard_runs_none_of_the_aggregate_queries(unit_bjm):
    today_case(unit_bjm)
    client = client_for(unit_bjm)
    client.get(reverse("password_change"))  # the session's first-request work
    with CaptureQueriesContext(connection) as cold:
        cold_figures = dashboard(client)
    with CaptureQueriesContext(connection) as warm:
        assert dashboard(client) == cold_figures
    # Five for the figures (cases, victims, suspects, prosecutions, convictions) and three
    # for the charts (by regency, by exploitation type, the funnel).
    assert len(cold.captured_queries) - len(warm.captured_queries) == 8


DEAD = "redis://127.0.0.1:1/0"


def test_with_redis_down_the_dashboard_is_computed_every_time(unit_bjm, settings, monkeypatch):
    monkeypatch.setattr("core.cache._down_until", {})
    settings.CACHES = {"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": DEAD}}
    assert cases_this_year(unit_bjm) == 0
    today_case(unit_bjm)  # not even committed: nothing is cached to invalidate
    assert cases_this_year(unit_bjm) == 1


@pytest.fixture
def redis_cache(settings, monkeypatch):
    """The fail-open cache on the real Redis (the CACHE_URL the suite runs with)."""
    import os

    import redis

    url = os.environ.get("CACHE_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("needs Redis (set CACHE_URL)")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("Redis does not answer")
    monkeypatch.setattr("core.cache._down_until", {})
    settings.CACHES = {"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": url}}
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def test_a_write_made_while_redis_was_unreachable_is_not_hidden_afterwards(
    unit_bjm, redis_cache, commit, monkeypatch
):
    from redis.exceptions import ConnectionError as RedisConnectionError

    import core.cache

    assert cases_this_year(unit_bjm) == 0  # cached in Redis
    with monkeypatch.context() as outage:

        def unreachable(*args, **kwargs):
            raise RedisConnectionError("connection refused")

        outage.setattr("django.core.cache.backends.redis.RedisCacheClient.set", unreachable)
        with commit():
            today_case(unit_bjm)  # its new generation is lost with Redis
    assert core.cache._down_until  # the outage was noticed
    # Redis answers again once the retry time has passed.
    for location in core.cache._down_until:
        core.cache._down_until[location] = 0.0
    assert cases_this_year(unit_bjm) == 1
    assert not core.cache._down_until
