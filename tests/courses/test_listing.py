"""`/classes/` with its filters, a class page with its timetable, and the
class's calendar feed; bad filters are reported, never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from courses.services.enrolment import assign, enrol
from tests.courses.helpers import held_class, now_minute
from tests.factories import ClassFactory, SessionFactory, TraineeProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def classes(index, town, organiser):
    """One class of each phase, under the index and under a town."""
    today = timezone.localdate()
    return {
        "finished": held_class(
            index, title="已结业的初任培训班", class_type="initial", lessons=2
        )[0],
        "ongoing": ClassFactory(
            parent=town,
            title="城关镇乡村振兴专题班",
            class_type="thematic",
            organiser="城关镇",
            start_date=today - timedelta(days=1),
            end_date=today + timedelta(days=1),
        ),
        "upcoming": ClassFactory(
            parent=index,
            title="中青年干部领导力提升班",
            class_type="leadership",
            start_date=today + timedelta(days=20),
            end_date=today + timedelta(days=24),
        ),
        "closed": ClassFactory(
            parent=index,
            title="报名已截止的业务培训班",
            class_type="business",
            enrol_closes=now_minute() - timedelta(days=1),
        ),
        "draft": ClassFactory(parent=index, title="草稿培训班", live=False),
    }


def listed(client, query="") -> list[str]:
    response = client.get("/classes/" + query)
    assert response.status_code == 200
    return [c.title for c in response.context["classes"]]


def test_every_live_class_wherever_it_sits(client, classes):
    titles = listed(client)
    assert set(titles) == {c.title for name, c in classes.items() if name != "draft"}
    # Newest first.
    assert titles[0] == "中青年干部领导力提升班"
    assert titles[-1] == "已结业的初任培训班"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?type=leadership", {"upcoming"}),
        ("?organiser=城关", {"ongoing"}),
        ("?status=upcoming", {"upcoming", "closed"}),
        ("?status=ongoing", {"ongoing"}),
        ("?status=finished", {"finished"}),
        ("?status=open", {"upcoming"}),
        ("?q=领导力", {"upcoming"}),
        ("?type=business&status=open", set()),
    ],
)
def test_filters(client, classes, query, expected):
    assert set(listed(client, query)) == {classes[name].title for name in expected}


def test_date_filters_take_classes_that_overlap(client, classes):
    today = timezone.localdate()
    query = f"?start={today}&end={today}"
    assert listed(client, query) == ["城关镇乡村振兴专题班"]


@pytest.mark.parametrize(
    "query",
    [
        "?type=galaxy&start=0001-01-01",
        "?status=whenever",
        "?start=2026-13-45&end=yesterday",
        "?organiser=" + "x" * 500,
        "?page=abc",
        "?page=99999",
    ],
)
def test_bad_filters_are_reported_not_a_500(client, classes, query):
    response = client.get("/classes/" + query)
    assert response.status_code == 200
    if "page" not in query and "q=" not in query:
        assert "以下筛选条件无效，已忽略：" in response.content.decode()


def test_a_nul_character_is_refused_whole(client, classes):
    """PostgreSQL cannot compare text with a NUL: training_site.middleware
    answers such a request with a translated 400 before any filter runs."""
    response = client.get("/classes/?q=%00")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_a_bad_filter_does_not_undo_a_good_one(client, classes):
    assert listed(client, "?type=leadership&start=0001-01-01") == [
        "中青年干部领导力提升班"
    ]


def test_the_list_shows_lessons_and_seats(client, index, organiser):
    class_page = ClassFactory(parent=index, title="一个班", capacity=30)
    for _ in range(3):
        SessionFactory(parent=class_page)
    SessionFactory(parent=class_page, live=False)
    assign(class_page, [TraineeProfileFactory().user], by=organiser)
    (row,) = client.get("/classes/").context["classes"]
    assert (row.lesson_count, row.enrolled_count) == (3, 1)


# A class page ----------------------------------------------------------------


def test_the_class_page_shows_its_timetable_in_order(client, class_page):
    start = now_minute() + timedelta(days=11)
    late = SessionFactory(parent=class_page, title="第二课", start=start + timedelta(1))
    early = SessionFactory(parent=class_page, title="第一课", start=start)
    SessionFactory(parent=class_page, title="未发布的课", live=False)
    response = client.get(class_page.url)
    assert response.status_code == 200
    assert [lesson.pk for lesson in response.context["lessons"]] == [
        early.pk,
        late.pk,
    ]
    html = response.content.decode()
    assert "未发布的课" not in html
    assert html.index("第一课") < html.index("第二课")
    assert 'href="/accounts/login/?next=' in html  # log in to enrol


def test_the_class_page_names_no_trainee(client, class_page, organiser):
    profiles = [TraineeProfileFactory(real_name=f"学员甲{n}") for n in range(3)]
    assign(class_page, [p.user for p in profiles], by=organiser)
    client.force_login(profiles[0].user)
    for html in (
        client.get(class_page.url).content.decode(),
        client.get("/classes/").content.decode(),
    ):
        for profile in profiles[1:]:
            assert profile.real_name not in html
            assert profile.mobile not in html


def test_the_class_page_shows_his_own_place(client, class_page):
    profile = TraineeProfileFactory()
    enrol(class_page, profile.user)
    client.force_login(profile.user)
    response = client.get(class_page.url)
    assert response.context["my_enrolment"].status == "enrolled"
    assert response.context["seats"].confirmed == 1


def test_the_class_feed_publishes_every_lesson(client, class_page):
    lessons = [SessionFactory(parent=class_page) for _ in range(3)]
    SessionFactory(parent=class_page, live=False)
    response = client.get(class_page.url + "feed.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert sorted(str(e["SUMMARY"]) for e in events) == sorted(
        lesson.title for lesson in lessons
    )


def test_a_class_starting_today_is_not_listed_as_open(client, index):
    """Enrolment closes when the class begins (midnight of its first day)."""
    today = timezone.localdate()
    starting = ClassFactory(
        parent=index, title="今天开班", start_date=today, end_date=today
    )
    assert not starting.enrolment_open()
    assert "今天开班" not in listed(client, "?status=open")


def test_a_begun_class_still_taking_enrolments_is_listed_as_open(client, index):
    today = timezone.localdate()
    late = ClassFactory(
        parent=index,
        title="开班后仍可报名",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=5),
        enrol_closes=now_minute() + timedelta(days=2),
    )
    assert late.enrolment_open()
    assert "开班后仍可报名" in listed(client, "?status=open")
