"""iCalendar feeds: the schedule selection, a forum's subtree, one session."""

from datetime import timedelta

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from lectures.calendars import build_calendar
from lectures.filters import ScheduleFilter
from lectures.models import SessionPage

# A feed without a start date carries this much history and everything ahead:
# calendar clients poll feeds often, and years of past sessions help nobody.
FEED_HISTORY = timedelta(days=90)
FEED_LIMIT = 2000


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _recent_and_ahead(sessions):
    since = timezone.now() - FEED_HISTORY
    return sessions.filter(end__gte=since)


def schedule_ics(request):
    filterset = ScheduleFilter(
        request.GET, queryset=SessionPage.objects.live().for_listing()
    )
    sessions = filterset.qs
    if not filterset.has_dates:
        sessions = _recent_and_ahead(sessions)
    sessions = sessions.order_by("start")[:FEED_LIMIT]
    body = build_calendar(sessions, _("Cadre lecture schedule"), request)
    return calendar_response(body, "schedule.ics")


def forum_feed(request, forum):
    sessions = _recent_and_ahead(
        SessionPage.objects.live().in_subtree(forum).for_listing()
    ).order_by("start")[:FEED_LIMIT]
    return calendar_response(
        build_calendar(sessions, forum.title, request), f"{forum.slug}.ics"
    )


def session_event(request, session):
    return calendar_response(
        build_calendar([session], session.title, request), f"session-{session.pk}.ics"
    )
