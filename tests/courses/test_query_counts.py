"""Class pages cost one fixed number of queries, for one item or many.

Each page is rendered over data holding one item in each of its lists (one
class, one lesson, one enrolled trainee with his attendance, leave request and
test attempt), then over data holding many. Both must cost the same literal
number below: a page whose count grows with the data has an N+1.

Each URL is fetched once before it is measured, so Wagtail's per-process
caches are warm, as they are on a running server.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.services.assessment import start_attempt
from courses.services.completion import confirm
from courses.services.enrolment import assign, enrol
from courses.services.leave import request_leave
from courses.services.trainee import my_classes
from lectures.models import AttendanceStatus, SessionStatus
from tests.courses.helpers import (
    RIGHT_ANSWERS,
    S_WRONG,
    SINGLE,
    at,
    attend,
    bank,
    held_class,
    take,
)
from tests.factories import (
    ClassFactory,
    LecturerFactory,
    SessionFactory,
    TraineeProfileFactory,
)

pytestmark = pytest.mark.django_db

# page → its fixed cost in queries, whatever the amount of data (a logged-in
# user's permissions are not asked for the header's link: navigation.py)
# Logged-in pages count the header's unread messages (+1) and the admin's
# menu its own (+1); /me/ also reads his latest messages and channels (+2).
QUERIES = {
    "classes": 8,
    "classes filtered": 8,
    "class page (anonymous)": 10,
    "class page (enrolled)": 15,  # no permission query: not in the admin
    "class feed.ics": 4,
    "test page": 14,
    "test page (attempt under way)": 14,
    "admin enrolment": 17,  # +1: the 统计 menu asks if he administers a forum
    "admin leave": 16,
    "admin results": 25,
    "admin completion": 20,
    "admin results xlsx": 14,
    "admin completion xlsx": 12,
    "admin questions csv": 9,
    "schedule with lessons": 8,
    "me": 19,  # evaluations awaiting him; +3: his study hours (records/)
}


def ongoing_class(parent, *, lessons: int, trainees: list, organiser, lecturers):
    """A class half held: lessons on the days around today, the trainees
    enrolled before it began, marked, asking leave and taking the test."""
    today = timezone.localdate()
    class_page = ClassFactory(
        parent=parent,
        start_date=today - timedelta(days=lessons // 2),
        end_date=today + timedelta(days=lessons),
        questions=bank(),
        capacity=100,
    )
    held, ahead = [], []
    for n in range(lessons):
        # Held lessons on the days before today, the rest from tomorrow on:
        # a lesson today would be over or not depending on the hour the
        # suite runs (CI at 11:00 found today's 9:00 lesson over).
        past = n < lessons // 2
        day = today + timedelta(days=n - lessons // 2 + (0 if past else 1))
        lesson = SessionFactory(
            parent=class_page,
            start=at(day, 9),
            status=SessionStatus.HELD if past else SessionStatus.SCHEDULED,
            lecturers=lecturers,
        )
        (held if past else ahead).append(lesson)
    assign(
        class_page,
        trainees,
        by=organiser,
        now=at(class_page.start_date, 0) - timedelta(days=1),
    )
    for number, user in enumerate(trainees):
        for lesson in held:
            attend(
                lesson,
                user,
                AttendanceStatus.PRESENT if number % 2 else AttendanceStatus.LATE,
            )
        if ahead:
            request_leave(class_page, ahead[-1], user, "出差")
        take(class_page, user, RIGHT_ANSWERS if number % 2 else {SINGLE: [S_WRONG]})
    return class_page


def build(index, town, organiser, *, many: bool) -> dict:
    lecturers = [LecturerFactory() for _ in range(2 if many else 1)]
    trainees = [TraineeProfileFactory().user for _ in range(8 if many else 1)]
    viewer = trainees[0]
    main = ongoing_class(
        index,
        lessons=6 if many else 2,
        trainees=trainees,
        organiser=organiser,
        lecturers=lecturers,
    )
    mine = 1
    if many:
        for parent in (index, town, index, town):
            ongoing_class(
                parent,
                lessons=3,
                trainees=trainees[1:3],
                organiser=organiser,
                lecturers=lecturers,
            )
        # The viewer's other classes: one finished, one he applied to.
        finished, lessons = held_class(index, min_attendance_rate=25)
        assign(finished, [viewer], by=organiser, now=at(finished.start_date, 0))
        attend(lessons[0], viewer)
        confirm(finished, [viewer.pk], by=organiser)
        enrol(ClassFactory(parent=town, requires_approval=True), viewer)
        mine = 3
    # Someone in the middle of his second attempt (his first was graded).
    taker = trainees[-1]
    start_attempt(main, taker)
    return {
        "class": main,
        "viewer": viewer,
        "taker": taker,
        "mine": mine,
        "classes": 7 if many else 1,
    }


def urls(built) -> dict[str, tuple[str, str]]:
    """name → (who looks: anonymous, viewer or organiser; URL)."""
    page = built["class"]
    admin = f"/admin/classes/{page.pk}/"
    return {
        "classes": ("anonymous", "/classes/"),
        "classes filtered": (
            "anonymous",
            "/classes/?type=business&status=ongoing&start=2020-01-01&q=培训",
        ),
        "class page (anonymous)": ("anonymous", page.url),
        "class page (enrolled)": ("viewer", page.url),
        "class feed.ics": ("anonymous", page.url + "feed.ics"),
        "test page": ("viewer", page.url + "test/"),
        "test page (attempt under way)": ("taker", page.url + "test/"),
        "admin enrolment": ("organiser", admin + "enrolment/"),
        "admin leave": ("organiser", admin + "leave/"),
        "admin results": ("organiser", admin + "results/"),
        "admin completion": ("organiser", admin + "completion/"),
        "admin results xlsx": ("organiser", admin + "results/?export=xlsx"),
        "admin completion xlsx": ("organiser", admin + "completion/?export=xlsx"),
        "admin questions csv": (
            "organiser",
            admin + "results/?export=csv&table=questions",
        ),
        "me": ("viewer", "/me/"),
        # Each lesson's card names its class: one query for them all.
        "schedule with lessons": ("anonymous", "/schedule/"),
    }


@pytest.mark.parametrize("many", [False, True], ids=["one", "many"])
def test_each_page_costs_a_fixed_number_of_queries(
    client, index, town, organiser, many, subtests, django_assert_num_queries
):
    built = build(index, town, organiser, many=many)
    people = {
        "viewer": built["viewer"],
        "taker": built["taker"],
        "organiser": organiser,
    }
    for name, (who, url) in urls(built).items():
        with subtests.test(page=name):
            client.logout()
            if who in people:
                client.force_login(people[who])
            assert client.get(url).status_code == 200  # warm the caches
            with django_assert_num_queries(QUERIES[name]):
                response = client.get(url)
            assert response.status_code == 200
    # The lists really held every item.
    client.logout()
    schedule = client.get("/schedule/").content.decode()
    # (the lessons still ahead: 1 of 2, 3 of 6)
    assert schedule.count(f"培训班：{built['class'].title}") == (3 if many else 1)
    assert len(client.get("/classes/").context["classes"]) == built["classes"]
    client.force_login(built["viewer"])
    html = client.get("/me/").content.decode()
    assert html.count('href="/me/certificates/') == (1 if many else 0)
    assert len(my_classes(built["viewer"])) == built["mine"]
    page = built["class"]
    assert len(client.get(page.url).context["lessons"]) == (6 if many else 2)
