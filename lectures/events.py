"""Sessions as iCalendar events (VEVENT); the calendar around them is the
shell's (`training_site.ical`).

A feed of the network holds up to 2,000 sessions. Building each event with
icalendar costs about a millisecond, so each session's event is built once,
when the session (or what it shows of a lecturer or its field) changes, and
kept as text (`SessionEvent`, `keep_events`); a feed reads the texts with
the sessions' tree paths in one query and adds each event's URL, which
follows the tree and the request's host (`feed`). A session without a kept
event (built before events were kept, or changed in bulk) is built as the
feed needs it, and kept.
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Event
from wagtail.models import Site

from lectures.models import SessionEvent, SessionPage, SessionStatus
from training_site.ical import calendar, event_text, with_line

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


def build_event(session: SessionPage) -> Event:
    """The session as a VEVENT, without its URL (see the module doc)."""
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
    lecturers = "、".join(lecturer.name for lecturer in session.lecturers.all())
    lines = [line for line in (lecturers, strip_tags(session.description)) if line]
    if lines:
        event.add("description", "\n".join(lines))
    if session.field_id:
        event.add("categories", [session.field.name])
    return event


def session_calendar(sessions: Iterable[SessionPage], name: str, request) -> bytes:
    """The sessions (built now) as a calendar called `name`, each linking to
    its page: for the few a person's or a class's calendar holds."""
    return calendar(
        name,
        (
            with_line(
                event_text(build_event(session)),
                "URL",
                request.build_absolute_uri(session.get_url(request)),
            )
            for session in sessions
        ),
    )


def feed(sessions, name: str, request, *, limit: int) -> bytes:
    """The latest `limit` of `sessions` (a queryset), the furthest ahead
    kept, in date order, joined from their kept events: one query, plus two
    for any session whose event was not kept yet."""
    rows = list(
        sessions.order_by("-start", "-pk").values_list(
            "pk", "url_path", "kept_event__text"
        )[:limit]
    )[::-1]
    missing = [pk for pk, _path, text in rows if text is None]
    built = keep_events(missing) if missing else {}
    url = _url_maker(request)
    return calendar(
        name,
        (
            with_line(text if text is not None else built[pk], "URL", url(path))
            for pk, path, text in rows
        ),
    )


def _url_maker(request) -> Callable[[str], str]:
    """A page's full URL from its tree path, as `get_url` and
    `build_absolute_uri` give it, without asking for the page."""
    site = Site.find_for_request(request)
    root = site.root_page.url_path if site is not None else None
    base = request.build_absolute_uri("/")

    def url(path: str) -> str:
        if root is not None and path.startswith(root):
            return base + path[len(root) :]
        # A page of another site: its root URL (the sites' root paths are
        # a read of the cache, asked only for such a page).
        for other in Site.get_site_root_paths():
            if path.startswith(other.root_path):
                return other.root_url + "/" + path[len(other.root_path) :]
        return base + path.lstrip("/")

    return url


def keep_events(session_ids: Iterable[int]) -> dict[int, str]:
    """Build and keep the events of these sessions; {id: event text}."""
    sessions = SessionPage.objects.filter(pk__in=list(session_ids)).for_listing()
    texts = {session.pk: event_text(build_event(session)) for session in sessions}
    with transaction.atomic():
        SessionEvent.objects.filter(session__in=texts).delete()
        SessionEvent.objects.bulk_create(
            [SessionEvent(session_id=pk, text=text) for pk, text in texts.items()],
            ignore_conflicts=True,  # a feed that built one at the same time
        )
    return texts


def keep_events_after_commit(sessions) -> None:
    """Rebuild the kept events of `sessions` (ids or a queryset) once the
    transaction commits, from what was committed."""
    ids = sessions if isinstance(sessions, list | set) else None

    def rebuild():
        keep_events(ids if ids is not None else sessions.values_list("pk", flat=True))

    transaction.on_commit(rebuild)
