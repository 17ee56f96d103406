"""iCalendar files (RFC 5545): the calendar around the events, and the response.

What an event says is the app's business (`lectures.events` turns a session
into a VEVENT); here is what every feed shares: the product id, the site's
time zone, the calendar's name, and how it is served. Events come as their
text (`BEGIN:VEVENT` … `END:VEVENT`, lines folded and ended by CRLF), so an
app may keep them built and a feed of thousands is a join.
"""

import functools
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, Timezone

PRODID = "-//ganbu-jiangtan//lecture network//ZH"
END = "END:VCALENDAR\r\n"
#: RFC 5545 3.1: lines longer than 75 octets are folded.
LINE_OCTETS = 75


def calendar(name: str, events: Iterable[str]) -> bytes:
    """A calendar called `name` in the site's time zone, holding `events`
    (each an event's text, as `event_text` gives it)."""
    return "".join((_head(name, settings.TIME_ZONE), *events, END)).encode()


@functools.lru_cache(maxsize=1024)
def _head(name: str, tzid: str) -> str:
    """What comes before the events, with the time zone: built by icalendar
    once a process for each name (a forum's title), not for every feed."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tzid)
    head = cal.to_ical().decode()
    assert head.endswith(END)
    return head[: -len(END)] + time_zone(tzid)


@functools.cache
def time_zone(tzid: str) -> str:
    """The VTIMEZONE of `tzid` as text: icalendar works out its transitions
    in 0.1–0.3 s, more than joining two thousand kept events."""
    return Timezone.from_tzid(tzid).to_ical().decode()


def event_text(event) -> str:
    """An icalendar `Event` as the text `calendar` joins."""
    return event.to_ical().decode()


def with_line(text: str, name: str, value: str) -> str:
    """An event's text with one more property (`URL`, say) before its end."""
    end = "END:VEVENT\r\n"
    return f"{text[: -len(end)]}{fold(f'{name}:{value}')}\r\n{end}"


def fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a character."""
    if len(line) * 4 < LINE_OCTETS or len(line.encode()) < LINE_OCTETS:
        return line
    parts, current, octets = [], [], 0
    for char in line:
        size = len(char.encode())
        if current and octets + size >= LINE_OCTETS:
            parts.append("".join(current))
            current, octets = [], 1  # the next line starts with a space
        current.append(char)
        octets += size
    parts.append("".join(current))
    return "\r\n ".join(parts)


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
