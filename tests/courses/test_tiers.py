"""Where classes and lessons sit in the tree, and what a lesson is."""

from datetime import timedelta
from decimal import Decimal

import pytest
from wagtail.test.utils import WagtailPageTestCase

from courses.models import ClassPage, TrainingIndexPage
from lectures.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    DistrictForumPage,
    SessionPage,
    SessionStatus,
    UnitForumPage,
    VillageForumPage,
)
from stats.figures import network_stats
from tests.courses.helpers import now_minute
from tests.factories import ClassFactory, SessionFactory, UserFactory
from tests.wagtail_admin import add_url, refused, session_form
from training_site.models import HomePage


class ClassTiers(WagtailPageTestCase):
    def test_classes_sit_under_the_index_and_district_or_unit_forums(self):
        self.assertAllowedParentPageTypes(
            ClassPage, {TrainingIndexPage, DistrictForumPage, UnitForumPage}
        )
        self.assertCanCreateAt(TrainingIndexPage, ClassPage)
        self.assertCanCreateAt(DistrictForumPage, ClassPage)
        self.assertCanCreateAt(UnitForumPage, ClassPage)
        self.assertCanNotCreateAt(VillageForumPage, ClassPage)
        self.assertCanNotCreateAt(HomePage, ClassPage)
        self.assertCanNotCreateAt(ClassPage, ClassPage)

    def test_a_class_holds_lessons_only(self):
        self.assertAllowedSubpageTypes(ClassPage, {SessionPage})
        self.assertCanCreateAt(ClassPage, SessionPage)
        self.assertAllowedSubpageTypes(TrainingIndexPage, {ClassPage})


pytestmark = pytest.mark.django_db


def test_the_training_index_is_at_classes(client, home):
    index = TrainingIndexPage.objects.get()
    assert index.get_parent().pk == home.pk
    assert index.live
    assert index.url == "/classes/"
    assert client.get("/classes/").status_code == 200
    assert not TrainingIndexPage.can_create_at(home)  # max_count 1


def test_a_lesson_is_a_session_of_kind_lesson_without_a_number(tree):
    town_class = ClassFactory(parent=tree["town"])
    lessons = [SessionFactory(parent=town_class) for _ in range(2)]
    lecture = SessionFactory(parent=tree["town"])
    for lesson in lessons:
        lesson.refresh_from_db()
        assert lesson.kind == "lesson"
        assert lesson.is_lesson
        assert lesson.number is None
        assert lesson.number_label == ""
    # Lessons take no 第N期: the town's first lecture is still No. 1.
    assert lecture.kind == "lecture"
    assert lecture.number == 1


def test_a_lesson_under_the_index_belongs_to_no_forum(index):
    lesson = SessionFactory(parent=ClassFactory(parent=index))
    lesson.refresh_from_db()
    assert lesson.kind == "lesson"
    assert lesson.number is None


def test_the_district_admin_adds_a_lesson_to_a_class_in_the_admin(
    login, index, district_admin
):
    class_page = ClassFactory(parent=index)
    response = login(district_admin).post(
        add_url("sessionpage", class_page), session_form("依法行政专题")
    )
    assert response.status_code == 302
    assert not refused(response)
    lesson = SessionPage.objects.get(title="依法行政专题")
    assert lesson.get_parent().pk == class_page.pk
    assert lesson.kind == "lesson"
    assert lesson.number is None


def test_lessons_stay_out_of_the_networks_figures(tree):
    town_class = ClassFactory(parent=tree["town"])
    start = now_minute() - timedelta(days=2)
    lecture = SessionFactory(
        parent=tree["town"],
        start=start,
        status=SessionStatus.HELD,
        study_hours=Decimal("2"),
    )
    lesson = SessionFactory(
        parent=town_class,
        start=start,
        status=SessionStatus.HELD,
        study_hours=Decimal("3"),
    )
    for session, people in ((lecture, 2), (lesson, 5)):
        for _ in range(people):
            Attendance.objects.create(
                session=session,
                user=UserFactory(),
                status=AttendanceStatus.PRESENT,
                method=CheckInMethod.ROSTER,
            )
    stats = network_stats()
    assert stats.sessions_held == 1
    assert stats.participants == 2
    assert stats.unique_participants == 2
    assert Decimal(stats.study_hours_offered) == 2
    town_only = network_stats(forum=tree["town"])
    assert town_only.sessions_held == 1
    assert town_only.participants == 2
