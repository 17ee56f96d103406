"""iCalendar feeds parsed back: stable UIDs, Asia/Shanghai, cancellations, SEQUENCE."""

from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from lectures.models import SessionStatus
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def events(client, url, **params) -> dict[str, dict]:
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    return {
        str(event["SUMMARY"]): {
            "uid": str(event["UID"]),
            "start": event.decoded("DTSTART"),
            "status": str(event["STATUS"]),
            "sequence": int(event.get("SEQUENCE", 0)),
        }
        for event in calendar.walk("VEVENT")
    }


@pytest.fixture
def sessions(tree):
    return {
        "town": SessionFactory(parent=tree["town"], title="镇讲座"),
        "village": SessionFactory(parent=tree["village"], title="村讲座"),
        "sibling": SessionFactory(parent=tree["sibling"], title="邻镇讲座"),
    }


def test_a_forum_feed_holds_its_subtree_only(client, tree, sessions):
    got = events(client, tree["town"].url + "feed.ics")
    assert set(got) == {"镇讲座", "村讲座"}


def test_uids_are_stable_and_times_are_in_shanghai(client, tree, sessions):
    first = events(client, "/schedule.ics")
    second = events(client, "/schedule.ics")
    assert {k: v["uid"] for k, v in first.items()} == {
        k: v["uid"] for k, v in second.items()
    }
    assert len({v["uid"] for v in first.values()}) == 3
    start = first["镇讲座"]["start"]
    assert start.tzinfo.key == "Asia/Shanghai"
    assert start == sessions["town"].start.astimezone(SHANGHAI).replace(microsecond=0)


def test_the_schedule_feed_takes_the_schedule_filters(client, tree, sessions):
    assert set(events(client, "/schedule.ics", forum="chengguan")) == {
        "镇讲座",
        "村讲座",
    }
    assert set(events(client, "/schedule.ics", level="village")) == {"村讲座"}


def test_a_cancelled_session_says_so_and_raises_its_sequence(client, sessions):
    session = sessions["village"]
    before = events(client, session.url + "event.ics")["村讲座"]
    session.status = SessionStatus.CANCELLED
    session.save()
    after = events(client, session.url + "event.ics")["村讲座"]
    assert before["status"] == "CONFIRMED"
    assert after["status"] == "CANCELLED"
    assert after["sequence"] == before["sequence"] + 1
    assert after["uid"] == before["uid"]


def test_no_feed_for_drafts_or_other_pages(client, tree):
    draft = SessionFactory(parent=tree["town"], live=False)
    assert client.get(f"/district/chengguan/{draft.slug}/event.ics").status_code == 404
    assert client.get(tree["town"].url + "event.ics").status_code == 404
    assert client.get("/no/such/page/feed.ics").status_code == 404


def test_pages_offer_webcal_links(client, tree, sessions):
    html = client.get(tree["town"].url).content.decode()
    assert f"webcal://testserver{tree['town'].url}feed.ics" in html
