"""iCalendar feeds: the schedule selection, a forum's subtree, one session."""

from datetime import timedelta

from django.db import connection
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from lectures.events import feed
from lectures.filters import ScheduleFilter
from lectures.models import ForumLevel, ForumPage, SessionPage
from training_site import page_cache
from training_site.ical import calendar_response
from training_site.page_cache import public_page

# A feed is a window of dates: without a start date it carries the sessions
# that started this long ago or later. Calendar clients poll feeds often, and years
# of past sessions help nobody; `?start=YYYY-MM-DD` (and `end`) asks for any
# range, on `schedule.ics` and on a forum's `feed.ics` alike.
FEED_HISTORY = timedelta(days=90)
#: At most this many sessions, the furthest ahead kept: above it the oldest
#: of the window go (reached at about 100× the seed), never what is coming.
FEED_LIMIT = 2000


def _selected(request, sessions, names=None):
    """The sessions `request.GET` asks for by ScheduleFilter's filters (only
    `names` of them, if given), within the window of dates unless dates were
    asked for (by start, which is indexed: the database walks the latest
    sessions backwards and stops at FEED_LIMIT); and the filterset, or None.

    A feed polled as published asks for none of them: it gets no filterset,
    whose form was a tenth of a small feed's cost and filtered nothing."""
    asked = [
        name for name in names or ScheduleFilter.base_filters if name in request.GET
    ]
    if not asked:
        return _recent(sessions), None
    data = request.GET if names is None else {name: request.GET[name] for name in asked}
    filterset = ScheduleFilter(data, queryset=sessions)
    if filterset.has_dates:
        return filterset.qs, filterset
    return _recent(filterset.qs), filterset


def _recent(sessions):
    """Sessions starting in the last FEED_HISTORY and later."""
    return sessions.filter(start__gte=timezone.now() - FEED_HISTORY)


def _subtree(forum: ForumPage):
    """The live sessions below `forum`, read by their range of paths.

    PostgreSQL's statistics tell it that the district's range is nearly the
    whole network, so it walks the latest sessions by start and checks each
    one's path, stopping at FEED_LIMIT (7 ms at 100× the seed); a prefix it
    cannot estimate (`tested_in_subtree`) made it visit every page below the
    district (100 ms). SQLite has no statistics and reads any range by the
    path index, then sorts every session of it by date (0.5–2 s for the
    district at 100×): there the district's sessions are tested row by row
    along the start index. A town's or a village's few are found by their
    range on both (see `lectures.services.overview.subtree_lists`)."""
    sessions = SessionPage.objects.live()
    # Its class's level (`level` is saved from it), not a read of the field.
    if forum.forum_level == ForumLevel.DISTRICT and connection.vendor == "sqlite":
        return sessions.tested_in_subtree(forum)
    return sessions.in_subtree(forum)


@public_page
def schedule_ics(request):
    sessions, filterset = _selected(request, SessionPage.objects.live())
    if filterset is not None:
        filterset.keep_cached_with(request)
    body = feed(sessions, _("Cadre lecture schedule"), request, limit=FEED_LIMIT)
    return calendar_response(body, "schedule.ics")


@public_page
def forum_feed(request, forum):
    """A forum and everything below it; the dates as `schedule.ics` takes them."""
    sessions, _dates = _selected(request, _subtree(forum), ("start", "end"))
    return calendar_response(
        feed(sessions, forum.title, request, limit=FEED_LIMIT), f"{forum.slug}.ics"
    )


@public_page
def session_event(request, session):
    """The session's kept event, as a feed of one (built afresh, two
    queries and icalendar's work, it cost as much as a village's feed)."""
    body = feed(
        SessionPage.objects.filter(pk=session.pk), session.title, request, limit=1
    )
    return calendar_response(body, f"session-{session.pk}.ics")


def page_calendar(request, page_path: str, kind: str):
    """`<page URL>feed.ics` and `<page URL>event.ics` for any page that offers one.

    Wagtail's page URLs end in a slash and never contain a dot, so these are
    routed here: the page is found the way Wagtail serves it (live, on this
    site) and asked for its calendar through `serve_<kind>_ics`.
    """
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    # By its slug first: `url_path` has no index, and reading every page
    # for it cost 13 ms at 100× the seed; the slug's index gives a few.
    page = (
        Page.objects.live()
        .filter(
            slug=page_path.rstrip("/").rsplit("/", 1)[-1],
            url_path=site.root_page.url_path + page_path,
        )
        .first()
    )
    if page is None:
        raise Http404
    # Of its own class, without reading its own table (a second query, the
    # largest of a small feed's): the feeds need the page's tree fields
    # (title, path, slug) and what its class says; a handler reading a
    # field of its own class has it read then.
    page = page.specific_deferred
    handler = getattr(page, f"serve_{kind}_ics", None)
    if handler is None:
        raise Http404
    if page_cache.storing(request):  # a feed shows its page's subtree
        page_cache.depends_on(request, page_cache.page_path(page, request))
    return handler(request)
