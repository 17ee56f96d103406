"""The shared Redis cache, which a Redis that is down never fails.

With `REDIS_URL` the `default` and `pages` caches are `ResilientRedisCache`:
Django's Redis backend whose reads answer a miss and whose writes are
skipped when Redis does not answer (refused, timed out, out of memory,
read-only), so every page renders from the database as if nothing were
cached — ours (page_cache.py, site_cache.py, routing.py, personal_pages.py)
and Wagtail's own (the sites' root paths, renditions, locale names) alike.

- **Fast when down.** The connection has short timeouts (settings:
  `REDIS_CONNECT_TIMEOUT`, `REDIS_SOCKET_TIMEOUT`), and after a failure the
  process leaves Redis alone for `REDIS_RETRY_SECONDS` (every call a miss
  at once): one request per process pays a timeout every few seconds, not
  every request several.
- **Quiet.** One WARNING when a process finds Redis failing, one INFO when it
  answers again; nothing per request in between.
- **Writes that must not be lost** (the page cache's invalidations) run
  within `strict()`: there a failure raises (`CacheUnavailable` while the
  process leaves Redis alone), and the caller records what it could not
  write (invalidations.py).
- **Recovery.** The first call after a failure (and a process's first call
  at all) sends `cache_recovered` before anything is read: the page cache
  applies the invalidations that are still pending, so no copy they
  replace is served again. Other threads of the process get misses until
  that is done.
"""

import logging
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: Sent (sender: the cache class, cache: the cache) before the first call
#: after a failure, and before a process's first call, goes to Redis; a
#: receiver that raises a RedisError leaves the cache counted as failing.
cache_recovered = Signal()


class CacheUnavailable(RedisError):
    """Within `strict()`: the process leaves the cache alone for now."""


_strict: ContextVar[bool] = ContextVar("strict_cache", default=False)


@contextmanager
def strict():
    """Within: a cache that fails raises instead of answering a miss."""
    token = _strict.set(True)
    try:
        yield
    finally:
        _strict.reset(token)


class _Health:
    """What one process knows of one Redis server (shared by its threads and
    by every cache alias on that server)."""

    def __init__(self):
        self.lock = threading.Lock()
        # A process starts as after a failure: pending invalidations are
        # applied before its first read (another process may have recorded
        # them while this one was not running).
        self.failing = True
        self.announced = False  # the WARNING of this failure burst was logged
        self.resting_until = 0.0
        self.recovering: int | None = None  # the thread running the receivers
        self.last_error = ""

    def state(self) -> str:
        """ "ok", "rest" (answer a miss), "recover" (this thread is to send
        `cache_recovered`) or "try" (call Redis)."""
        me = threading.get_ident()
        with self.lock:
            if not self.failing:
                return "ok"
            if self.recovering is not None:
                return "try" if self.recovering == me else "rest"
            if time.monotonic() < self.resting_until:
                return "rest"
            self.recovering = me
            return "recover"

    def failed(self, error: Exception, location) -> None:
        with self.lock:
            self.failing = True
            self.resting_until = time.monotonic() + _retry_seconds()
            self.last_error = f"{type(error).__name__}: {error}"
            announce = not self.announced
            self.announced = True
        if announce:
            logger.warning(
                "Cache %s is failing (%s): pages are rendered without it, "
                "writes skipped; trying again every %s s.",
                location,
                self.last_error,
                _retry_seconds(),
            )

    def recovered(self, location) -> None:
        with self.lock:
            was_announced = self.announced
            self.failing = False
            self.announced = False
            self.recovering = None
        if was_announced:
            logger.info("Cache %s answers again.", location)

    def release(self) -> None:
        with self.lock:
            self.recovering = None


_health: dict[tuple, _Health] = {}
_health_lock = threading.Lock()


def _health_of(servers) -> _Health:
    key = tuple(servers)
    with _health_lock:
        return _health.setdefault(key, _Health())


def _retry_seconds() -> float:
    return getattr(settings, "REDIS_RETRY_SECONDS", 5)


class ResilientRedisCache(RedisCache):
    """Django's Redis cache; a failing Redis is a miss (see the module doc)."""

    @property
    def _health(self) -> _Health:
        return _health_of(self._servers)

    def _guarded(self, fallback, call):
        health = self._health
        state = health.state()
        if state == "rest":
            if _strict.get():
                raise CacheUnavailable(health.last_error or "recovering")
            return fallback
        try:
            if state == "recover":
                # Before anything is read: what was not forgotten is now.
                cache_recovered.send(sender=self.__class__, cache=self)
            result = call()
            if state == "recover":
                health.recovered(self._servers)
            return result
        except RedisError as error:
            health.failed(error, self._servers)
            if _strict.get():
                raise
            return fallback
        finally:
            if state == "recover":
                health.release()  # whatever happened, the others may go on

    def get(self, key, default=None, version=None):
        return self._guarded(default, lambda: _base.get(self, key, default, version))

    def get_many(self, keys, version=None):
        return self._guarded({}, lambda: _base.get_many(self, keys, version))

    def has_key(self, key, version=None):
        return self._guarded(False, lambda: _base.has_key(self, key, version))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Not added: whoever relies on it (a refresh claim) holds back.
        return self._guarded(
            False, lambda: _base.add(self, key, value, timeout, version)
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(None, lambda: _base.set(self, key, value, timeout, version))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # What could not be set, as Django's backends answer.
        return self._guarded(
            list(data), lambda: _base.set_many(self, data, timeout, version)
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, lambda: _base.touch(self, key, timeout, version))

    def delete(self, key, version=None):
        return self._guarded(False, lambda: _base.delete(self, key, version))

    def delete_many(self, keys, version=None):
        self._guarded(None, lambda: _base.delete_many(self, keys, version))


_base = RedisCache
