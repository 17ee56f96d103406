"""The database keeps roster and rating counts, whatever writes the rows."""

import pytest

from lectures.models import (
    Attendance,
    AttendanceStatus,
    AttendeeCount,
    CheckInMethod,
    RatingCount,
    RatingTally,
    RosterCount,
)
from lectures.services.evaluations import submit
from lectures.services.kept_counts import attendee_drift, rating_drift, roster_drift
from tests.factories import UserFactory, answer, attended, ended_session, make_form

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
    assert roster_drift() == {}


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
    assert roster_drift() == {first.pk: ((3, 1), (3, 3))}


# Ratings ------------------------------------------------------------------------


def ratings(session) -> tuple[int, int]:
    found = RatingCount.objects.filter(session=session).first()
    return (found.rated, found.satisfied) if found else (0, 0)


@pytest.fixture
def form(tree):
    form = make_form("两项评估表", 1, 3, scale=4)  # 3 and 4 are satisfied
    tree["district"].evaluation_form = form
    tree["district"].save()
    return form


def evaluate(session, form, *answers):
    for levels in answers:
        (user,) = attended(session, UserFactory())
        submit(session, user, answer(form, *levels))


def test_every_evaluation_is_counted_as_it_comes_in(two, form):
    first, _ = two
    evaluate(first, form, (4, 4))
    assert ratings(first) == (2, 2)
    evaluate(first, form, (3, 2), (4, 1))
    assert ratings(first) == (6, 4)
    assert rating_drift() == {}


def test_every_kind_of_write_to_the_tallies_is_counted(two, form):
    first, second = two
    evaluate(first, form, (4, 4), (3, 2), (4, 1))
    # A tally changed by save(): two more ratings at a satisfied level
    tally = RatingTally.objects.get(
        session=first, level=4, indicator=form.indicators.first()
    )
    tally.count += 2
    tally.save()
    assert ratings(first) == (8, 6)
    # Unsatisfied levels moved to another session by QuerySet.update()
    RatingTally.objects.filter(session=first, satisfied=False).update(session=second)
    assert ratings(first) == (6, 6)
    assert ratings(second) == (2, 0)
    # Deleted one by one, in bulk, and with the session itself
    RatingTally.objects.filter(session=second).first().delete()
    RatingTally.objects.filter(session=first, level=3).delete()
    assert ratings(first) == (5, 5)
    assert rating_drift() == {}
    second.delete()
    assert not RatingCount.objects.filter(session_id=second.pk).exists()
    assert rating_drift() == {}


def test_rating_drift_names_a_session_whose_counts_are_wrong(two, form):
    first, _ = two
    evaluate(first, form, (4, 4), (3, 2))
    RatingCount.objects.filter(session=first).update(satisfied=0)
    assert rating_drift() == {first.pk: ((4, 0), (4, 3))}


# People ------------------------------------------------------------------------


def came(user) -> int:
    found = AttendeeCount.objects.filter(user=user).first()
    return found.attended if found else 0


def test_every_kind_of_write_counts_who_came(two):
    first, second = two
    ann, bob, cai = UserFactory.create_batch(3)
    attended(first, ann, bob)
    attended(second, ann)
    attended(second, cai, status=AttendanceStatus.ABSENT)
    assert (came(ann), came(bob), came(cai)) == (2, 1, 0)
    # A status changed by save() and by QuerySet.update(); a row given to
    # another person; deletes one by one and in bulk.
    row = Attendance.objects.get(session=second, user=cai)
    row.status = AttendanceStatus.LATE
    row.save()
    Attendance.objects.filter(session=first, user=bob).update(
        status=AttendanceStatus.ON_LEAVE
    )
    assert (came(ann), came(bob), came(cai)) == (2, 0, 1)
    Attendance.objects.filter(session=first, user=ann).update(user=cai)
    assert (came(ann), came(cai)) == (1, 2)
    Attendance.objects.filter(session=first, user=bob).update(
        status=AttendanceStatus.PRESENT
    )
    assert came(bob) == 1
    Attendance.objects.get(session=second, user=ann).delete()
    Attendance.objects.filter(session=second).delete()
    assert (came(ann), came(bob), came(cai)) == (0, 1, 1)
    assert attendee_drift() == {}


def test_attendee_drift_names_a_person_whose_count_is_wrong(two):
    first, _ = two
    (ann,) = attended(first, UserFactory())
    AttendeeCount.objects.filter(user=ann).update(attended=5)
    assert attendee_drift() == {ann.pk: (5, 1)}
