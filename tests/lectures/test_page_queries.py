"""Every list page and feed costs the same number of queries for 1 item or many.

Each page is measured twice: with one session (one lecturer) and with many
sessions (two lecturers each, spread over every tier). The count must be the
same fixed number both times; a difference is an N+1.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lectures.models import SessionPage, SessionStatus
from tests.factories import (
    CategoryFactory,
    FieldFactory,
    LecturerFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(tree):
    field = FieldFactory(name="理论学习", slug="theory")
    lecturers = [LecturerFactory(fields=[field]) for _ in range(4)]
    return {
        **tree,
        "field": field,
        "category": CategoryFactory(name="专题讲座", slug="lecture"),
        "lecturers": lecturers,
    }


def add_sessions(network, count: int, lecturers_each: int) -> list[SessionPage]:
    forums = [network["district"], network["town"], network["village"]]
    now = timezone.now()
    sessions = []
    for n in range(count):
        # Alternate upcoming and held so every list on every page fills up.
        held = n % 2 == 1
        start = now + timedelta(days=(-n - 1) if held else n + 1)
        session = SessionFactory(
            parent=forums[n % len(forums)],
            start=start,
            field=network["field"],
            category=network["category"],
            status=SessionStatus.HELD if held else SessionStatus.SCHEDULED,
            headcount=30 if held else None,
            lecturers=network["lecturers"][:lecturers_each],
        )
        sessions.append(session)
    return sessions


def page_urls(network, sessions) -> dict[str, str]:
    village_session = next(s for s in sessions if s.forum_id == network["village"].pk)
    return {
        "home": "/",
        "schedule": "/schedule/",
        "schedule filtered": "/schedule/?level=village&forum=chengguan&field=theory",
        "district forum": network["district"].url,
        "village forum": network["village"].url,
        "session": village_session.url,
        "schedule.ics": "/schedule.ics",
        "forum feed.ics": network["district"].url + "feed.ics",
        "event.ics": village_session.url + "event.ics",
        "lecturers": "/lecturers/",
        "lecturer": network["lecturers"][0].get_absolute_url(),
    }


def measure(client, urls) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm the per-process caches (site root paths)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


# The fixed cost of each page, whatever the amount of data.
EXPECTED = {
    "home": 12,
    "schedule": 7,
    "schedule filtered": 9,
    "district forum": 17,
    "village forum": 20,
    "session": 20,
    "schedule.ics": 3,
    "forum feed.ics": 5,
    "event.ics": 5,
    "lecturers": 3,
    "lecturer": 6,
}


def test_one_session(client, network):
    # One upcoming and one held session in each forum: every list has one item.
    sessions = add_sessions(network, count=6, lecturers_each=1)
    assert measure(client, page_urls(network, sessions)) == EXPECTED


def test_many_sessions(client, network):
    sessions = add_sessions(network, count=60, lecturers_each=2)
    assert measure(client, page_urls(network, sessions)) == EXPECTED
