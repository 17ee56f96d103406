"""The public schedule: every filter, pagination, and bad input never a 500.

Bad input is reported on the page (the form's errors) and otherwise ignored:
the selection is what it would be without the bad parameter.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from lectures.models import SessionStatus
from tests.factories import (
    CategoryFactory,
    FieldFactory,
    LecturerFactory,
    SessionFactory,
    build_tree,
    fresh,
)
from training_site.models import HomePage

pytestmark = pytest.mark.django_db


def make_sessions(tree) -> dict:
    theory = FieldFactory(slug="theory", name="理论学习")
    rural = FieldFactory(slug="rural", name="乡村振兴")
    lecture = CategoryFactory(slug="lecture", name="专题讲座")
    wang = LecturerFactory(name="王建国")
    li = LecturerFactory(name="李王氏")
    now = timezone.now().replace(second=0, microsecond=0)
    soon, later = now + timedelta(days=2), now + timedelta(days=20)
    return {
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
            lecturers=[wang, li],
        ),
        "sibling": SessionFactory(
            parent=tree["sibling_village"],
            title="山前村垃圾分类",
            start=later,
            status=SessionStatus.POSTPONED,
        ),
        "past": SessionFactory(
            parent=tree["town"],
            title="城关镇往期讲座",
            start=now - timedelta(days=40),
            status=SessionStatus.HELD,
        ),
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


UPCOMING = {"全区理论大讲堂", "城关镇营商环境", "东风村乡村振兴", "山前村垃圾分类"}


def get(client, **params):
    response = client.get("/schedule/", params)
    assert response.status_code == 200
    return response


def titles(client, **params) -> list[str]:
    return [session.title for session in get(client, **params).context["sessions"]]


def test_without_filters_what_is_coming_soonest_first(client, sessions):
    got = titles(client)
    assert set(got) == UPCOMING
    assert got[:2] == ["全区理论大讲堂", "东风村乡村振兴"]


def test_drafts_are_not_scheduled(client, sessions, tree):
    SessionFactory(parent=tree["town"], title="未发布的讲座", live=False)
    assert "未发布的讲座" not in titles(client)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "village"}, {"东风村乡村振兴", "山前村垃圾分类"}),
        ({"level": "unit"}, {"城关镇营商环境"}),
        ({"level": "district"}, {"全区理论大讲堂"}),
        # A forum means the forum and everything below it.
        ({"forum": "district"}, UPCOMING),
        ({"forum": "chengguan"}, {"城关镇营商环境", "东风村乡村振兴"}),
        ({"forum": "dongfeng"}, {"东风村乡村振兴"}),
        ({"forum": "hongqi"}, set()),
        ({"field": "theory"}, {"全区理论大讲堂"}),
        ({"category": "lecture"}, {"城关镇营商环境"}),
        ({"status": "postponed"}, {"山前村垃圾分类"}),
        ({"q": "营商"}, {"城关镇营商环境"}),
        ({"q": "王建国"}, {"东风村乡村振兴"}),
        ({"q": "  王建国 "}, {"东风村乡村振兴"}),
        ({"forum": "chengguan", "field": "rural"}, {"东风村乡村振兴"}),
        ({"level": "village", "forum": "qingshan"}, {"山前村垃圾分类"}),
    ],
)
def test_filters(client, sessions, params, expected):
    assert set(titles(client, **params)) == expected


def test_a_session_matching_through_two_lecturers_is_listed_once(client, sessions):
    response = get(client, q="王")  # 王建国 and 李王氏 both give the village session
    assert titles(client, q="王") == ["东风村乡村振兴"]
    assert response.context["page_obj"].paginator.count == 1


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"start": day(10), "end": day(30)}, {"城关镇营商环境", "山前村垃圾分类"}),
        ({"end": day(5)}, {"城关镇往期讲座", "全区理论大讲堂", "东风村乡村振兴"}),
        ({"start": day(-60), "end": day(-1)}, {"城关镇往期讲座"}),
        # Dates are whole days in Asia/Shanghai, both ends included.
        ({"start": day(2), "end": day(2)}, {"全区理论大讲堂", "东风村乡村振兴"}),
        ({"start": day(30), "end": day(10)}, set()),
    ],
)
def test_date_range(client, sessions, params, expected):
    assert set(titles(client, **params)) == expected


def test_past_sessions_need_a_date_range(client, sessions):
    assert "城关镇往期讲座" not in titles(client)
    assert "城关镇往期讲座" in titles(client, start=day(-60))


def test_pagination(client, tree):
    for n in range(25):
        SessionFactory(parent=tree["village2"], title=f"第{n}讲")
    first, second = get(client, forum="hongqi"), get(client, forum="hongqi", page=2)
    assert len(first.context["sessions"]) == 20
    assert len(second.context["sessions"]) == 5
    assert first.context["page_obj"].paginator.count == 25
    assert not {s.pk for s in first.context["sessions"]} & {
        s.pk for s in second.context["sessions"]
    }


def test_pagination_keeps_the_filters(client, sessions, monkeypatch):
    monkeypatch.setattr("lectures.views.schedule.PER_PAGE", 2)
    html = get(client, forum="district").content.decode()
    assert "?forum=district&amp;page=2" in html


# Bad input -----------------------------------------------------------------

BAD_FILTERS = [  # each one reported on the page, then ignored
    {"level": "galaxy"},
    {"level": "<script>alert(1)</script>"},
    {"start": "2026-99-99"},
    {"start": "2026-02-30"},
    {"end": "yesterday"},
    # The ends of the calendar once overflowed into a 500.
    {"start": "0001-01-01"},
    {"end": "9999-12-31"},
    {"forum": "no-such-forum"},
    {"forum": "../../etc"},
    {"field": "nope"},
    {"category": "<script>"},
    {"status": "exploded"},
    {"q": "讲" * 5000},
]
BAD_PAGES = [("999999", "last"), ("abc", 1), ("-1", "last"), ("0", "last"), ("", 1)]


def events(client, **params) -> set[str]:
    response = client.get("/schedule.ics", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


@pytest.mark.parametrize("params", BAD_FILTERS, ids=lambda p: "&".join(p))
def test_a_bad_filter_is_reported_and_ignored(client, sessions, params):
    [name] = params
    response = get(client, **params)
    errors = response.context["filter"].form.errors
    assert set(errors) == {name}
    html = response.content.decode()
    assert 'role="alert"' in html
    assert escape(errors[name][0]) in html
    assert "<script>alert(1)</script>" not in html
    assert {s.title for s in response.context["sessions"]} == UPCOMING
    # The feed takes the same filters and ignores the same bad ones.
    assert events(client, **params) == events(client)


@pytest.mark.parametrize(("value", "number"), BAD_PAGES)
def test_a_bad_page_number_falls_back_to_a_real_page(
    client, sessions, monkeypatch, value, number
):
    monkeypatch.setattr("lectures.views.schedule.PER_PAGE", 3)  # two pages
    page = get(client, page=value).context["page_obj"]
    assert page.paginator.num_pages == 2
    assert page.number == (2 if number == "last" else number)
    assert events(client, page=value) == events(client)  # a feed has no pages


def test_an_unknown_forum_is_named_in_the_message(client, sessions):
    html = get(client, forum="no-such-forum").content.decode()
    assert "不存在讲坛“no-such-forum”" in html


def test_a_bad_filter_does_not_undo_a_good_date(client, sessions):
    """Regression: one invalid filter used to drop a valid start date."""
    expected = set(titles(client, start=day(-60)))
    assert "城关镇往期讲座" in expected
    assert set(titles(client, start=day(-60), level="galaxy")) == expected
