"""The public schedule: every filter, pagination, and bad input never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    CategoryFactory,
    FieldFactory,
    LecturerFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(tree):
    theory = FieldFactory(slug="theory", name="理论学习")
    rural = FieldFactory(slug="rural", name="乡村振兴")
    lecture = CategoryFactory(slug="lecture", name="专题讲座")
    wang = LecturerFactory(name="王建国")
    soon = timezone.now() + timedelta(days=2)
    later = timezone.now() + timedelta(days=20)
    made = {
        "district": SessionFactory(
            parent=tree["district"], title="全区理论大讲堂", field=theory, start=soon
        ),
        "town": SessionFactory(
            parent=tree["town"], title="城关镇营商环境", category=lecture, start=later
        ),
        "village": SessionFactory(
            parent=tree["village"],
            title="东风村乡村振兴",
            field=rural,
            start=soon,
            lecturers=[wang],
        ),
        "sibling": SessionFactory(
            parent=tree["sibling_village"], title="山前村垃圾分类", start=later
        ),
    }
    made["village"].save()
    return made


def titles(client, **params) -> set[str]:
    response = client.get("/schedule/", params)
    assert response.status_code == 200
    return {session.title for session in response.context["sessions"]}


def test_without_filters_everything_upcoming(client, sessions):
    assert titles(client) == {s.title for s in sessions.values()}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"level": "village"}, {"东风村乡村振兴", "山前村垃圾分类"}),
        ({"level": "district"}, {"全区理论大讲堂"}),
        ({"forum": "chengguan"}, {"城关镇营商环境", "东风村乡村振兴"}),
        ({"forum": "dongfeng"}, {"东风村乡村振兴"}),
        ({"field": "theory"}, {"全区理论大讲堂"}),
        ({"category": "lecture"}, {"城关镇营商环境"}),
        ({"q": "营商"}, {"城关镇营商环境"}),
        ({"q": "王建国"}, {"东风村乡村振兴"}),
        ({"forum": "chengguan", "field": "rural"}, {"东风村乡村振兴"}),
    ],
)
def test_filters(client, sessions, params, expected):
    assert titles(client, **params) == expected


def test_date_range(client, sessions):
    start = timezone.localdate() + timedelta(days=10)
    end = timezone.localdate() + timedelta(days=30)
    got = titles(client, start=start.isoformat(), end=end.isoformat())
    assert got == {"城关镇营商环境", "山前村垃圾分类"}


def test_past_sessions_need_a_date_range(client, tree):
    past = SessionFactory(
        parent=tree["town"], start=timezone.now() - timedelta(days=40)
    )
    assert past.title not in titles(client)
    since = (timezone.localdate() - timedelta(days=60)).isoformat()
    assert past.title in titles(client, start=since)


def test_pagination(client, tree):
    for n in range(25):
        SessionFactory(parent=tree["town"], title=f"第{n}讲")
    first = client.get("/schedule/")
    second = client.get("/schedule/", {"page": 2})
    assert len(first.context["sessions"]) == 20
    assert len(second.context["sessions"]) == 5


BAD = [
    {"level": "galaxy"},
    {"start": "2026-99-99"},
    {"end": "yesterday"},
    {"forum": "no-such-forum"},
    {"forum": "../../etc"},
    {"field": "nope"},
    {"category": "<script>"},
    {"page": "999999"},
    {"page": "abc"},
    {"page": "-1"},
    {"q": "讲" * 5000},
    {"start": "2026-01-01", "end": "2025-01-01"},
]


@pytest.mark.parametrize("params", BAD)
def test_bad_input_is_reported_or_ignored(client, sessions, params):
    response = client.get("/schedule/", params)
    assert response.status_code == 200
    feed = client.get("/schedule.ics", params)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")


def test_an_unknown_forum_is_named_in_the_message(client, sessions):
    html = client.get("/schedule/", {"forum": "no-such-forum"}).content.decode()
    assert "不存在讲坛“no-such-forum”" in html
