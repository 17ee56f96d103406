"""Data for class tests: a question bank of each kind, a class that has been
held, attendance marks."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from courses.services.assessment import start_attempt, submit
from lectures.models import Attendance, AttendanceStatus, CheckInMethod, SessionStatus
from tests.factories import (
    ClassFactory,
    SessionFactory,
    choice_question,
    question_id,
    true_false_question,
)

# The bank's ids, for tests that answer it.
SINGLE, MULTIPLE, TRUE_FALSE = question_id(1), question_id(2), question_id(3)
S_RIGHT, S_WRONG, S_OTHER = question_id(11), question_id(12), question_id(13)
M_A, M_B, M_WRONG = question_id(21), question_id(22), question_id(23)
RIGHT_ANSWERS = {SINGLE: [S_RIGHT], MULTIPLE: [M_A, M_B], TRUE_FALSE: ["true"]}


def bank() -> list[dict]:
    """Three questions, one of each kind, one point each."""
    return [
        choice_question(
            SINGLE,
            "single",
            "干部教育培训的根本目的是？",
            [
                (S_RIGHT, "提高素质", True),
                (S_WRONG, "凑学时", False),
                (S_OTHER, "评优", False),
            ],
            explanation="条例第一条。",
        ),
        choice_question(
            MULTIPLE,
            "multiple",
            "下列哪些属于培训类型？",
            [
                (M_A, "业务培训", True),
                (M_B, "初任培训", True),
                (M_WRONG, "旅游观光", False),
            ],
            explanation="两项都是。",
        ),
        true_false_question(
            TRUE_FALSE, "请假经批准记为请假。", "true", explanation="见考勤规定。"
        ),
    ]


def now_minute():
    return timezone.now().replace(second=0, microsecond=0)


def held_class(parent, *, lessons: int = 4, hours: str = "2", **fields):
    """A class that ran over the last days, its lessons all held.

    Returns (class page, lessons oldest first): one lesson a day at 9:00,
    the last one yesterday.
    """
    today = timezone.localdate()
    first = today - timedelta(days=lessons)
    fields.setdefault("start_date", first)
    fields.setdefault("end_date", today - timedelta(days=1))
    class_page = ClassFactory(parent=parent, **fields)
    held = [
        SessionFactory(
            parent=class_page,
            start=at(first + timedelta(days=n), 9),
            status=SessionStatus.HELD,
            study_hours=Decimal(hours),
        )
        for n in range(lessons)
    ]
    return class_page, held


def at(day: date, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def attend(lesson, user, status=AttendanceStatus.PRESENT):
    return Attendance.objects.create(
        session=lesson, user=user, status=status, method=CheckInMethod.ROSTER
    )


def take(class_page, user, answers, **kwargs):
    attempt = start_attempt(class_page, user, **kwargs)
    return submit(class_page, user, attempt.pk, answers, **kwargs)
