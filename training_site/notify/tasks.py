"""The background side: tasks on the `notify` backend (django-tasks).

`make run` starts its worker (`manage.py db_worker --backend notify`);
production runs it as a service of its own. Deliveries are handed out in
batches of `BATCH`, so several workers share a large notice.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django_tasks import task

from training_site.notify import sending

logger = logging.getLogger(__name__)

BACKEND = "notify"
BATCH = 50


@task(backend=BACKEND)
def deliver(delivery_ids: list[int]) -> dict:
    return sending.deliver(delivery_ids)


@task(backend=BACKEND)
def hand_out(batch: str) -> int:
    """Share out the deliveries of one `notify()` call (however many) in
    batches, so several workers send them; what is not due yet is deferred."""
    from training_site.notify.models import Delivery, DeliveryStatus

    pairs = Delivery.objects.filter(
        notice__batch=batch, status=DeliveryStatus.PENDING
    ).values_list("pk", "next_attempt_at")
    return schedule(pairs.order_by("pk").iterator())


def schedule(pairs: Iterable[tuple[int, datetime]]) -> int:
    """Enqueue `(delivery id, when)` pairs: due ones now, the rest deferred.

    A backend that cannot defer (the in-process one of tests) leaves future
    ones to the sweep. Returns how many tasks were enqueued.
    """
    now = timezone.now()
    groups: dict[datetime | None, list[int]] = defaultdict(list)
    for pk, when in pairs:
        groups[None if when <= now else when].append(pk)
    backend = deliver.get_backend()
    enqueued = 0
    for when, ids in groups.items():
        if when is not None and not backend.supports_defer:
            continue
        runner = deliver if when is None else deliver.using(run_after=when)
        for start in range(0, len(ids), BATCH):
            runner.enqueue(ids[start : start + BATCH])
            enqueued += 1
    return enqueued


def sweep(now: datetime | None = None) -> int:
    """Hand out every delivery that is due and unclaimed (its task was lost,
    its worker died, or it waited for the quiet hours to end)."""
    ids = sending.due_ids(now)
    if ids:
        now = timezone.now()
        schedule((pk, now) for pk in ids)
    return len(ids)
