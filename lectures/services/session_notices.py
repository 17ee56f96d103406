"""Telling a session's registrants that it is cancelled, postponed or moved."""

from datetime import timedelta

from django.utils import timezone

from lectures.models import Registration, SessionPage, SessionStatus
from lectures.notices import session_context
from training_site.notify.service import notify

URGENT_WITHIN = timedelta(hours=24)


def change_kind(session: SessionPage, before: dict) -> str | None:
    """Which notice a change calls for, if any (a held session calls for none)."""
    if session.status == SessionStatus.CANCELLED:
        changed = before["status"] != SessionStatus.CANCELLED
        return "lectures.session.cancelled" if changed else None
    if session.status == SessionStatus.POSTPONED:
        changed = before["status"] != SessionStatus.POSTPONED
        return "lectures.session.postponed" if changed else None
    if session.status == SessionStatus.SCHEDULED and any(
        before[name] != getattr(session, name) for name in ("start", "end", "venue")
    ):
        return "lectures.session.changed"
    return None


def tell_registrants(session: SessionPage, before: dict, *, now=None) -> int:
    """Notify everyone registered (confirmed or waiting), in the caller's
    transaction. Urgent — a text message even at night — when the session
    was due within 24 hours."""
    kind = change_kind(session, before)
    if kind is None:
        return 0
    now = now or timezone.now()
    # Read inside notify()'s statements: a cancellation of 2,000 registrants
    # costs the queries of one.
    users = Registration.objects.active().filter(session=session).values("user_id")
    context = session_context(session)
    if kind != "lectures.session.changed":
        context["when"] = timezone.localtime(before["start"]).strftime("%Y-%m-%d %H:%M")
        context["venue"] = before["venue"]
    context["was_when"] = timezone.localtime(before["start"]).strftime("%Y-%m-%d %H:%M")
    context["was_venue"] = before["venue"]
    urgent = now <= before["start"] <= now + URGENT_WITHIN
    return notify(users, kind, context, link=session.url or "", urgent=urgent, now=now)
