"""A Redis cache that fails open: when Redis is down, the site keeps working without it.

Nothing in this system keeps state only in the cache (sessions and the sign-in lockout live
in the database): the cache holds API throttle counters, the dashboard's aggregates and
such. Losing it for a while costs nothing, whereas Django's RedisCache raises on every call
and turns each page and API request into a 500. So errors are logged and read as misses;
writes become no-ops.

After a failure the cache is left alone for `RETRY_AFTER` seconds, so a Redis that hangs
instead of refusing costs one short timeout per process every few seconds, not one per call.

Cached values that must follow the database (the dashboard's) are keyed by a `Generation`
that writes replace. A replacement lost while Redis was unreachable would let old entries
come back with Redis, so a process that saw an outage starts new generations before its
first call once Redis answers again.
"""

from __future__ import annotations

import logging
import secrets
import time
from functools import wraps

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds to wait for Redis: the cache is an optimisation, never worth a slow page.
SOCKET_TIMEOUT = 0.5
RETRY_AFTER = 5.0

# Per process and location, from an outage until Redis answers again: when the cache may
# next be tried (monotonic seconds).
_down_until: dict[str, float] = {}


def _fail_open(miss):
    """Run the Redis call unless the cache is known to be down; on a Redis error log it,
    remember the outage and return `miss(*args)` instead."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            down_until = _down_until.get(self._location)
            if down_until is not None and down_until > time.monotonic():
                return miss(*args, **kwargs)
            try:
                if down_until is not None:
                    self._recover()
                    _down_until.pop(self._location, None)
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                _down_until[self._location] = time.monotonic() + RETRY_AFTER
                # The error class only: keys and values may name records.
                logger.warning(
                    "Cache unavailable (%s in %s); carrying on without it for %.0f s",
                    type(exc).__name__,
                    method.__name__,
                    RETRY_AFTER,
                )
                return miss(*args, **kwargs)

        return wrapper

    return decorate


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _default(key, default=None, version=None):
    return default


def _no_keys(*args, **kwargs):
    return {}


def _none_stored(data, *args, **kwargs):
    return list(data)  # set_many returns the keys it could not store


def _missing(key, *args, **kwargs):
    # What Django's caches raise for incr/decr of a key they do not hold.
    raise ValueError(f"Key '{key}' not found")


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": SOCKET_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = ",".join(self._servers)

    def _recover(self) -> None:
        """After an outage: new generations, as writes made meanwhile could not replace them."""
        for key in _generations:
            RedisCache.set(self, key, _new_token(), None)

    @_fail_open(_false)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_fail_open(_default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_fail_open(_none)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_fail_open(_false)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_fail_open(_false)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_fail_open(_no_keys)
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_fail_open(_false)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_fail_open(_missing)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_fail_open(_none_stored)
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_fail_open(_none)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_fail_open(_false)
    def clear(self):
        return super().clear()


# --- Generations -------------------------------------------------------------------------

# The keys of every generation, for `FailOpenRedisCache._recover`.
_generations: set[str] = set()


def _new_token() -> str:
    return secrets.token_hex(8)


class Generation:
    """The current version of a family of cached values, made part of their keys: replacing
    it makes every entry of the family unreachable at once (they expire on their own).

    A new random token, never a counter: a token lost to eviction or a flush is replaced by
    one that no old entry was made under."""

    def __init__(self, name: str):
        self.key = f"generation:{name}"
        _generations.add(self.key)

    def current(self) -> str:
        token = cache.get(self.key)
        if token is None:
            token = _new_token()
            if not cache.add(self.key, token, None):  # another process was first
                token = cache.get(self.key) or token
        return token

    def bump(self) -> None:
        cache.set(self.key, _new_token(), None)
