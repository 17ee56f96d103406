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

from lectures.models import (
    Category,
    DistrictForumPage,
    Field,
    Lecturer,
    SessionPage,
    SessionStatus,
    UnitForumPage,
    VillageForumPage,
)
from training_site.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    district = HomePage.objects.get().add_child(
        instance=DistrictForumPage(
            title="区级大讲坛", slug="district", unit_kind="district", unit_name="区"
        )
    )
    town = district.add_child(
        instance=UnitForumPage(
            title="城关镇小讲坛", slug="chengguan", unit_kind="town", unit_name="城关镇"
        )
    )
    village = town.add_child(
        instance=VillageForumPage(
            title="东风村微讲坛",
            slug="dongfeng",
            unit_kind="village",
            unit_name="东风村",
        )
    )
    field = Field.objects.create(name="理论学习", slug="theory")
    category = Category.objects.create(name="专题讲座", slug="lecture")
    lecturers = [Lecturer.objects.create(name=f"讲师{n}") for n in range(4)]
    for lecturer in lecturers:
        lecturer.fields.set([field])
        lecturer.save()
    return {
        "district": district,
        "town": town,
        "village": village,
        "field": field,
        "category": category,
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
        session = SessionPage(
            title=f"讲座{n}",
            slug=f"s{n}",
            start=start,
            end=start + timedelta(hours=2),
            venue="礼堂",
            field=network["field"],
            category=network["category"],
            status=SessionStatus.HELD if held else SessionStatus.SCHEDULED,
            headcount=30 if held else None,
            lecturers=network["lecturers"][:lecturers_each],
        )
        sessions.append(forums[n % len(forums)].add_child(instance=session))
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
    "home": 11,
    "schedule": 7,
    "schedule filtered": 9,
    "district forum": 16,
    "village forum": 19,
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
