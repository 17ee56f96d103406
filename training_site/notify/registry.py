"""What the apps tell the notification service: kinds, mobiles, scopes.

The shell imports no app, so each app registers here from its
`AppConfig.ready` (its `notices.py`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Expression, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise

from training_site.notify.models import Channel


@dataclass(frozen=True)
class Kind:
    """A kind of notice and its text per channel, as translatable formats.

    `subject` and `body` are the inbox's (and the email's); `sms` is the text
    message, kept short. Each is formatted with the notice's context
    (`%(title)s`). `channels` are those it may go out on besides the inbox:
    a registration's confirmation is not worth a text message, a
    cancellation is.
    """

    name: str
    label: Promise | str
    subject: Promise | str
    body: Promise | str
    sms: Promise | str = ""
    channels: tuple[str, ...] = (Channel.SMS, Channel.EMAIL)

    def render(self, context: dict) -> dict[str, str]:
        """The texts in the active language."""
        values = _Lenient(context)
        return {
            "subject": (str(self.subject) % values)[:200],
            "body": str(self.body) % values,
            "sms": (str(self.sms) % values) if self.sms else "",
        }


class _Lenient(dict):
    """A missing key renders empty instead of failing the caller's action."""

    def __missing__(self, key):
        return ""


_kinds: dict[str, Kind] = {}
_mobiles: list[tuple[type, str, str]] = []
_scopes: list[Callable] = []


def register_kind(kind: Kind) -> Kind:
    _kinds[kind.name] = kind
    return kind


def get_kind(name: str) -> Kind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No notice kind {name!r} is registered.") from None


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def register_mobiles(model, *, user: str = "user", mobile: str = "mobile") -> None:
    """Mobiles are `model.<mobile>` of the row whose `<user>` is the person.

    Declared rather than looked up, so `notify()` reads them in the same
    statement that writes the deliveries, however many people it tells.
    """
    _mobiles.append((model, user, mobile))


def mobile_of(user_ref) -> Expression:
    """The mobile of the user `user_ref` (an `OuterRef`), or NULL: the first
    registered source that has a non-empty one."""
    found = [
        Subquery(
            model._default_manager.filter(**{user: user_ref})
            .exclude(**{mobile: ""})
            .values(mobile)[:1]
        )
        for model, user, mobile in _mobiles
    ]
    if not found:
        return Value(None, output_field=CharField())
    return found[0] if len(found) == 1 else Coalesce(*found)


def register_recipient_scope(scope: Callable) -> None:
    """`scope(user) -> QuerySet of users | None`: whose deliveries `user` may
    see in the delivery log; None means everyone's. The first non-None wins
    if several apps answer; with none registered only superusers see any."""
    _scopes.append(scope)


def visible_recipients(user) -> QuerySet | None:
    """None: all; else a queryset of users whose notices `user` may see."""
    if user.is_superuser:
        return None
    answers = [scope(user) for scope in _scopes]
    if any(answer is None for answer in answers) and answers:
        return None
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.none()
    for answer in answers:
        users = users | answer
    return users


__all__ = [
    "Kind",
    "get_kind",
    "kinds",
    "mobile_of",
    "register_kind",
    "register_mobiles",
    "register_recipient_scope",
    "visible_recipients",
]
