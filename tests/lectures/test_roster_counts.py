"""The database keeps each session's roster counts, whatever writes the rows."""

import pytest

from lectures.models import Attendance, AttendanceStatus, CheckInMethod, RosterCount
from lectures.services.roster_counts import drift
from tests.factories import UserFactory, attended, ended_session

pytestmark = pytest.mark.django_db


def counts(session) -> tuple[int, int]:
    found = RosterCount.objects.filter(session=session).first()
    return (found.on_roster, found.attended) if found else (0, 0)


@pytest.fixture
def two(tree):
    return ended_session(tree["village"]), ended_session(tree["town"])


def test_every_kind_of_write_is_counted(two):
    first, second = two
    people = UserFactory.create_batch(6)
    attended(first, *people[:2])  # Model.objects.create
    attended(first, people[2], status=AttendanceStatus.ABSENT)
    Attendance.objects.bulk_create(
        Attendance(session=first, user=user, status=status, method=CheckInMethod.BULK)
        for user, status in zip(
            people[3:],
            [
                AttendanceStatus.LATE,
                AttendanceStatus.ON_LEAVE,
                AttendanceStatus.PRESENT,
            ],
            strict=True,
        )
    )
    assert counts(first) == (6, 4)

    # A status changed by save() and by QuerySet.update()
    row = Attendance.objects.get(session=first, user=people[2])
    row.status = AttendanceStatus.LATE
    row.save()
    assert counts(first) == (6, 5)
    Attendance.objects.filter(session=first, status=AttendanceStatus.PRESENT).update(
        status=AttendanceStatus.ABSENT
    )
    assert counts(first) == (6, 2)

    # A row moved to another session, then deleted one by one and in bulk
    Attendance.objects.filter(session=first, user=people[3]).update(session=second)
    assert counts(first) == (5, 1)
    assert counts(second) == (1, 1)
    Attendance.objects.get(session=second).delete()
    assert counts(second) == (0, 0)
    Attendance.objects.filter(session=first).delete()
    assert counts(first) == (0, 0)
    assert drift() == {}


def test_a_change_that_keeps_the_status_changes_nothing(two):
    first, _ = two
    (user,) = attended(first, UserFactory())
    Attendance.objects.filter(session=first).update(leave_reason="x")
    Attendance.objects.get(session=first, user=user).save()
    assert counts(first) == (1, 1)


def test_drift_names_a_session_whose_counts_are_wrong(two):
    first, _ = two
    attended(first, *UserFactory.create_batch(3))
    RosterCount.objects.filter(session=first).update(attended=1)
    assert drift() == {first.pk: ((3, 1), (3, 3))}
