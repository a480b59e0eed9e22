"""Deployment checks of the project's own, run by `manage.py check --deploy`."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Several gunicorn workers need one cache: the dashboard figures are invalidated and
    the API throttles counted in it, and a per-process memory cache would show each worker
    its own, stale for up to the cache timeout."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or "locmem" not in backend.lower():
        return []
    return [
        Warning(
            "CACHE_URL is not set: each web process caches in its own memory.",
            hint="Set CACHE_URL to the Redis cache (e.g. redis://redis:6379/1).",
            id="tppo.W001",
        )
    ]
