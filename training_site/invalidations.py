"""Page-cache invalidations the cache did not take, kept until it does.

A publish, move or edit replaces generations in the shared cache once it
commits (page_cache.py). If the cache does not answer then, the change
stays committed and the request succeeds; what was to be written is
recorded here (`PendingInvalidation`, in the database) and written again:

- by the `notify` worker, a few seconds later (`retry_invalidations`,
  deferred by `REDIS_RETRY_SECONDS`) and on every sweep (`sweep`, at its
  start and every `NOTIFY_SWEEP_SECONDS`; `manage.py notify_sweep` from cron
  with the RQ queue) — until it is written;
- by any web process, before it reads anything from a cache that answers
  again (caching.py's `cache_recovered`), and by every process before its
  first read: so copies the change replaces are not served in between.

Applying is idempotent (new random generations), so two processes applying
the same row only render a page once more. Administrators see the rows in
the admin (Reports → Cache invalidations, `admin_views.py`).
"""

import logging
from contextvars import ContextVar
from datetime import timedelta
from hashlib import md5

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task
from redis.exceptions import RedisError

from training_site import page_cache
from training_site.caching import cache_recovered, strict
from training_site.models import PendingInvalidation

logger = logging.getLogger(__name__)

BACKEND = "notify"
#: Applied rows are kept this long for the report, then deleted by the sweep.
KEPT_DAYS = 30
#: At most this many rows are applied at once (one cache write).
BATCH = 100

_applying: ContextVar[bool] = ContextVar("applying_invalidations", default=False)


def record(keys, error: Exception) -> None:
    """The cache did not take new generations for `keys`: keep them to write
    later. Never raises (it runs after the user's change committed)."""
    logger.warning(
        "Page cache invalidation of %d key(s) not written (%s); kept to retry.",
        len(keys),
        error,
    )
    keys = sorted(keys)
    digest = md5("\n".join(keys).encode(), usedforsecurity=False).hexdigest()
    now, text = timezone.now(), _error_text(error)
    try:
        # The same keys still pending: one more attempt of that row. Its
        # count changes, so a sweep that read it before cannot mark it
        # applied with a write older than this change (`apply_pending`).
        again = PendingInvalidation.objects.filter(
            digest=digest, applied_at__isnull=True
        ).update(attempts=F("attempts") + 1, last_attempt_at=now, last_error=text)
        if again:
            return  # its retry is queued already
        PendingInvalidation.objects.create(
            keys=keys, digest=digest, last_attempt_at=now, last_error=text
        )
    except DatabaseError:
        logger.exception("Page cache invalidation could not be recorded either.")
        return
    _schedule_retry()


def _schedule_retry() -> None:
    backend = retry_invalidations.get_backend()
    if not backend.supports_defer:  # the in-process backend of tests: the sweep
        return
    delay = timedelta(seconds=getattr(settings, "REDIS_RETRY_SECONDS", 5))
    try:
        retry_invalidations.using(run_after=timezone.now() + delay).enqueue()
    except (RedisError, DatabaseError):  # the queue in that Redis: the sweep
        logger.warning("Cache invalidation retry not queued; the sweep will run it.")


def apply_pending(*, count_failure: bool = True) -> int:
    """Write the pending invalidations (oldest first, `BATCH` at a time) and
    mark them applied; raises if the cache still fails, after counting the
    attempt (unless not `count_failure`: a web process's try before it reads,
    every few seconds while the cache is down). Returns how many were
    applied."""
    applied = 0
    token = _applying.set(True)
    try:
        while True:
            rows = list(
                PendingInvalidation.objects.filter(applied_at__isnull=True)
                .order_by("pk")
                .values_list("pk", "attempts", "keys")[:BATCH]
            )
            if not rows:
                return applied
            ids = [pk for pk, _attempts, _keys in rows]
            keys = {key for *_row, row_keys in rows for key in row_keys}
            now = timezone.now()
            try:
                with strict():
                    page_cache.write_generations(keys)
            except (RedisError, DatabaseError) as error:
                if not count_failure:
                    raise
                PendingInvalidation.objects.filter(pk__in=ids).update(
                    attempts=F("attempts") + 1,
                    last_attempt_at=now,
                    last_error=_error_text(error),
                )
                raise
            # Only the rows as read: one that failed again meanwhile (its
            # attempts moved) or was recorded since waits for the next round.
            as_read = Q()
            for pk, attempts, _keys in rows:
                as_read |= Q(pk=pk, attempts=attempts)
            done = PendingInvalidation.objects.filter(
                as_read, applied_at__isnull=True
            ).update(applied_at=now, attempts=F("attempts") + 1, last_attempt_at=now)
            applied += done
            logger.info("Applied %d pending page cache invalidation(s).", done)
            if done < len(rows):
                continue  # the rows that moved are read again
    finally:
        _applying.reset(token)


def sweep() -> int:
    """The worker's periodic retry: apply what is pending, forget rows
    applied long ago. Never raises; returns how many were applied."""
    try:
        applied = apply_pending()
    except (RedisError, DatabaseError) as error:
        logger.warning("Pending cache invalidations still not written (%s).", error)
        applied = 0
    PendingInvalidation.objects.filter(
        applied_at__lt=timezone.now() - timedelta(days=KEPT_DAYS)
    ).delete()
    return applied


@task(backend=BACKEND)
def retry_invalidations() -> int:
    """One retry soon after a failure; the sweep keeps trying after it."""
    return sweep()


@receiver(cache_recovered)
def apply_before_reading(sender, cache, **kwargs):
    """Before a process reads from a cache that answers again: what it
    failed to forget is forgotten first (raises if the cache fails still)."""
    if _applying.get():  # a sweep's own writes: it applies them itself
        return
    try:
        # A savepoint: it may run inside the caller's transaction (a publish
        # reading Wagtail's cached root paths), on PostgreSQL too.
        with transaction.atomic():
            if PendingInvalidation.objects.filter(applied_at__isnull=True).exists():
                apply_pending(count_failure=False)
    except DatabaseError:
        # No table yet (`migrate` saving pages) or no database: nothing this
        # process can apply; the worker will.
        logger.info("Pending cache invalidations not checked.", exc_info=True)


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]
