"""Deployment checks of the project's own, run by `manage.py check --deploy`."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.database)
def identities_readable(app_configs, databases=None, **kwargs):
    """With the database (`manage.py check --database default`, part of every deploy): the identities
    decrypt with the keys this process holds. A restore under the wrong key, or a key
    removed too early, shows here instead of as errors on the first identity read."""
    if not databases:
        return []
    from django.db import connection

    from victims.models import VictimIdentity
    from victims.services import identities_verify

    if VictimIdentity._meta.db_table not in connection.introspection.table_names():
        return []  # before the first migrate: no identities to check yet
    checked, failing = identities_verify(newest_only=False, limit=200)
    if not failing:
        return []
    return [
        Error(
            f"{failing} of {checked} sampled identities do not decrypt with FIELD_ENCRYPTION_KEYS.",
            hint="Restore the key list that was in use when the data was written.",
            id="tppo.E001",
        )
    ]
