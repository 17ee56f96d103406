"""Fixtures for lectures on demand, on the small network of tests/conftest.py:

district ← district_admin, `district_lecturer` (with a login)
  town ← town_admin, `lecturer` (the town's; `topic` is his)
    village ← village_admin (orders `topic` for the village)
  sibling ← `sibling_admin`
"""

import pytest

from tests.factories import LecturerFactory, UserFactory
from tests.topics.factories import TopicFactory


@pytest.fixture
def town_lecturer(lecturer):
    """The town lecturer's profile (the `lecturer` fixture is his login)."""
    return lecturer.lecturer


@pytest.fixture
def topic(town_lecturer):
    return TopicFactory(lecturers=[town_lecturer], title="农村集体经济发展")


@pytest.fixture
def sibling_admin(tree):
    return UserFactory(username="sibling_admin", groups=[tree["sibling"].admin_group])


@pytest.fixture
def district_lecturer(district):
    user = UserFactory(username="district_lecturer")
    LecturerFactory(user=user, forums=[district], name="区讲师")
    return user
