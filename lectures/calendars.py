"""iCalendar rendering of sessions (RFC 5545) with the icalendar library."""

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event, Timezone

from lectures.models import SessionPage, SessionStatus

PRODID = "-//ganbu-jiangtan//lecture network//ZH"
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


def build_calendar(sessions: Iterable[SessionPage], name: str, request) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    for session in sessions:
        url = request.build_absolute_uri(session.get_url(request))
        calendar.add_component(build_event(session, url))
    return calendar.to_ical()
