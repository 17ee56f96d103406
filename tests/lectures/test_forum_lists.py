"""A forum page lists the forums below it a page at a time, and counts its
records from the kept figures: a district of thousands of units is one
page of links, not thousands of pages built."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lectures.models import SessionStatus
from lectures.services import overview
from tests.factories import SessionFactory, TownFactory

pytestmark = pytest.mark.django_db


def test_the_forums_below_are_listed_a_page_at_a_time(client, tree, monkeypatch):
    monkeypatch.setattr(overview, "SUBFORUMS_PER_PAGE", 2)
    for _ in range(2):
        TownFactory(parent=tree["district"])
    towns = list(tree["district"].get_children().order_by("path"))
    assert len(towns) >= 3
    first = client.get(tree["district"].url).content.decode()
    assert towns[0].title in first
    assert towns[1].title in first
    assert towns[2].title not in first
    assert f'href="{towns[0].url}"' in first
    assert "?forums=2" in first
    second = client.get(tree["district"].url + "?forums=2").content.decode()
    assert towns[2].title in second
    assert towns[0].title not in second
    # A page number out of range is the last page, never an error.
    assert client.get(tree["district"].url + "?forums=99").status_code == 200


def test_the_records_are_paginated_by_the_kept_count(client, tree, monkeypatch):
    monkeypatch.setattr(overview, "RECORDS_PER_PAGE", 2)
    now = timezone.now().replace(second=0, microsecond=0)
    for day in range(3):
        SessionFactory(
            parent=tree["village"],
            status=SessionStatus.HELD,
            headcount=10,
            start=now - timedelta(days=day + 1),
        )
    response = client.get(tree["town"].url)
    page = response.context["records"]
    assert (page.paginator.count, page.paginator.num_pages) == (3, 2)
    assert len(page.object_list) == 2
    assert (response.context["held_count"], response.context["person_times"]) == (
        3,
        30,
    )


def _next_by_hand(sessions, page, count: int) -> list:
    """The coming-up list as the rule says it, in Python: live lectures at
    or below `page`, not held and not over, the soonest first, ties in tree
    order."""
    now = timezone.now()
    mine = [
        s
        for s in sessions
        if s.live
        and s.kind == "lecture"
        and s.path.startswith(page.path)
        and s.end >= now
        and s.status != SessionStatus.HELD
    ]
    return sorted(mine, key=lambda s: (s.start, s.path))[:count]


@pytest.mark.parametrize("large_subtree", [0, 2000], ids=["walked", "ranged"])
def test_the_coming_up_lists_are_the_subtrees_next_sessions(
    client, tree, monkeypatch, large_subtree
):
    """Read along the index of sessions not held and tested in the subtree
    row by row (SQLite, a subtree that has held many) or read by its range:
    the same list as the rule gives, on every tier, with held, past,
    unpublished, class and same-minute sessions around."""
    from lectures.models import SessionPage
    from tests.factories import ClassFactory

    monkeypatch.setattr(overview, "LARGE_SUBTREE", large_subtree)

    now = timezone.now().replace(second=0, microsecond=0)
    places = [tree[n] for n in ("district", "town", "village", "village2", "sibling")]
    for n in range(30):
        start = now + timedelta(hours=(n * 7) % 20 - 6)  # some at the same hour
        SessionFactory(
            parent=places[n % len(places)],
            start=start,
            status=[SessionStatus.SCHEDULED, SessionStatus.POSTPONED][n % 2]
            if start > now or n % 3
            else SessionStatus.HELD,
        )
    SessionFactory(parent=tree["town"], start=now + timedelta(minutes=1)).unpublish()
    lessons = ClassFactory(parent=tree["town"])
    SessionFactory(parent=lessons, start=now + timedelta(minutes=2))
    everything = list(SessionPage.objects.all())
    for name in ("district", "town", "village", "sibling"):
        context = client.get(tree[name].url).context
        shown = context["upcoming"]
        expected = _next_by_hand(everything, tree[name], overview.UPCOMING_ON_FORUM)
        assert [s.pk for s in shown] == [s.pk for s in expected], name
        assert expected, name
        # The records: its held lectures, the latest first (ties compared
        # by their start: their order among themselves is not promised).
        held = [
            s
            for s in everything
            if s.live
            and s.kind == "lecture"
            and s.path.startswith(tree[name].path)
            and s.status == SessionStatus.HELD
        ]
        records = context["records"].object_list
        starts = sorted((s.start for s in held), reverse=True)
        assert [s.start for s in records] == starts[: overview.RECORDS_PER_PAGE]
        assert held, name
    shown = client.get("/").context["upcoming"]
    home = tree["district"].get_parent()
    expected = _next_by_hand(everything, home, overview.UPCOMING_ON_HOME)
    assert [s.pk for s in shown] == [s.pk for s in expected]


def test_the_forums_by_tier_are_the_live_forums_of_the_subtree(client, tree):
    """Counted by page type in the page table: the same as the forums'
    own levels, live ones only."""
    from django.db.models import Count

    from lectures.models import ForumPage
    from tests.factories import VillageFactory

    VillageFactory(parent=tree["sibling"]).unpublish()
    TownFactory(parent=tree["district"])

    def by_hand(page=None):
        forums = ForumPage.objects.live()
        if page is not None:
            forums = forums.in_subtree(page)
        counts = dict.fromkeys(("district", "unit", "village"), 0)
        for row in forums.order_by().values("level").annotate(n=Count("pk")):
            counts[row["level"]] = row["n"]
        return counts

    assert (
        overview.forum_counts()
        == by_hand()
        == {
            "district": 1,
            "unit": 3,
            "village": 3,
        }
    )
    for name in ("district", "town", "village", "sibling"):
        assert overview.forum_counts(tree[name]) == by_hand(tree[name]), name
