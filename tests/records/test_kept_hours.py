"""The database keeps each cadre's hours a year by source (`YearHours`),
whatever writes the rows, and the ledger reads them."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from lectures.models import Attendance, AttendanceStatus, CheckInMethod, SessionPage
from records.models import ExternalStatus, ExternalTraining, Source, YearHours
from records.services.kept_hours import year_hours_drift
from records.services.ledger import ledger
from tests.factories import SessionFactory, UserFactory, attended
from tests.records.helpers import LAST_YEAR, elsewhere, session_on

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def kept(user, year=LAST_YEAR) -> dict:
    row = YearHours.objects.filter(user=user, year=year).values().first() or {}
    return {
        key: value
        for key, value in row.items()
        if key not in ("id", "user_id", "year") and value
    }


def test_every_kind_of_attendance_write_is_kept(tree):
    ann, bob, cai = UserFactory.create_batch(3)
    first = session_on(tree["village"], date(LAST_YEAR, 3, 1), "2.5", ann)
    second = session_on(tree["town"], date(LAST_YEAR, 4, 1), "1.5")
    assert kept(ann) == {"sessions": 25, "attended": 1}
    attended(first, bob, status=AttendanceStatus.ABSENT)
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=second,
                user=user,
                status=AttendanceStatus.LATE,
                method=CheckInMethod.BULK,
            )
            for user in (ann, cai)
        ]
    )
    assert kept(ann) == {"sessions": 40, "attended": 2}
    assert kept(bob) == {}
    # A status by save() and by update(), a row given to another person or
    # moved to another session, deletes one by one and in bulk.
    row = Attendance.objects.get(session=first, user=bob)
    row.status = AttendanceStatus.PRESENT
    row.save()
    assert kept(bob) == {"sessions": 25, "attended": 1}
    Attendance.objects.filter(session=second).update(status=AttendanceStatus.ON_LEAVE)
    assert kept(ann) == {"sessions": 25, "attended": 1}
    assert kept(cai) == {}
    Attendance.objects.filter(session=first, user=bob).update(user=cai)
    assert (kept(bob), kept(cai)) == ({}, {"sessions": 25, "attended": 1})
    Attendance.objects.filter(session=second, user=ann).delete()
    Attendance.objects.filter(session=first, user=ann).update(session=second)
    assert kept(ann) == {"sessions": 15, "attended": 1}
    assert year_hours_drift() == {}
    Attendance.objects.all().delete()
    assert (kept(ann), kept(bob), kept(cai)) == ({}, {}, {})
    assert year_hours_drift() == {}


def test_a_session_changed_moves_everyone_s_hours(tree):
    ann, bob = UserFactory.create_batch(2)
    session = session_on(tree["village"], date(LAST_YEAR, 3, 1), "2", ann, bob)
    attended(session, UserFactory(), status=AttendanceStatus.ABSENT)
    session.study_hours = Decimal("3.5")
    session.save()
    assert kept(ann) == kept(bob) == {"sessions": 35, "attended": 1}
    SessionPage.objects.filter(pk=session.pk).update(kind="lesson")
    assert kept(ann) == {"lessons": 35, "attended": 1}
    # Moved to another year: out of the last, into this one.
    SessionPage.objects.filter(pk=session.pk).update(
        start=datetime(LAST_YEAR + 1, 2, 1, 9, tzinfo=SHANGHAI),
        end=datetime(LAST_YEAR + 1, 2, 1, 11, tzinfo=SHANGHAI),
    )
    assert kept(ann) == {}
    assert kept(ann, LAST_YEAR + 1) == {"lessons": 35, "attended": 1}
    # Saved unchanged: nothing moves.
    SessionPage.objects.get(pk=session.pk).save()
    assert kept(bob, LAST_YEAR + 1) == {"lessons": 35, "attended": 1}
    assert year_hours_drift() == {}


@pytest.mark.parametrize(
    ("local", "year"),
    [
        (datetime(LAST_YEAR, 12, 31, 23, 30), LAST_YEAR),
        (datetime(LAST_YEAR + 1, 1, 1, 0, 30), LAST_YEAR + 1),
    ],
)
def test_the_year_is_the_year_in_shanghai(tree, local, year):
    """23:30 on New Year's Eve in Shanghai is 15:30 UTC, half past midnight
    16:30 UTC the same day: the year is Shanghai's."""
    ann = UserFactory()
    start = local.replace(tzinfo=SHANGHAI)
    session = SessionFactory(
        parent=tree["village"],
        start=start,
        end=start.replace(minute=59),
        study_hours=Decimal(2),
        status="held",
    )
    attended(session, ann)
    assert kept(ann, year) == {"sessions": 20, "attended": 1}
    assert ledger(ann, year).earned[Source.SESSIONS] == 2
    assert year_hours_drift() == {}


def test_training_elsewhere_counts_once_approved_and_as_changed(tree):
    ann, bob = UserFactory.create_batch(2)
    course = elsewhere(ann, "party_school", "12", status=ExternalStatus.PENDING)
    assert kept(ann) == {}
    course.status = ExternalStatus.APPROVED
    course.hours = Decimal("10.5")
    course.save()
    assert kept(ann) == {"party_school": 105}
    ExternalTraining.objects.filter(pk=course.pk).update(kind="online")
    assert kept(ann) == {"online": 105}
    ExternalTraining.objects.filter(pk=course.pk).update(hours=Decimal(8), user=bob)
    assert (kept(ann), kept(bob)) == ({}, {"online": 80})
    ExternalTraining.objects.filter(pk=course.pk).update(
        start_date=date(LAST_YEAR + 1, 1, 2), end_date=date(LAST_YEAR + 1, 1, 3)
    )
    assert (kept(bob), kept(bob, LAST_YEAR + 1)) == ({}, {"online": 80})
    elsewhere(bob, "assigned", "4", ended=date(LAST_YEAR + 1, 5, 1))
    elsewhere(bob, "other", "3", status=ExternalStatus.REFUSED)
    assert kept(bob, LAST_YEAR + 1) == {"online": 80, "assigned": 40}
    ExternalTraining.objects.filter(pk=course.pk).update(status=ExternalStatus.REFUSED)
    assert kept(bob, LAST_YEAR + 1) == {"assigned": 40}
    assert year_hours_drift() == {}
    ExternalTraining.objects.all().delete()
    assert kept(bob, LAST_YEAR + 1) == {}
    assert year_hours_drift() == {}


def test_drift_names_a_year_whose_hours_are_wrong(tree):
    ann = UserFactory()
    session_on(tree["village"], date(LAST_YEAR, 3, 1), "2", ann)
    YearHours.objects.filter(user=ann).update(sessions=7)
    assert year_hours_drift() == {
        (ann.pk, LAST_YEAR): ((7, 0, 0, 0, 0, 0, 1), (20, 0, 0, 0, 0, 0, 1))
    }


def test_the_ledger_reads_the_kept_hours(tree):
    ann = UserFactory()
    session_on(tree["village"], date(LAST_YEAR, 3, 1), "2", ann)
    YearHours.objects.filter(user=ann).update(online=15)
    assert ledger(ann, LAST_YEAR).earned[Source.ONLINE] == Decimal("1.5")
