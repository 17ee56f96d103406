"""The counting rule: a roster where one was kept, else the declared head-count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lectures.models import Attendance, AttendanceStatus, CheckInMethod, SessionStatus
from stats.figures import network_stats
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def held(parent, **fields):
    start = timezone.now() - timedelta(days=3)
    return SessionFactory(
        parent=parent, start=start, status=SessionStatus.HELD, **fields
    )


def test_rosters_count_attendance_and_the_rest_count_heads(tree):
    roster = held(tree["town"], headcount=99)  # the roster wins over a head-count
    people = [UserFactory() for _ in range(5)]
    statuses = ["present", "present", "present", "late", "absent"]
    for user, status in zip(people, statuses, strict=True):
        Attendance.objects.create(
            session=roster, user=user, status=status, method=CheckInMethod.ROSTER
        )
    held(tree["village"], headcount=20)
    again = held(tree["village2"])
    Attendance.objects.create(
        session=again,
        user=people[0],
        status=AttendanceStatus.LATE,
        method=CheckInMethod.QR,
    )

    stats = network_stats()
    assert stats.sessions_held == 3
    assert stats.participants == 4 + 20 + 1
    assert stats.unique_participants == 4
    assert stats.by_level["unit"] == {"sessions_held": 1, "participants": 4}
    assert stats.by_level["village"] == {"sessions_held": 2, "participants": 21}
