"""Sending deliveries: claimed once, sent once, retried, never lost.

A worker claims deliveries with one conditional UPDATE (still pending, due,
and not held by a live claim): two workers running the same batch each get
the rows the other did not, on SQLite and PostgreSQL alike, without a lock
held while the gateway answers. The claim is a lease (`NOTIFY_LEASE_SECONDS`):
a worker killed mid-batch leaves its deliveries pending, and once the lease
runs out the sweep gives them to another. Only the claim's holder records
the result. A failure is retried with back-off up to `NOTIFY_MAX_ATTEMPTS`,
then the delivery is failed for an administrator to see in the delivery log.

The one window left is between the gateway's "sent" and our UPDATE: a
worker killed exactly there sends that message again after the lease. The
SMS gateway is given the delivery's key (`Idempotency-Key`, `out_id`) so a
gateway that deduplicates drops the repeat.
"""

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from training_site.notify import sms
from training_site.notify.models import Channel, Delivery, DeliveryStatus

logger = logging.getLogger(__name__)


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "NOTIFY_LEASE_SECONDS", 300))


def max_attempts() -> int:
    return getattr(settings, "NOTIFY_MAX_ATTEMPTS", 6)


def backoff(attempts: int) -> timedelta:
    """1, 4, 16, 64 minutes…, at most six hours (base `NOTIFY_RETRY_SECONDS`)."""
    base = getattr(settings, "NOTIFY_RETRY_SECONDS", 60)
    return timedelta(seconds=min(base * 4 ** max(attempts - 1, 0), 6 * 60 * 60))


def claim(ids: Iterable[int], now: datetime) -> tuple[str, list[Delivery]]:
    """Take the deliveries among `ids` nobody else holds; an attempt each."""
    token = uuid.uuid4().hex
    taken = (
        Delivery.objects.due(now)
        .filter(pk__in=list(ids))
        .update(
            claim=token,
            claimed_until=now + lease(),
            attempts=F("attempts") + 1,
        )
    )
    if not taken:
        return token, []
    claimed = list(
        Delivery.objects.filter(claim=token).select_related("notice").order_by("pk")
    )
    return token, claimed


def deliver(ids: Iterable[int], *, now: datetime | None = None) -> dict[str, int]:
    """Send what can be claimed among `ids`; returns counts by outcome."""
    token, claimed = claim(ids, now or timezone.now())
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not claimed:
        return counts
    mail = None
    gateway = None
    retries: list[tuple[int, datetime]] = []
    try:
        for delivery in claimed:
            try:
                if delivery.channel == Channel.SMS:
                    gateway = gateway or sms.backend()
                    answer = gateway.send(_text_message(delivery))
                else:
                    if mail is None:
                        mail = get_connection(fail_silently=False)
                        mail.open()
                    _email(delivery, mail).send()
                    answer = "accepted by the mail server"
            except Exception as error:  # any failure is the delivery's, not ours
                logger.exception(
                    "Delivery %s (%s to %s) failed",
                    delivery.pk,
                    delivery.channel,
                    delivery.address,
                )
                outcome = _failed(delivery, token, error)
                counts[outcome] += 1
                if outcome == "retry":
                    retries.append((delivery.pk, _retry_at(delivery)))
                if delivery.channel == Channel.EMAIL and mail is not None:
                    # A broken connection is not reused for the next message.
                    _close(mail)
                    mail = None
            else:
                Delivery.objects.filter(pk=delivery.pk, claim=token).update(
                    status=DeliveryStatus.SENT,
                    sent_at=timezone.now(),
                    last_error=str(answer)[:1000],
                    claim="",
                    claimed_until=None,
                )
                counts["sent"] += 1
    finally:
        if mail is not None:
            _close(mail)
    if retries:
        from training_site.notify.tasks import schedule

        schedule(retries)
    return counts


def _retry_at(delivery: Delivery) -> datetime:
    return timezone.now() + backoff(delivery.attempts)


def _failed(delivery: Delivery, token: str, error: Exception) -> str:
    answer = f"{type(error).__name__}: {error}"[:1000]
    if delivery.attempts >= max_attempts():
        Delivery.objects.filter(pk=delivery.pk, claim=token).update(
            status=DeliveryStatus.FAILED,
            last_error=answer,
            claim="",
            claimed_until=None,
        )
        return "failed"
    Delivery.objects.filter(pk=delivery.pk, claim=token).update(
        next_attempt_at=_retry_at(delivery),
        last_error=answer,
        claim="",
        claimed_until=None,
    )
    return "retry"


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:
        logger.warning("Closing the mail connection failed", exc_info=True)


def _text_message(delivery: Delivery) -> sms.TextMessage:
    notice = delivery.notice
    return sms.TextMessage(
        mobile=delivery.address,
        text=delivery.text or notice.subject,
        template=notice.kind,
        params=notice.context,
        key=f"delivery-{delivery.pk}",
    )


def _email(delivery: Delivery, connection) -> EmailMessage:
    notice = delivery.notice
    body = notice.body
    if notice.link:
        base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
        body = f"{body}\n\n{base}{notice.link}"
    return EmailMessage(
        subject=notice.subject,
        body=body,
        to=[delivery.address],
        connection=connection,
        headers={"X-Notice-Kind": notice.kind},
    )


def due_ids(now: datetime | None = None) -> list[int]:
    """Deliveries that are due and held by nobody: what the sweep hands out."""
    now = now or timezone.now()
    return list(Delivery.objects.due(now).order_by("pk").values_list("pk", flat=True))
