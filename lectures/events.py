"""Sessions as iCalendar events (VEVENT); the calendar around them is the
shell's (`training_site.ical`)."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Event

from lectures.models import SessionPage, SessionStatus
from training_site.ical import calendar

UID_DOMAIN = "jiangtan"

_STATUS = {
    SessionStatus.SCHEDULED: "CONFIRMED",
    SessionStatus.HELD: "CONFIRMED",
    SessionStatus.POSTPONED: "TENTATIVE",
    SessionStatus.CANCELLED: "CANCELLED",
}


def session_uid(session: SessionPage) -> str:
    """Stable for the life of the session: page ids never change."""
    return f"session-{session.pk}@{UID_DOMAIN}"


def build_event(session: SessionPage, url: str) -> Event:
    tz = timezone.get_default_timezone()
    event = Event()
    event.add("uid", session_uid(session))
    event.add("summary", session.title)
    event.add("dtstart", timezone.localtime(session.start, tz))
    event.add("dtend", timezone.localtime(session.end, tz))
    event.add(
        "dtstamp",
        session.last_published_at
        or session.latest_revision_created_at
        or timezone.now(),
    )
    event.add("sequence", session.ical_sequence)
    event.add("status", _STATUS[session.status])
    event.add("location", session.venue)
    event.add("url", url)
    lecturers = "、".join(lecturer.name for lecturer in session.lecturers.all())
    lines = [line for line in (lecturers, strip_tags(session.description)) if line]
    if lines:
        event.add("description", "\n".join(lines))
    if session.field_id:
        event.add("categories", [session.field.name])
    return event


def session_calendar(sessions: Iterable[SessionPage], name: str, request) -> bytes:
    """The sessions as a calendar called `name`, each linking to its page."""
    return calendar(
        name,
        (
            build_event(session, request.build_absolute_uri(session.get_url(request)))
            for session in sessions
        ),
    )
