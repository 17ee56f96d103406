"""Every public page and feed costs one fixed number of queries, for 1 item or many.

Each page is rendered over a network holding one item in each of its lists,
then over one holding many (more forums, sessions over every tier with two
lecturers each, lecturers with two fields each). Both must cost the same
literal number below: a page whose count grows with the data has an N+1.

Each URL is fetched once before it is measured, so Wagtail's per-process
caches (the site's root paths) are warm, as they are on a running server.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from lectures.models import SessionStatus
from tests.factories import (
    CategoryFactory,
    FieldFactory,
    LecturerFactory,
    SessionFactory,
    TownFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

# page → its fixed cost in queries, whatever the amount of data
QUERIES = {
    "home": 12,
    "schedule": 8,
    "schedule filtered": 10,
    "district forum": 16,
    "village forum": 15,
    "session": 14,
    "schedule.ics": 2,
    "forum feed.ics": 3,
    "event.ics": 3,
    "lecturers": 3,
    "lecturer": 6,
}


def build(tree, *, many: bool) -> dict:
    """One item in every list, or many; returns what the URLs point at."""
    fields = [FieldFactory(slug="theory"), FieldFactory(slug="rural")]
    category = CategoryFactory(slug="lecture")
    lecturers = [
        LecturerFactory(fields=fields if many else fields[:1])
        for _ in range(4 if many else 1)
    ]
    if many:
        for _ in range(3):
            VillageFactory(parent=TownFactory(parent=tree["district"]))
        forums = [tree[name] for name in ("village", "district", "town", "sibling")]
        count = 16
    else:
        forums, count = [tree["village"]], 2
    now = timezone.now().replace(second=0, microsecond=0)
    sessions = []
    for n in range(count):
        # Alternate upcoming and held so that every list on every page fills.
        held = n % 2 == 1
        sessions.append(
            SessionFactory(
                parent=forums[(n // 2) % len(forums)],
                start=now + timedelta(days=-(n + 1) if held else n + 1),
                status=SessionStatus.HELD if held else SessionStatus.SCHEDULED,
                headcount=30 if held else None,
                # A capacity makes the cards count the seats taken.
                capacity=None if held else 40,
                field=fields[n % len(fields)],
                category=category,
                lecturers=[lecturers[n % len(lecturers)]]
                if not many
                else [lecturers[n % 4], lecturers[(n + 1) % 4]],
            )
        )
    return {"session": sessions[0], "lecturer": lecturers[0], "count": count}


def urls(tree, built) -> dict[str, str]:
    session = built["session"]
    return {
        "home": "/",
        "schedule": "/schedule/",
        "schedule filtered": "/schedule/?level=village&forum=chengguan&field=theory",
        "district forum": tree["district"].url,
        "village forum": tree["village"].url,
        "session": session.url,
        "schedule.ics": "/schedule.ics",
        "forum feed.ics": tree["district"].url + "feed.ics",
        "event.ics": session.url + "event.ics",
        "lecturers": "/lecturers/",
        "lecturer": built["lecturer"].get_absolute_url(),
    }


@pytest.mark.parametrize("many", [False, True], ids=["one", "many"])
def test_each_page_costs_a_fixed_number_of_queries(
    client, tree, many, subtests, django_assert_num_queries
):
    built = build(tree, many=many)
    for name, url in urls(tree, built).items():
        with subtests.test(page=name):
            assert client.get(url).status_code == 200  # warm the caches
            with django_assert_num_queries(QUERIES[name]):
                response = client.get(url)
            assert response.status_code == 200
    # The lists really held every item: the whole-network feed shows them all.
    feed = client.get("/schedule.ics").content
    assert feed.count(b"BEGIN:VEVENT") == built["count"]
