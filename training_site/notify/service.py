"""`notify()`: record notices with the caller's change; send them after it."""

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    Exists,
    F,
    JSONField,
    OuterRef,
    QuerySet,
    TextField,
    UUIDField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from training_site.notify import registry
from training_site.notify.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notice,
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


def notify(
    recipients: Iterable | QuerySet,
    kind: str,
    context: dict,
    *,
    link: str = "",
    urgent: bool = False,
    once_key: str = "",
    now: datetime | None = None,
) -> int:
    """Tell each recipient: an in-app message now, SMS and email after commit.

    Call it inside the transaction of the change it tells about: if that
    rolls back, nobody is told. `context` holds the values the kind's texts
    name (strings). `urgent` lets a text message through the quiet hours
    (22:00–08:00). With `once_key`, someone who already had a notice with
    that key is not told again (a reminder, an evaluation waiting).
    Users are given as instances or ids, or as a queryset of user ids (or
    users), which is read inside the statements below; inactive accounts
    are skipped. Returns how many were told.

    The notices and their deliveries are written set-wise, each by one
    INSERT … SELECT from the recipients (joined to their language,
    preferences and mobiles), with the texts rendered once per language and
    passed as parameters: telling 2,000 registrants costs the same few
    queries as telling one. After commit the worker is given one task for
    the lot (`tasks.hand_out`), which splits it in batches for the workers.
    """
    spec = registry.get_kind(kind)
    now = now or timezone.now()
    if not isinstance(recipients, QuerySet):
        recipients = list({getattr(r, "pk", r) for r in recipients})
        if not recipients:
            return 0
    users = get_user_model().objects.filter(pk__in=recipients, is_active=True)
    if once_key:
        users = users.exclude(
            Exists(Notice.objects.filter(recipient=OuterRef("pk"), once_key=once_key))
        )
    texts = _texts(spec, context)
    batch = uuid.uuid4()
    language = "wagtail_userprofile__preferred_language"
    told = _insert(
        Notice,
        users.order_by().annotate(
            _recipient=F("pk"),
            _kind=Value(kind),
            _subject=_by_language(texts, "subject", language, CharField()),
            _body=_by_language(texts, "body", language, TextField()),
            _link=Value(link),
            _context=Value(
                {key: str(value) for key, value in context.items()},
                output_field=JSONField(),
            ),
            _once_key=Value(once_key),
            _urgent=Value(urgent),
            _created_at=Value(now, output_field=DateTimeField()),
            _batch=Value(batch, output_field=UUIDField()),
        ),
        {
            "recipient": "_recipient",
            "kind": "_kind",
            "subject": "_subject",
            "body": "_body",
            "link": "_link",
            "context": "_context",
            "once_key": "_once_key",
            "urgent": "_urgent",
            "created_at": "_created_at",
            "batch": "_batch",
        },
    )
    if told and _insert_deliveries(spec, batch, texts, now, urgent):
        transaction.on_commit(lambda: enqueue(batch), using=users.db)
    return told


def _texts(spec, context: dict) -> dict[str, dict[str, str]]:
    """The kind's texts in each language a recipient may have chosen, and
    (under "") in the site's, for those who chose none or one we lack."""
    texts = {}
    for code in ["", *(code for code, _name in settings.LANGUAGES)]:
        with translation.override(code or settings.LANGUAGE_CODE):
            texts[code] = spec.render(context)
    return texts


def _by_language(texts, key: str, language: str, field) -> Case | Value:
    """`texts[…][key]` in the language at the path `language`, as SQL."""
    default = texts[""][key]
    whens = [
        When(**{language: code}, then=Value(text[key]))
        for code, text in texts.items()
        if code and text[key] != default
    ]
    if not whens:
        return Value(default, output_field=field)
    return Case(*whens, default=Value(default), output_field=field)


def _insert_deliveries(spec, batch, texts, now: datetime, urgent: bool) -> int:
    """A delivery per channel each notice of `batch` goes out on: SMS to a
    mobile, email to an address, unless its recipient turned it off."""
    notices = Notice.objects.filter(batch=batch).order_by()
    columns = {
        "notice": "_notice",
        "channel": "_channel",
        "address": "_address",
        "text": "_text",
        "status": "_status",
        "attempts": "_attempts",
        "next_attempt_at": "_next_attempt_at",
        "claim": "_claim",
        "last_error": "_last_error",
    }

    def rows(channel, address, text, at):
        return notices.annotate(
            _notice=F("pk"),
            _channel=Value(channel.value),
            _address=address,
            _text=text,
            _status=Value(DeliveryStatus.PENDING.value),
            _attempts=Value(0),
            _next_attempt_at=Value(at, output_field=DateTimeField()),
            _claim=Value(""),
            _last_error=Value(""),
            _wanted=Coalesce(
                F(f"recipient__notification_preference__{channel.value}"),
                Value(True),
            ),
        ).filter(_wanted=True, _address__gt="")

    selects = []
    if Channel.SMS in spec.channels and spec.sms:
        selects.append(
            rows(
                Channel.SMS,
                registry.mobile_of(OuterRef("recipient_id")),
                _by_language(
                    texts,
                    "sms",
                    "recipient__wagtail_userprofile__preferred_language",
                    TextField(),
                ),
                now if urgent else (quiet_until(now) or now),
            )
        )
    if Channel.EMAIL in spec.channels:
        selects.append(
            rows(
                Channel.EMAIL,
                F("recipient__email"),
                Value("", output_field=TextField()),
                now,
            )
        )
    if not selects:
        return 0
    select = (
        selects[0] if len(selects) == 1 else selects[0].union(*selects[1:], all=True)
    )
    return _insert(Delivery, select, columns)


def _insert(model, select: QuerySet, columns: dict[str, str]) -> int:
    """INSERT INTO `model` (fields) SELECT the annotations named for them.

    Rows that would break a unique constraint (a `once_key` told meanwhile
    by a concurrent transaction) are skipped, not an error.
    """
    select = select.values_list(*columns.values())
    sql, params = select.query.sql_with_params()
    connection = connections[select.db]
    quote = connection.ops.quote_name
    fields = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({fields}) {sql} "
            "ON CONFLICT DO NOTHING",
            params,
        )
        return cursor.rowcount


def enqueue(batch: uuid.UUID) -> None:
    """Hand a notify() call's deliveries to the background; never fail the
    caller. If the queue cannot take them, they stay pending and the sweep
    (`manage.py notify_sweep`, also run as the worker starts) finds them.
    """
    from training_site.notify.tasks import hand_out

    try:
        hand_out.enqueue(str(batch))
    except Exception:
        logger.exception("Could not enqueue deliveries; the sweep will.")
