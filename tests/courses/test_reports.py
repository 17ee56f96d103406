"""The training-classes report: enrolment, attendance, pass and completion
rates counted from rows, as the class's own pages count them."""

import pytest
from django.utils import timezone

from courses.models import Attempt, Certificate, Enrolment
from lectures.models import Attendance, SessionStatus
from tests.factories import ClassFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_class_figures(tree, login):
    from datetime import date, timedelta

    klass = ClassFactory(
        parent=tree["town"], start_date=date(2025, 3, 1), end_date=date(2025, 3, 3)
    )
    other = ClassFactory(parent=tree["sibling"], start_date=date(2025, 4, 1))
    now = timezone.now()
    people = [UserFactory() for _ in range(4)]
    for user in people:
        Enrolment.objects.create(
            class_page=klass,
            user=user,
            status="enrolled",
            requested_at=now,
            enrolled_at=now - timedelta(days=30),
        )
    lessons = [
        SessionFactory(parent=klass, start=now - timedelta(days=d), status=status)
        for d, status in ((3, SessionStatus.HELD), (2, SessionStatus.CANCELLED))
    ]
    for user, mark in zip(
        people, ["present", "late", "absent", "on_leave"], strict=True
    ):
        Attendance.objects.create(
            session=lessons[0], user=user, status=mark, method="roster"
        )
        # a mark on the cancelled lesson does not count
        Attendance.objects.create(
            session=lessons[1], user=user, status="absent", method="roster"
        )
    for user, passed in ((people[0], True), (people[1], False)):
        Attempt.objects.create(
            class_page=klass,
            user=user,
            number=1,
            started_at=now,
            deadline=now,
            submitted_at=now,
            score=90 if passed else 40,
            passed=passed,
        )
    Certificate.objects.create(
        number="JT-1",
        class_page=klass,
        user=people[0],
        issued_on=date(2025, 3, 3),
        holder_name="学员",
        study_hours=4,
    )
    admin = UserFactory(username="su", is_superuser=True, is_staff=True)
    page = login(admin).get("/admin/reports/classes/", {"start": "2025-01-01"})
    rows = {row.pk: row for row in page.context["object_list"]}
    row = rows[klass.pk]
    assert (row.enrolled, row.attended, row.on_roster) == (4, 2, 4)
    assert row.attendance_rate == 50.0
    assert row.pass_rate == 50.0
    assert row.completion_rate == 25.0
    assert rows[other.pk].pass_rate == "—"
    # The town's administrators see the town's class, not the sibling's.
    town_admin = UserFactory(username="t", groups=[tree["town"].admin_group])
    page = login(town_admin).get("/admin/reports/classes/", {"start": "2025-01-01"})
    assert [row.pk for row in page.context["object_list"]] == [klass.pk]
    refused = login(town_admin).get(
        "/admin/reports/classes/", {"forum": tree["sibling"].slug}
    )
    assert refused.status_code == 403
