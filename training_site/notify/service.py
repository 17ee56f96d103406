"""`notify()`: record notices with the caller's change; send them after it."""

import logging
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from training_site.notify import registry
from training_site.notify.models import (
    Channel,
    Delivery,
    Notice,
    NotificationPreference,
)

logger = logging.getLogger(__name__)


def quiet_until(now: datetime) -> datetime | None:
    """When the quiet hours (`NOTIFY_QUIET_HOURS`, 22 to 8 o'clock in the
    site's time zone) end, if `now` is in them; else None."""
    hours = getattr(settings, "NOTIFY_QUIET_HOURS", None)
    if not hours:
        return None
    start, end = time(hours[0]), time(hours[1])
    local = timezone.localtime(now)
    if end <= local.time() < start:
        return None
    day = local.date() if local.time() < end else local.date() + timedelta(1)
    return timezone.make_aware(datetime.combine(day, end))


def _languages(user_ids: list[int]) -> dict[int, str]:
    """Each recipient's language: his admin preference, else the site's."""
    from wagtail.users.models import UserProfile

    chosen = dict(
        UserProfile.objects.filter(user_id__in=user_ids)
        .exclude(preferred_language="")
        .values_list("user_id", "preferred_language")
    )
    known = {code for code, _name in settings.LANGUAGES}
    return {
        user_id: chosen[user_id] if chosen.get(user_id) in known else None
        for user_id in user_ids
    }


def notify(
    recipients: Iterable,
    kind: str,
    context: dict,
    *,
    link: str = "",
    urgent: bool = False,
    once_key: str = "",
    now: datetime | None = None,
) -> list[Notice]:
    """Tell each recipient: an in-app message now, SMS and email after commit.

    Call it inside the transaction of the change it tells about: if that
    rolls back, nobody is told. `context` holds the values the kind's texts
    name (strings). `urgent` lets a text message through the quiet hours
    (22:00–08:00). With `once_key`, someone who already had a notice with
    that key is not told again (a reminder, an evaluation waiting).
    Users are given as instances or ids; inactive accounts are skipped.
    """
    spec = registry.get_kind(kind)
    now = now or timezone.now()
    ids = {getattr(r, "pk", r) for r in recipients}
    users = get_user_model().objects.filter(pk__in=ids, is_active=True)
    emails = dict(users.values_list("pk", "email"))
    if once_key and emails:
        told = set(
            Notice.objects.filter(
                recipient_id__in=list(emails), once_key=once_key
            ).values_list("recipient_id", flat=True)
        )
        emails = {pk: email for pk, email in emails.items() if pk not in told}
    if not emails:
        return []
    user_ids = sorted(emails)
    languages = _languages(user_ids)
    texts: dict[str | None, dict[str, str]] = {}
    for language in set(languages.values()):
        with translation.override(language or settings.LANGUAGE_CODE):
            texts[language] = spec.render(context)
    notices = Notice.objects.bulk_create(
        Notice(
            recipient_id=user_id,
            kind=kind,
            subject=texts[languages[user_id]]["subject"],
            body=texts[languages[user_id]]["body"],
            link=link,
            context={key: str(value) for key, value in context.items()},
            once_key=once_key,
            urgent=urgent,
            created_at=now,
        )
        for user_id in user_ids
    )
    sms_texts = {n.pk: texts[languages[n.recipient_id]]["sms"] for n in notices}
    deliveries = _deliveries(spec, notices, emails, sms_texts, now, urgent)
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        transaction.on_commit(lambda: enqueue(deliveries))
    return notices


def _deliveries(spec, notices, emails, sms_texts, now, urgent) -> list[Delivery]:
    user_ids = [n.recipient_id for n in notices]
    chosen = {
        row["user_id"]: row
        for row in NotificationPreference.objects.filter(user_id__in=user_ids).values(
            "user_id", "sms", "email"
        )
    }
    wants_sms = Channel.SMS in spec.channels and spec.sms
    mobiles = registry.mobiles(user_ids) if wants_sms else {}
    sms_at = now if urgent else (quiet_until(now) or now)
    rows = []
    for notice in notices:
        pref = chosen.get(notice.recipient_id, {"sms": True, "email": True})
        mobile = mobiles.get(notice.recipient_id)
        if wants_sms and mobile and pref["sms"]:
            rows.append(
                Delivery(
                    notice=notice,
                    channel=Channel.SMS,
                    address=mobile,
                    text=sms_texts[notice.pk],
                    next_attempt_at=sms_at,
                )
            )
        email = emails.get(notice.recipient_id)
        if Channel.EMAIL in spec.channels and email and pref["email"]:
            rows.append(
                Delivery(
                    notice=notice,
                    channel=Channel.EMAIL,
                    address=email,
                    next_attempt_at=now,
                )
            )
    return rows


def enqueue(deliveries: Iterable[Delivery]) -> None:
    """Hand deliveries to the background in batches; never fail the caller.

    If the queue cannot take them, they stay pending and the sweep
    (`manage.py notify_sweep`, also run as the worker starts) finds them.
    """
    from training_site.notify.tasks import schedule

    try:
        schedule([(d.pk, d.next_attempt_at) for d in deliveries])
    except Exception:
        logger.exception("Could not enqueue deliveries; the sweep will.")
