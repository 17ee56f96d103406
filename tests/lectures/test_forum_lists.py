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
