"""Unique participants: the same count whichever way the database counts them."""

import pytest

from lectures.models import Attendance, AttendanceStatus, SessionPage
from stats.participants import unique_participants
from tests.factories import UserFactory, attended, ended_session

pytestmark = pytest.mark.django_db


def people_at(sessions) -> int:
    return len(
        set(
            Attendance.objects.attended()
            .filter(session__in=sessions)
            .values_list("user", flat=True)
        )
    )


@pytest.fixture
def held(tree):
    """Ten held sessions; the same people come to several of them."""
    people = UserFactory.create_batch(12)
    sessions = []
    for n in range(10):
        session = ended_session(tree["village"], hours_ago=n + 1)
        attended(session, *people[n : n + 3])
        attended(session, people[(n + 5) % 12], status=AttendanceStatus.LATE)
        attended(session, people[(n + 7) % 12], status=AttendanceStatus.ABSENT)
        sessions.append(session)
    return sessions


def test_a_selection_holding_most_attendance_counts_each_person_once(held):
    # All the attendance: on SQLite, counted by person along the index.
    every = SessionPage.objects.filter(pk__in=[s.pk for s in held])
    assert unique_participants(every) == people_at(held) == 12


def test_most_of_the_attendance_leaves_out_who_came_only_to_the_rest(held):
    # Eight sessions of ten: on SQLite, everyone less those seen only at
    # the two left out (and a person who came to nothing selected at all).
    attended(held[9], UserFactory())
    most = SessionPage.objects.filter(pk__in=[s.pk for s in held[:8]])
    assert unique_participants(most) == people_at(held[:8])
    assert people_at(held[:8]) < people_at(held)


def test_a_small_selection_counts_each_person_once(held):
    # Two sessions of ten: on SQLite, counted session by session.
    few = SessionPage.objects.filter(pk__in=[held[0].pk, held[1].pk])
    assert unique_participants(few) == people_at(held[:2]) == 6


def test_absent_and_on_leave_are_not_participants(tree):
    session = ended_session(tree["village"])
    attended(session, UserFactory(), status=AttendanceStatus.ABSENT)
    attended(session, UserFactory(), status=AttendanceStatus.ON_LEAVE)
    assert unique_participants(SessionPage.objects.filter(pk=session.pk)) == 0


def test_nothing_selected_is_nobody(held):
    assert unique_participants(SessionPage.objects.none()) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_network_report_counts_them_beside_its_other_queries(tree):
    from stats.network import network_report
    from stats.query import ReportQuery

    people = UserFactory.create_batch(4)
    for n in range(3):
        attended(ended_session(tree["village"], hours_ago=n + 1), *people[n : n + 2])
    report = network_report(ReportQuery())
    assert report.stats.unique_participants == 4
    assert report.stats.participants == 6
