"""iCalendar feeds, parsed back with icalendar: what is in each feed, stable
UIDs, Asia/Shanghai times, cancellations and a SEQUENCE that rises on edits."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from lectures.models import SessionStatus
from tests.factories import (
    LecturerFactory,
    SessionFactory,
    UserFactory,
    build_tree,
    fresh,
)
from tests.wagtail_admin import edit_url, refused, session_form
from training_site.models import HomePage

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def calendar(client, url, **params) -> Calendar:
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = Calendar.from_ical(response.content)
    # Every feed carries the zone its times refer to.
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    return parsed


def events(client, url, **params) -> dict:
    """The feed's VEVENTs by SUMMARY."""
    return {
        str(event["SUMMARY"]): event
        for event in calendar(client, url, **params).walk("VEVENT")
    }


def make_sessions(tree) -> dict:
    return {
        "district": SessionFactory(parent=tree["district"], title="区讲座"),
        "town": SessionFactory(parent=tree["town"], title="镇讲座"),
        "village": SessionFactory(
            parent=tree["village"],
            title="村讲座",
            venue="东风村党群服务中心",
            lecturers=[LecturerFactory(name="王建国"), LecturerFactory(name="李明")],
        ),
        "sibling": SessionFactory(parent=tree["sibling_village"], title="邻镇讲座"),
        "draft": SessionFactory(parent=tree["town"], title="草稿讲座", live=False),
    }


@pytest.fixture(scope="module")
def network(module_db):
    """Built once: these tests only read it (or write inside their savepoint)."""
    tree = build_tree(HomePage.objects.get())
    return {"tree": tree, "sessions": make_sessions(tree)}


@pytest.fixture
def tree(network, db):
    """Overrides conftest's `tree` with the module's network, freshly read."""
    return fresh(network["tree"])


@pytest.fixture
def sessions(network, db):
    return fresh(network["sessions"])


EVERY_LIVE = {"区讲座", "镇讲座", "村讲座", "邻镇讲座"}


# What each feed holds ------------------------------------------------------


def test_the_schedule_feed_holds_every_live_session(client, sessions):
    assert set(events(client, "/schedule.ics")) == EVERY_LIVE


def test_the_schedule_feed_takes_the_schedule_filters(client, sessions):
    assert set(events(client, "/schedule.ics", forum="chengguan")) == {
        "镇讲座",
        "村讲座",
    }
    assert set(events(client, "/schedule.ics", level="village")) == {
        "村讲座",
        "邻镇讲座",
    }
    assert set(events(client, "/schedule.ics", q="王建国")) == {"村讲座"}


@pytest.mark.parametrize(
    ("forum", "expected"),
    [
        ("district", EVERY_LIVE),
        ("town", {"镇讲座", "村讲座"}),  # its villages' too, not the sibling's
        ("village", {"村讲座"}),
        ("village2", set()),
    ],
)
def test_a_forum_feed_holds_its_subtree(client, tree, sessions, forum, expected):
    assert set(events(client, tree[forum].url + "feed.ics")) == expected


def test_a_session_feed_holds_that_session(client, sessions):
    got = events(client, sessions["village"].url + "event.ics")
    assert list(got) == ["村讲座"]
    event = got["村讲座"]
    assert str(event["LOCATION"]) == "东风村党群服务中心"
    assert str(event["URL"]) == "http://testserver" + sessions["village"].url
    assert "王建国" in str(event["DESCRIPTION"])
    assert "李明" in str(event["DESCRIPTION"])


def test_a_session_with_a_chinese_slug_has_its_feed(client, tree):
    session = SessionFactory(parent=tree["village"], title="乡村振兴", slug="乡村振兴")
    assert "%E4%B9%A1" in session.url  # the URL is percent-encoded
    assert list(events(client, session.url + "event.ics")) == ["乡村振兴"]


def test_old_sessions_leave_the_feed_unless_asked_for(client, tree):
    long_ago = timezone.now() - timedelta(days=200)
    SessionFactory(parent=tree["town"], title="旧讲座", start=long_ago)
    assert "旧讲座" not in events(client, "/schedule.ics")
    assert "旧讲座" not in events(client, tree["town"].url + "feed.ics")
    since = timezone.localdate(long_ago - timedelta(days=1)).isoformat()
    assert "旧讲座" in events(client, "/schedule.ics", start=since)


def test_no_feed_for_drafts_or_other_pages(client, tree, sessions):
    draft = sessions["draft"]
    draft_path = tree["town"].url + draft.slug + "/"
    assert client.get(draft_path + "event.ics").status_code == 404
    assert client.get(tree["town"].url + "event.ics").status_code == 404
    assert client.get(sessions["town"].url + "feed.ics").status_code == 404
    assert client.get("/no/such/page/feed.ics").status_code == 404


def test_pages_offer_webcal_links(client, tree, sessions):
    forum = client.get(tree["town"].url).content.decode()
    assert f"webcal://testserver{tree['town'].url}feed.ics" in forum
    session = client.get(sessions["town"].url).content.decode()
    assert f"webcal://testserver{sessions['town'].url}event.ics" in session


# UID, time zone, status, sequence --------------------------------------------


def test_uids_are_unique_and_stable_across_renders(client, sessions):
    first = {k: str(v["UID"]) for k, v in events(client, "/schedule.ics").items()}
    second = {k: str(v["UID"]) for k, v in events(client, "/schedule.ics").items()}
    assert first == second
    assert len(set(first.values())) == len(EVERY_LIVE)
    # The same session has the same UID in every feed it appears in.
    forum = events(client, sessions["village"].url + "event.ics")
    assert str(forum["村讲座"]["UID"]) == first["村讲座"]


def test_times_are_in_shanghai(client, sessions):
    event = events(client, sessions["town"].url + "event.ics")["镇讲座"]
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event["DTEND"].params["TZID"] == "Asia/Shanghai"
    start = event.decoded("DTSTART")
    assert start.tzinfo.key == "Asia/Shanghai"
    assert start == sessions["town"].start.astimezone(SHANGHAI)
    assert event.decoded("DTEND") == sessions["town"].end


@pytest.mark.parametrize(
    ("status", "ical"),
    [
        (SessionStatus.SCHEDULED, "CONFIRMED"),
        (SessionStatus.HELD, "CONFIRMED"),
        (SessionStatus.POSTPONED, "TENTATIVE"),
        (SessionStatus.CANCELLED, "CANCELLED"),
    ],
)
def test_the_status_is_carried(client, tree, status, ical):
    start = timezone.now() - timedelta(days=1)  # a held session lies in the past
    session = SessionFactory(parent=tree["town"], status=status, start=start)
    event = events(client, session.url + "event.ics")[session.title]
    assert str(event["STATUS"]) == ical


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(client, sessions):
    session = sessions["village"]
    before = events(client, "/schedule.ics")["村讲座"]
    session.status = SessionStatus.CANCELLED
    session.save_revision().publish()
    after = events(client, "/schedule.ics")["村讲座"]
    assert str(before["STATUS"]) == "CONFIRMED"
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert str(after["UID"]) == str(before["UID"])


def edit_and_publish(client, user, session, **changes):
    """Change the session in the admin's editor and publish it."""
    client.force_login(user)
    form = session_form(
        session.title,
        slug=session.slug,
        start=changes.get("start", session.start),
        venue=changes.get("venue", session.venue),
        action="action-publish",
    )
    form.update(changes.get("form", {}))
    response = client.post(edit_url(session), form)
    assert response.status_code == 302
    assert not refused(response)
    client.logout()


def test_the_sequence_rises_after_an_edit_and_publish(client, tree, sessions):
    town_admin = UserFactory(groups=[tree["town"].admin_group])
    session = sessions["town"]
    url = session.url + "event.ics"
    before = events(client, url)["镇讲座"]
    assert before["SEQUENCE"] == 0

    edit_and_publish(client, town_admin, session, venue="改在区委党校")
    moved = events(client, url)["镇讲座"]
    assert moved["SEQUENCE"] == 1
    assert str(moved["LOCATION"]) == "改在区委党校"
    assert str(moved["UID"]) == str(before["UID"])

    later = session.start + timedelta(days=1)
    edit_and_publish(client, town_admin, session, venue="改在区委党校", start=later)
    rescheduled = events(client, url)["镇讲座"]
    assert rescheduled["SEQUENCE"] == 2
    assert rescheduled.decoded("DTSTART") == later

    # What calendars do not show leaves the sequence alone.
    edit_and_publish(
        client,
        town_admin,
        session,
        venue="改在区委党校",
        start=later,
        form={"audience": "全体机关干部"},
    )
    assert events(client, url)["镇讲座"]["SEQUENCE"] == 2
