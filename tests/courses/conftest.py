"""Fixtures for training classes: the index at /classes/, a class with lessons,
its organisers and trainees (data helpers are in `helpers.py`).

    /classes/ (migration courses 0002) → `class_page` (district organisers)
    城关镇小讲坛 `town` → `town_class` (the town's organisers)
"""

import pytest

from courses.models import TrainingIndexPage
from tests.factories import ClassFactory, TraineeProfileFactory


@pytest.fixture
def index(db):
    return TrainingIndexPage.objects.get()


@pytest.fixture
def class_page(index, district):
    """An upcoming class under /classes/, 10 seats, no approval, no test."""
    return ClassFactory(parent=index, capacity=10)


@pytest.fixture
def organiser(district_admin):
    """Who runs the classes under /classes/: the district's administrators."""
    return district_admin


@pytest.fixture
def town_class(town):
    return ClassFactory(parent=town, organiser="城关镇", capacity=None)


@pytest.fixture
def trainees(db):
    """`trainees(n)` → n users with trainee profiles (name, unit, mobile)."""

    def make(n):
        return [TraineeProfileFactory().user for _ in range(n)]

    return make
