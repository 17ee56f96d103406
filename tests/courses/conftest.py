"""Fixtures for training classes: the index at /classes/, a class with lessons,
its organisers and trainees, and a small question bank of each kind.

    /classes/ (migration courses 0002) → `class_page` (district organisers)
    城关镇小讲坛 `town` → `town_class` (the town's organisers)
"""

import pytest
from django.utils import timezone

from courses.models import TrainingIndexPage
from tests.factories import (
    ClassFactory,
    TraineeProfileFactory,
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


@pytest.fixture
def index(db):
    return TrainingIndexPage.objects.get()


@pytest.fixture
def class_page(index, district):
    """An upcoming class under /classes/, 10 seats, no approval, no test."""
    return ClassFactory(parent=index, capacity=10)


@pytest.fixture
def town_class(town):
    return ClassFactory(parent=town, organiser="城关镇", capacity=None)


@pytest.fixture
def trainees(db):
    """`trainees(n)` → n users with trainee profiles (name, unit, mobile)."""

    def make(n):
        return [TraineeProfileFactory().user for _ in range(n)]

    return make
