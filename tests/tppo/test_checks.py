from django.core.checks import run_checks


def _ids(settings, **caches) -> list[str]:
    settings.DEBUG = False
    settings.CACHES = {"default": caches}
    return [m.id for m in run_checks(include_deployment_checks=True, tags=["caches"])]


def test_production_without_a_shared_cache_is_flagged(settings):
    assert "tppo.W001" in _ids(settings, BACKEND="django.core.cache.backends.locmem.LocMemCache")


def test_production_with_redis_is_not_flagged(settings):
    ids = _ids(settings, BACKEND="core.cache.FailOpenRedisCache", LOCATION="redis://x:6379/1")
    assert "tppo.W001" not in ids
