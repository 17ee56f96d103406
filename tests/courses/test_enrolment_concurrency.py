"""Enrolment under real concurrency: threads against the real database."""

from collections import Counter
from datetime import timedelta

import pytest

from courses.models import Attempt, Enrolment
from courses.services.assessment import AssessmentError, start_attempt
from courses.services.enrolment import (
    EnrolmentError,
    approve,
    assign,
    enrol,
    withdraw,
)
from lectures.models import Registration
from tests.courses.helpers import bank, now_minute
from tests.factories import ClassFactory, SessionFactory, UserFactory
from tests.lectures.test_registration_concurrency import all_at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def rows(class_page) -> Counter:
    return Counter(
        Enrolment.objects.filter(class_page=class_page).values_list("status", flat=True)
    )


def test_thirty_trainees_for_ten_seats(index):
    class_page = ClassFactory(parent=index, capacity=10)
    lesson = SessionFactory(parent=class_page, start=now_minute() + timedelta(days=11))
    users = [UserFactory() for _ in range(30)]

    got = all_at_once(lambda user: enrol(class_page, user).status, users)

    assert Counter(got) == {"enrolled": 10, "waiting": 20}
    assert rows(class_page) == {"enrolled": 10, "waiting": 20}
    # Exactly the enrolled hold a seat at the lesson.
    enrolled = set(Enrolment.objects.enrolled().values_list("user_id", flat=True))
    registered = set(
        Registration.objects.filter(session=lesson, status="confirmed").values_list(
            "user_id", flat=True
        )
    )
    assert registered == enrolled


def test_concurrent_withdrawals_promote_each_waiting_trainee_once(index):
    class_page = ClassFactory(parent=index, capacity=10)
    users = [UserFactory() for _ in range(16)]
    for user in users:
        enrol(class_page, user)
    leaving = users[:6]

    all_at_once(lambda user: withdraw(class_page, user), leaving)

    assert rows(class_page) == {"enrolled": 10, "withdrawn": 6}
    promoted = Enrolment.objects.filter(user__in=users[10:])
    assert set(promoted.values_list("status", flat=True)) == {"enrolled"}


def test_concurrent_approvals_never_overfill(index, district):
    admin = UserFactory(groups=[district.admin_group])
    class_page = ClassFactory(parent=index, capacity=5, requires_approval=True)
    pending = [enrol(class_page, UserFactory()).pk for _ in range(12)]

    got = all_at_once(lambda pk: approve(class_page, pk, by=admin).status, pending)

    assert Counter(got) == {"enrolled": 5, "waiting": 7}
    assert rows(class_page) == {"enrolled": 5, "waiting": 7}


def test_assignment_racing_self_enrolment_never_overfills(index, district):
    admin = UserFactory(groups=[district.admin_group])
    class_page = ClassFactory(parent=index, capacity=6)
    roster = [UserFactory() for _ in range(4)]
    applicants = [UserFactory() for _ in range(6)]

    def act(item):
        if item == "assign":
            try:
                return len(assign(class_page, roster, by=admin))
            except EnrolmentError:
                return "refused"
        return enrol(class_page, item).status

    all_at_once(act, ["assign", *applicants])

    counted = rows(class_page)
    assert counted["enrolled"] <= 6
    assigned = Enrolment.objects.filter(user__in=roster).count()
    assert assigned in (0, 4)  # all of the roster or none of it
    assert counted["enrolled"] + counted["waiting"] == assigned + 6


def test_one_trainee_enrolling_many_times_at_once_gets_one_row(class_page):
    user = UserFactory()
    all_at_once(lambda _: enrol(class_page, user).pk, range(8))
    assert Enrolment.objects.filter(user=user).count() == 1


def test_starting_the_test_many_times_at_once_opens_one_attempt(index, district):
    class_page = ClassFactory(parent=index, questions=bank())
    user = UserFactory()
    assign(class_page, [user], by=UserFactory(groups=[district.admin_group]))

    def start(_):
        try:
            return start_attempt(class_page, user).pk
        except AssessmentError as error:
            return error.code

    got = all_at_once(start, range(6))

    assert Attempt.objects.filter(user=user).count() == 1
    only = Attempt.objects.get(user=user).pk
    assert set(got) <= {only, "busy"}


def test_leave_asked_many_times_at_once_is_one_request(index, district):
    from courses.models import LeaveRequest
    from courses.services.leave import LeaveError, request_leave

    class_page = ClassFactory(parent=index)
    lesson = SessionFactory(parent=class_page)
    user = UserFactory()
    enrol(class_page, user)

    def ask(_):
        try:
            return request_leave(class_page, lesson, user, "出差").pk
        except LeaveError as error:
            return error.code

    got = all_at_once(ask, range(6))

    assert LeaveRequest.objects.count() == 1
    assert Counter(got)["exists"] == 5


def test_two_organisers_confirming_at_once_issue_one_certificate_each(index, district):
    from courses.models import Certificate
    from courses.services.completion import confirm
    from tests.courses.helpers import at, attend, held_class

    admins = [UserFactory(groups=[district.admin_group]) for _ in range(2)]
    class_page, lessons = held_class(index)
    users = [UserFactory() for _ in range(3)]
    assign(class_page, users, by=admins[0], now=at(class_page.start_date, 0))
    for user in users:
        for lesson in lessons:
            attend(lesson, user)

    issued = all_at_once(
        lambda admin: len(confirm(class_page, [u.pk for u in users], by=admin)),
        admins,
    )

    assert sorted(issued) == [0, 3]
    assert Certificate.objects.count() == 3
