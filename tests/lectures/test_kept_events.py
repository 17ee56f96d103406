"""Feeds are joined from events kept as text: what keeps them true, and the
window of dates a feed carries."""

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone
from icalendar import Calendar

from lectures.events import feed, session_calendar
from lectures.models import SessionEvent, SessionPage
from lectures.views.calendars import FEED_HISTORY
from tests.factories import (
    ClassFactory,
    FieldFactory,
    LecturerFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def summaries(client, url, **params) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200
    return [
        str(event["SUMMARY"])
        for event in Calendar.from_ical(response.content).walk("VEVENT")
    ]


def kept(session) -> str:
    return SessionEvent.objects.get(session=session).text


def test_a_joined_feed_is_what_building_every_event_gives(tree, commit):
    lecturer = LecturerFactory(name="王建国")
    field = FieldFactory(name="乡村振兴")
    commit(
        lambda: [
            SessionFactory(
                parent=tree[place],
                title=f"讲座{n}",
                lecturers=[lecturer],
                field=field,
                description="<p>一段很长的介绍，" + "折行测试" * 30 + "</p>",
            )
            for n, place in enumerate(("village", "town", "sibling_village"))
        ]
    )
    request = RequestFactory().get("/schedule.ics")
    sessions = SessionPage.objects.live()
    assert SessionEvent.objects.count() == 3  # built when they were saved
    joined = feed(sessions, "讲座", request, limit=10)
    built = session_calendar(
        sessions.order_by("start", "pk").for_listing(), "讲座", request
    )
    assert joined == built
    assert joined.count(b"BEGIN:VEVENT") == 3
    for line in joined.split(b"\r\n"):
        assert len(line) <= 75  # folded as RFC 5545 asks


def test_publishing_an_edit_builds_the_event_again(client, tree, commit):
    session = commit(lambda: SessionFactory(parent=tree["town"], title="镇讲座"))
    assert "镇讲座" in kept(session)
    session.title = "镇讲座（改期）"
    commit(lambda: session.save_revision().publish())
    assert "镇讲座（改期）" in kept(session)
    assert summaries(client, tree["town"].url + "feed.ics") == ["镇讲座（改期）"]


def test_a_draft_of_a_live_session_changes_nothing_in_the_feed(client, tree, commit):
    session = commit(lambda: SessionFactory(parent=tree["town"], title="镇讲座"))
    session.title = "草稿中的新标题"
    commit(session.save_revision)
    assert summaries(client, "/schedule.ics") == ["镇讲座"]


def test_renaming_a_lecturer_or_a_field_shows_in_the_feeds(client, tree, commit):
    lecturer = LecturerFactory(name="张教授")
    field = FieldFactory(name="理论")
    session = commit(
        lambda: SessionFactory(parent=tree["town"], lecturers=[lecturer], field=field)
    )
    lecturer.name = "李教授"
    commit(lecturer.save)
    field.name = "党的理论"
    commit(field.save)
    body = client.get("/schedule.ics").content.decode().replace("\r\n ", "")
    assert "李教授" in body
    assert "张教授" not in body
    assert "CATEGORIES:党的理论" in body
    assert "李教授" in kept(session)  # the feed kept what it built


def test_a_session_without_a_kept_event_is_built_and_kept_by_the_feed(client, tree):
    session = SessionFactory(parent=tree["town"], title="批量导入的讲座")
    SessionEvent.objects.all().delete()  # as after a bulk import
    assert summaries(client, "/schedule.ics") == ["批量导入的讲座"]
    assert "批量导入的讲座" in kept(session)


@pytest.mark.parametrize("kept_first", [True, False], ids=["kept", "missing"])
def test_an_event_ics_is_the_session_built_afresh(client, tree, commit, kept_first):
    """`event.ics` joins the session's kept event as the feeds do (building
    and keeping it if it is missing): byte for byte what building it gives."""
    lecturer = LecturerFactory(name="李教授")
    session = commit(
        lambda: SessionFactory(
            parent=tree["village"],
            title="村讲座",
            lecturers=[lecturer],
            field=FieldFactory(name="党的理论"),
            description="<p>" + "折行测试" * 30 + "</p>",
        )
    )
    if not kept_first:
        SessionEvent.objects.all().delete()  # as after a bulk import
    session = SessionPage.objects.for_listing().get(pk=session.pk)
    built = session_calendar([session], session.title, RequestFactory().get("/"))
    response = client.get(session.url + "event.ics")
    assert response.status_code == 200
    assert response.content == built
    assert "李教授" in kept(session)


def test_the_url_follows_the_tree_and_the_host(client, tree, commit):
    session = commit(lambda: SessionFactory(parent=tree["village"], slug="jiangzuo"))
    commit(lambda: session.move(tree["sibling_village"], pos="last-child"))
    session.refresh_from_db()
    body = client.get("/schedule.ics", HTTP_HOST="127.0.0.1").content.decode()
    urls = re.findall(r"URL:(\S+)", body.replace("\r\n ", ""))
    assert urls == ["http://127.0.0.1" + session.url]


def test_a_forum_feed_is_a_window_of_dates_with_any_range_on_request(client, tree):
    long_ago = timezone.now() - timedelta(days=200)
    SessionFactory(parent=tree["village"], title="旧讲座", start=long_ago)
    SessionFactory(parent=tree["village"], title="新讲座")
    url = tree["town"].url + "feed.ics"
    assert summaries(client, url) == ["新讲座"]
    since = timezone.localdate(long_ago - timedelta(days=1)).isoformat()
    assert summaries(client, url, start=since) == ["旧讲座", "新讲座"]
    until = timezone.localdate(long_ago + timedelta(days=1)).isoformat()
    assert summaries(client, url, start=since, end=until) == ["旧讲座"]


@pytest.mark.parametrize("forum", ["district", "town", "village", "village2"])
def test_a_forum_feed_is_its_subtree_in_the_window_as_built_afresh(
    client, tree, commit, forum
):
    """However the database is asked for a subtree (the district's tested
    row by row on SQLite, a range of paths elsewhere), the feed is every
    live session below the forum that starts in the window, in date order,
    exactly as building each event gives it."""
    now = timezone.now()
    places = ("district", "town", "village", "village2", "sibling_village")
    commit(
        lambda: [
            SessionFactory(
                parent=tree[place],
                title=f"{place}{days}",
                start=now + timedelta(days=days, hours=n),
            )
            for n, place in enumerate(places)
            for days in (-200, -30, 0, 5, 40)
        ]
    )
    commit(lambda: SessionFactory(parent=tree["village"], title="草稿", live=False))
    outside = commit(lambda: ClassFactory(parent=tree["district"].get_parent()))
    commit(lambda: SessionFactory(parent=outside, title="培训班的课"))
    page = tree[forum]
    below = (
        SessionPage.objects.live()
        .descendant_of(page)
        .filter(start__gte=now - FEED_HISTORY)
    )
    built = session_calendar(
        below.order_by("start", "pk").for_listing(),
        page.title,
        RequestFactory().get("/"),
    )
    response = client.get(page.url + "feed.ics")
    assert response.status_code == 200
    assert response.content == built
    assert response.content.count(b"BEGIN:VEVENT") == below.count() > 0


@pytest.mark.parametrize("count", [1, 12])
def test_a_joined_feed_costs_one_query_however_long(
    tree, commit, count, django_assert_num_queries
):
    commit(lambda: [SessionFactory(parent=tree["village"]) for _ in range(count)])
    request = RequestFactory().get("/schedule.ics")
    sessions = SessionPage.objects.live()
    feed(sessions, "讲座", request, limit=100)  # the site, as a server keeps it
    with django_assert_num_queries(1):
        body = feed(sessions, "讲座", request, limit=100)
    assert body.count(b"BEGIN:VEVENT") == count
