"""Redis is down: pages and the API keep working without the cache, and /healthz says so."""

import logging
import time

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1
API_LISTS = ["/api/v1/summaries/", "/api/v1/regencies/", "/api/v1/cases/"]


@pytest.fixture
def redis_down(settings, monkeypatch):
    """Redis is down: the cache and the broker point at a closed port."""
    # Each test starts before any outage was noticed.
    monkeypatch.setattr("core.cache._down_until", {})
    # Changing CACHES makes Django drop its cache connections (test signal).
    settings.CACHES = {"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": DEAD}}
    settings.CELERY_BROKER_URL = DEAD


@pytest.mark.parametrize("url", ["/", "/kasus/", "/korban/", "/laporan/"])
def test_pages_answer_with_redis_down(redis_down, unit_bjm, url):
    assert client_for(unit_bjm).get(url).status_code == 200


@pytest.mark.parametrize("url", API_LISTS)
def test_the_api_answers_with_redis_down(redis_down, unit_bjm, url):
    # The throttle reads and writes its counters in the cache on every API request.
    response = client_for(unit_bjm).get(url)
    assert response.status_code == 200
    assert "results" in response.json()


def test_signing_in_works_with_redis_down(redis_down, unit_bjm, client):
    from tests.factories import PASSWORD

    response = client.post("/masuk/", {"username": unit_bjm.username, "password": PASSWORD})
    assert response.status_code == 302


def test_without_the_fail_open_cache_a_dead_redis_breaks_the_api(settings, unit_bjm):
    """What the fail-open backend prevents: Django's own RedisCache raises on every call."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD}
    }
    client = client_for(unit_bjm)
    client.raise_request_exception = False
    assert client.get("/api/v1/summaries/").status_code == 500


def test_the_outage_is_logged_once_without_keys_and_then_skipped(redis_down, caplog):
    from django.core.cache import cache

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        started = time.monotonic()
        cache.set("throttle_user_42", [1, 2, 3])
        assert cache.get("throttle_user_42", "miss") == "miss"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.add("a", 1) is False
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        with pytest.raises(ValueError, match="a"):
            cache.incr("a")
        assert time.monotonic() - started < 2
    warnings = [r for r in caplog.records if r.name == "core.cache"]
    # One warning for the outage; the calls after it do not knock on Redis again.
    assert len(warnings) == 1
    assert "throttle_user_42" not in warnings[0].getMessage()


def test_healthz_reports_the_cache_down_and_still_answers(redis_down, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "error",
        "broker": "error",
        "identities": "none stored",
    }


def test_the_fail_open_cache_works_when_redis_is_up(settings):
    """Not only a null cache: with Redis up it stores and reads (skipped without Redis)."""
    import redis

    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": url}}
    from django.core.cache import cache

    cache.set("fault-test", {"n": 1}, 30)
    assert cache.get("fault-test") == {"n": 1}
    cache.delete("fault-test-n")
    assert cache.add("fault-test-n", 1, 30)
    assert cache.incr("fault-test-n") == 2
    cache.delete_many(["fault-test", "fault-test-n"])
