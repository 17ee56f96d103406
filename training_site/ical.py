"""iCalendar files (RFC 5545): the calendar around the events, and the response.

What an event says is the app's business (`lectures.events` turns a session
into a VEVENT); here is what every feed shares: the product id, the site's
time zone, the calendar's name, and how it is served.
"""

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, Event, Timezone

PRODID = "-//ganbu-jiangtan//lecture network//ZH"


def calendar(name: str, events: Iterable[Event]) -> bytes:
    """A calendar called `name` in the site's time zone, holding `events`."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
