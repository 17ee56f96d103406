"""The kept figures per forum × day (DayFigures) on PostgreSQL: writers of
one key take turns, and a transaction writing many keys holds no more locks
of the shared lock table than one writing a single key (SQLite takes writers
one at a time and has no lock table)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from lectures.models import Attendance, DayFigures, SessionPage, SessionStatus
from lectures.services.kept_counts import figures_drift, visits_drift
from tests.concurrency import all_at_once
from tests.factories import SessionFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL's locks; SQLite takes writers one at a time",
    ),
]

MANY = 200


def locks_held() -> tuple[int, int]:
    """The shared lock table's entries this connection holds: (advisory
    locks, locks on tables and indexes); row locks live in the rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FILTER (WHERE locktype = 'advisory'),"
            " COUNT(*) FILTER (WHERE locktype = 'relation')"
            " FROM pg_locks WHERE pid = pg_backend_pid()"
        )
        return tuple(cursor.fetchone())


def relations() -> int:
    """Tables, indexes and sequences of the schema: what relation locks are
    bounded by, whatever plans the database chooses."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
        )
        return cursor.fetchone()[0]


def write_days(sessions: list[int], person) -> tuple[int, int]:
    """In one transaction, a check-in of `person` at each session and a
    headcount changed at each: locks held at the end."""
    with transaction.atomic():
        Attendance.objects.bulk_create(
            Attendance(session_id=pk, user=person, status="present", method="qr")
            for pk in sessions
        )
        SessionPage.objects.filter(pk__in=sessions).update(headcount=30)
        return locks_held()


@pytest.fixture
def held_on_many_days(tree):
    """Held lectures of one village, each on a day of its own."""
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=MANY + 5)
    return [
        SessionFactory(
            parent=tree["village"],
            start=start + timedelta(days=n),
            end=start + timedelta(days=n, hours=2),
            status=SessionStatus.HELD,
        ).pk
        for n in range(MANY + 1)
    ]


def test_writing_many_forum_days_holds_as_many_locks_as_writing_one(held_on_many_days):
    """One forum × day written in a transaction, then 200 in another: the
    same locks. The shared lock table holds max_locks_per_transaction ×
    (max_connections + max_prepared_transactions) entries for every session
    together; a lock per key written would exhaust it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_locks_per_transaction')::int"
            " * (current_setting('max_connections')::int"
            " + current_setting('max_prepared_transactions')::int)"
        )
        table = cursor.fetchone()[0]

    one = write_days(held_on_many_days[:1], UserFactory())
    many = write_days(held_on_many_days[1:], UserFactory())

    # Advisory locks: as many for 200 keys as for one. Relation locks:
    # which indexes a statement opens depends on the plan the statistics of
    # the moment choose (the whole suite's run once chose another for the
    # 200), so they are held to the schema's size, not to equality.
    assert many[0] == one[0]
    assert many[1] <= relations()
    assert sum(many) < MANY <= table / 10
    assert DayFigures.objects.filter(held=1, roster_attended=1).count() == MANY + 1
    assert figures_drift() == {}
    assert visits_drift() == {}


def test_one_forum_days_writers_take_turns(tree):
    """Check-ins at several sessions of one forum on one day and their
    statuses changed, all at once: each recount of the day's row reads what
    the others committed, so the row is the sessions' sum."""
    start = timezone.now().replace(hour=2, minute=0, second=0, microsecond=0)
    start -= timedelta(days=3)
    sessions = [
        SessionFactory(
            parent=tree["village"],
            start=start + timedelta(hours=n),
            end=start + timedelta(hours=n + 1),
            status=SessionStatus.HELD if n % 2 else SessionStatus.SCHEDULED,
        ).pk
        for n in range(6)
    ]
    people = [UserFactory() for _ in range(6)]

    def write(item):
        kind, n = item
        if kind == "in":
            Attendance.objects.create(
                session_id=sessions[n], user=people[n], status="present", method="qr"
            )
        else:
            SessionPage.objects.filter(pk=sessions[n]).update(
                status=SessionStatus.HELD, headcount=10 + n
            )

    checked_in = [("in", n) for n in range(6)]
    all_at_once(write, checked_in + [("held", n) for n in range(0, 6, 2)])

    row = DayFigures.objects.get(forum_id=tree["village"].pk)
    assert (row.sessions, row.held, row.roster_attended) == (6, 6, 6)
    assert figures_drift() == {}
    assert visits_drift() == {}


def _waiting_for_a_lock() -> bool:
    """Another connection waits for a lock (pg_locks is read live, unlike
    pg_stat_activity, which a transaction reads once)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def test_a_check_in_while_its_session_is_marked_held_is_counted(tree):
    """A check-in at a session not held changes no figure and recounts
    nothing; one made while another transaction marks the session held
    waits for that status and is counted (read without waiting, it saw the
    session not held, and the marking's recount, made before the check-in,
    missed it: the day's figure one short)."""
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    session = SessionFactory(
        parent=tree["village"],
        start=start,
        end=start + timedelta(hours=2),
        status=SessionStatus.SCHEDULED,
    )
    person = UserFactory()
    marked, checked_in = threading.Event(), threading.Event()

    def mark_held():
        with transaction.atomic():
            SessionPage.objects.filter(pk=session.pk).update(status=SessionStatus.HELD)
            marked.set()
            # Committed once the check-in waits for it, or has finished.
            for _ in range(2000):
                if checked_in.is_set() or _waiting_for_a_lock():
                    break
                time.sleep(0.005)

    def check_in():
        marked.wait()
        try:
            Attendance.objects.create(
                session=session, user=person, status="present", method="qr"
            )
        finally:
            checked_in.set()

    all_at_once(lambda step: step(), [mark_held, check_in])

    row = DayFigures.objects.get(forum_id=tree["village"].pk)
    assert (row.held, row.roster_size, row.roster_attended) == (1, 1, 1)
    assert figures_drift() == {}
    # The person's day (unique participants) as well: its trigger reads the
    # status after the day's, so after the wait.
    assert visits_drift() == {}
