"""iCalendar feeds: the schedule selection, a forum's subtree, one session."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from lectures.events import session_calendar
from lectures.filters import ScheduleFilter
from lectures.models import SessionPage
from training_site import page_cache
from training_site.ical import calendar_response
from training_site.page_cache import public_page

# A feed without a start date carries this much history and everything ahead:
# calendar clients poll feeds often, and years of past sessions help nobody.
FEED_HISTORY = timedelta(days=90)
FEED_LIMIT = 2000


def _recent_and_ahead(sessions):
    since = timezone.now() - FEED_HISTORY
    return sessions.filter(end__gte=since)


def _latest(sessions) -> list:
    """At most FEED_LIMIT sessions, the furthest ahead first, in date order.

    Above the limit the oldest go (the limit is reached at about 100× the
    seed), never what is coming.
    """
    return list(sessions.order_by("-start", "-pk")[:FEED_LIMIT])[::-1]


@public_page
def schedule_ics(request):
    filterset = ScheduleFilter(
        request.GET, queryset=SessionPage.objects.live().for_listing()
    )
    filterset.keep_cached_with(request)
    sessions = filterset.qs
    if not filterset.has_dates:
        sessions = _recent_and_ahead(sessions)
    body = session_calendar(_latest(sessions), _("Cadre lecture schedule"), request)
    return calendar_response(body, "schedule.ics")


@public_page
def forum_feed(request, forum):
    sessions = _latest(
        _recent_and_ahead(SessionPage.objects.live().in_subtree(forum).for_listing())
    )
    return calendar_response(
        session_calendar(sessions, forum.title, request), f"{forum.slug}.ics"
    )


@public_page
def session_event(request, session):
    return calendar_response(
        session_calendar([session], session.title, request), f"session-{session.pk}.ics"
    )


def page_calendar(request, page_path: str, kind: str):
    """`<page URL>feed.ics` and `<page URL>event.ics` for any page that offers one.

    Wagtail's page URLs end in a slash and never contain a dot, so these are
    routed here: the page is found the way Wagtail serves it (live, on this
    site) and asked for its calendar through `serve_<kind>_ics`.
    """
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    page = (
        Page.objects.live()
        .filter(url_path=site.root_page.url_path + page_path)
        .specific()
        .first()
    )
    if page is None:
        raise Http404
    handler = getattr(page, f"serve_{kind}_ics", None)
    if handler is None:
        raise Http404
    if page_cache.storing(request):  # a feed shows its page's subtree
        page_cache.depends_on(request, page_cache.page_path(page, request))
    return handler(request)
