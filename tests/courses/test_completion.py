"""Completion (结业): attendance over a trainee's own lessons, the test, and
confirmation that issues numbered certificates, all or nothing."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from courses.models import Certificate, Enrolment
from courses.services.assessment import save_answers, start_attempt
from courses.services.completion import (
    CompletionError,
    confirm,
    progress,
    progress_of_trainee,
)
from courses.services.enrolment import assign
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
from tests.factories import SessionFactory, TraineeProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(index):
    """Four held lessons, 75% to complete, no test; trainees enrolled before."""
    class_page, lessons = held_class(index, min_attendance_rate=75)
    return class_page, lessons


def enrolled_before(class_page, organiser, n=1):
    users = [TraineeProfileFactory().user for _ in range(n)]
    assign(
        class_page,
        users,
        by=organiser,
        now=at(class_page.start_date - timedelta(days=3), 9),
    )
    return users


def standing(class_page, user=None):
    return {row.enrolment.user_id: row for row in progress(class_page, user=user)}


# Attendance -------------------------------------------------------------------


def test_attendance_below_the_minimum_is_a_reason(held, organiser):
    class_page, lessons = held
    good, poor = enrolled_before(class_page, organiser, 2)
    for lesson in lessons[:3]:
        attend(lesson, good)
    attend(lessons[3], good, AttendanceStatus.ABSENT)
    attend(lessons[0], poor)
    attend(lessons[1], poor, AttendanceStatus.LATE)  # late still attended
    rows = standing(class_page)
    assert (rows[good.pk].rate, rows[good.pk].completes) == (Decimal("75.0"), True)
    assert (rows[good.pk].attended, rows[good.pk].absent) == (3, 1)
    row = rows[poor.pk]
    assert (row.lessons, row.attended, row.absent) == (4, 2, 2)  # unmarked: absent
    assert row.rate == Decimal("50.0")
    assert not row.completes
    assert row.reasons == ["出勤率 50.0% 低于 75%"]


def test_a_late_enrolment_is_not_absent_before_it(held, organiser):
    class_page, lessons = held
    late = TraineeProfileFactory().user
    # Enrolled after the first two lessons were held.
    assign(class_page, [late], by=organiser, now=lessons[2].start - timedelta(hours=1))
    for lesson in lessons[2:]:
        attend(lesson, late)
    row = standing(class_page)[late.pk]
    assert (row.lessons, row.attended, row.absent) == (2, 2, 0)
    assert row.rate == Decimal("100.0")
    assert row.completes


def test_cancelled_postponed_and_future_lessons_do_not_count(held, organiser):
    class_page, lessons = held
    (user,) = enrolled_before(class_page, organiser)
    for lesson in lessons[:2]:
        attend(lesson, user)
    lessons[2].status = SessionStatus.CANCELLED
    lessons[2].save()
    lessons[3].status = SessionStatus.POSTPONED
    lessons[3].save()
    SessionFactory(parent=class_page)  # still ahead
    row = standing(class_page)[user.pk]
    assert (row.lessons, row.attended, row.rate) == (2, 2, Decimal("100.0"))


def test_no_lesson_held_yet_misses_nothing(class_page, organiser):
    (user,) = enrolled_before(class_page, organiser)
    row = standing(class_page)[user.pk]
    assert row.lessons == 0
    assert row.rate == Decimal("100")
    assert row.completes


def test_only_the_enrolled_have_a_standing(held, organiser):
    class_page, _lessons = held
    (user,) = enrolled_before(class_page, organiser)
    Enrolment.objects.filter(user=user).update(status="withdrawn")
    assert progress(class_page) == []


# The test -------------------------------------------------------------------


@pytest.fixture
def held_with_test(index):
    """Half the lessons to attend, and a test with no window: open till confirmed."""
    return held_class(index, min_attendance_rate=50, questions=bank(), pass_mark=60)


def test_the_test_must_be_passed_when_there_is_one(held_with_test, organiser):
    class_page, lessons = held_with_test
    passed, failed, absent = enrolled_before(class_page, organiser, 3)
    for user in (passed, failed, absent):
        for lesson in lessons:
            attend(lesson, user)
    take(class_page, passed, RIGHT_ANSWERS)
    take(class_page, failed, {SINGLE: [S_WRONG]})
    rows = standing(class_page)
    assert rows[passed.pk].completes
    assert rows[passed.pk].best_score == Decimal(100)
    assert rows[failed.pk].reasons == ["测试未合格"]
    assert rows[absent.pk].reasons == ["未参加测试"]


def test_the_best_attempt_counts(held_with_test, organiser):
    class_page, lessons = held_with_test
    (user,) = enrolled_before(class_page, organiser)
    for lesson in lessons:
        attend(lesson, user)
    take(class_page, user, RIGHT_ANSWERS)
    take(class_page, user, {})
    row = standing(class_page)[user.pk]
    assert row.passed
    assert row.attempts == 2
    assert row.best_score == Decimal(100)


def test_both_reasons_at_once(held_with_test, organiser):
    class_page, _lessons = held_with_test
    (user,) = enrolled_before(class_page, organiser)
    assert standing(class_page)[user.pk].reasons == [
        "出勤率 0.0% 低于 50%",
        "未参加测试",
    ]


def test_the_trainees_own_standing_is_the_organisers(held_with_test, organiser):
    """The same question asked two ways (/me/ and the admin) has one answer."""
    class_page, lessons = held_with_test
    users = enrolled_before(class_page, organiser, 3)
    attend(lessons[0], users[0])
    attend(lessons[1], users[0], AttendanceStatus.ON_LEAVE)
    for lesson in lessons[:3]:
        attend(lesson, users[1])
    take(class_page, users[1], RIGHT_ANSWERS)
    for user in users:
        mine = progress_of_trainee(user, list(Enrolment.objects.filter(user=user)))
        (theirs,) = progress(class_page, user=user)
        mine = mine[class_page.pk]
        fields = ("lessons", "attended", "on_leave", "absent", "rate", "best_score")
        assert [getattr(mine, f) for f in fields] == [
            getattr(theirs, f) for f in fields
        ]
        assert mine.reasons == theirs.reasons


# Confirmation and certificates ------------------------------------------------


def attended_all(class_page, lessons, organiser, n):
    users = enrolled_before(class_page, organiser, n)
    for user in users:
        for lesson in lessons:
            attend(lesson, user)
    return users


def test_confirming_issues_numbered_certificates(held, organiser):
    class_page, lessons = held
    users = attended_all(class_page, lessons, organiser, 2)
    issued = confirm(class_page, [u.pk for u in users], by=organiser)
    assert len(issued) == 2
    year = issued[0].issued_on.year
    for certificate in issued:
        assert re.fullmatch(rf"JT{year}-\d{{6}}", certificate.number)
        assert certificate.study_hours == Decimal("8.0")  # 4 lessons × 2
        assert certificate.issued_by == organiser
    assert issued[0].number != issued[1].number
    names = {c.holder_name for c in issued}
    assert names == {u.trainee.real_name for u in users}


def test_confirming_again_issues_nothing_new(held, organiser):
    class_page, lessons = held
    (user,) = attended_all(class_page, lessons, organiser, 1)
    (first,) = confirm(class_page, [user.pk], by=organiser)
    assert confirm(class_page, [user.pk, str(user.pk)], by=organiser) == []
    assert Certificate.objects.get().number == first.number


def test_confirmation_is_all_or_nothing(held, organiser):
    class_page, lessons = held
    good = attended_all(class_page, lessons, organiser, 2)
    (poor,) = enrolled_before(class_page, organiser)
    with pytest.raises(CompletionError) as error:
        confirm(class_page, [*(u.pk for u in good), poor.pk], by=organiser)
    assert error.value.code == "rules"
    assert poor.trainee.real_name in error.value.message
    assert "出勤率 0.0% 低于 75%" in error.value.message
    assert not Certificate.objects.exists()


def test_confirming_someone_not_enrolled_is_refused(held, organiser):
    class_page, lessons = held
    (user,) = attended_all(class_page, lessons, organiser, 1)
    with pytest.raises(CompletionError):
        confirm(class_page, [user.pk, 999_999], by=organiser)
    with pytest.raises(CompletionError) as error:
        confirm(class_page, [], by=organiser)
    assert error.value.code == "none"
    assert not Certificate.objects.exists()


def test_no_confirmation_before_the_last_day(index, organiser):
    class_page, lessons = held_class(index)
    class_page.end_date = class_page.end_date + timedelta(days=2)
    class_page.save()
    (user,) = attended_all(class_page, lessons, organiser, 1)
    with pytest.raises(CompletionError) as error:
        confirm(class_page, [user.pk], by=organiser)
    assert error.value.code == "not_over"
    assert error.value.message == "培训班结业当日起方可确认结业。"
    last_day = at(class_page.end_date, 8)
    assert len(confirm(class_page, [user.pk], by=organiser, now=last_day)) == 1


def test_confirmation_grades_attempts_left_open(index, organiser):
    class_page, lessons = held_class(index, questions=bank(), time_limit=30)
    (user,) = attended_all(class_page, lessons, organiser, 1)
    attempt = start_attempt(class_page, user, now=lessons[-1].start)
    save_answers(class_page, user, attempt.pk, RIGHT_ANSWERS, now=lessons[-1].start)
    (certificate,) = confirm(class_page, [user.pk], by=organiser)
    attempt.refresh_from_db()
    assert attempt.passed
    assert certificate.user_id == user.pk
