"""The unique participants summed from the kept rows are the people counted
from the attendance rows, whatever happens.

The whole network's unique participants in a period are a sum of the rows
the database keeps per day and previous visit (`VisitGaps`, kept from the
days each person came, `PersonDay`). On the generated network of the
honest-numbers tests, hypothesis runs random sequences of what happens —
registrations, check-ins, marks, roster imports, roster cleared, status
changes, rescheduling across days, months and years, unpublishing and
publishing, moves, a session becoming a class lesson, deletions of sessions
and of people — and after each, the kept rows equal a recount
(`visits_drift`) and, for random periods (starting and ending inside the
data, across years, from the first session), the kept sum equals
`COUNT(DISTINCT user)` over the attendance rows, alone and in the report.
"""

import contextlib
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lectures.models import (
    Attendance,
    CheckInMethod,
    DistrictForumPage,
    ForumPage,
    PersonDay,
    Registration,
    SessionKind,
    SessionPage,
    VisitGaps,
)
from lectures.services import roster as roster_service
from lectures.services.kept_counts import visits_drift
from stats.network import network_report
from stats.participants import kept_unique_participants
from stats.query import ReportQuery
from tests.factories import (
    UserFactory,
)
from tests.stats.test_kept_figures import MARKS, generated_network, happen, run

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def data(module_db, django_db_blocker):
    with django_db_blocker.unblock():
        # Hypothesis draws small numbers most: they pick the sessions people
        # came to, whose changes move someone's days.
        return generated_network(
            first=lambda: set(
                Attendance.objects.attended().values_list("session", flat=True)
            )
        )


def counted(start: date | None, end: date | None) -> int:
    """The definition: people present or late at a held, published lecture
    of the period, counted from the attendance rows."""
    held = ReportQuery(start=start, end=end).sessions().held()
    return (
        Attendance.objects.attended()
        .filter(session__in=held)
        .values("user")
        .distinct()
        .count()
    )


def kept(start: date | None, end: date | None) -> int:
    return kept_unique_participants(start, end or timezone.localdate())


ACTIONS = [
    "register", "cancel registration", "check in", "mark", "import",
    "clear roster", "status", "reschedule", "unpublish", "publish", "move",
    "delete", "forget person", "lesson", "mark someone",
]  # fmt: skip
steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(min_value=0, max_value=200),
        st.integers(min_value=0, max_value=400),
    ),
    min_size=1,
    max_size=12,
)
days = st.dates(min_value=date(2024, 11, 1), max_value=date(2027, 6, 30))
periods = st.lists(
    st.tuples(st.one_of(st.none(), days), st.one_of(st.none(), days)),
    min_size=1,
    max_size=4,
)


def occur(data, what: str, which: int, n: int) -> None:
    """What happens to sessions (`test_kept_figures.happen`), and to people."""
    people = data["people"]
    person = people[n % len(people)]
    if not get_user_model().objects.filter(pk=person).exists():
        return  # forgotten earlier in the sequence
    if what == "forget person":  # as an administrator deletes an account
        Attendance.objects.filter(user_id=person).delete()
        Registration.objects.filter(user_id=person).delete()
        with contextlib.suppress(ProtectedError):  # something else keeps him
            get_user_model().objects.filter(pk=person).delete()
    elif what == "mark someone":  # one on the roster marked again
        pks = data["sessions"]
        rows = Attendance.objects.filter(session_id=pks[which % len(pks)])
        row = rows.order_by("pk")[n % rows.count()] if rows.exists() else None
        if row is not None:
            status = MARKS[n % 4]
            roster_service.mark(
                row.session, row.user_id, status, reason="病假", by=None
            )
    elif what == "lesson":  # a lecture becomes a class lesson, or back
        pks = data["sessions"]
        SessionPage.objects.filter(pk=pks[which % len(pks)]).update(
            kind=[SessionKind.LESSON, SessionKind.LECTURE][n % 2]
        )
    else:
        happen(data, what, which, n)


def assert_kept_is_counted(pairs) -> None:
    assert visits_drift() == {}
    for start, end in pairs:
        if start and end and start > end:
            start, end = end, start
        assert kept(start, end) == counted(start, end), (start, end)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sequence=steps, pairs=periods)
def test_the_kept_unique_participants_are_the_people_counted(data, sequence, pairs):
    with transaction.atomic():
        run(data, sequence, occur)
        assert_kept_is_counted(pairs)
        transaction.set_rollback(True)


def test_the_report_sums_them_for_the_network_and_counts_below_it(data):
    """The report's figure: kept for the whole network (or the district's
    subtree, the same), counted for a town, a field or a tier."""
    district = DistrictForumPage.objects.get()
    town = ForumPage.objects.get(pk=data["tree"]["town"])
    field = SessionPage.objects.filter(field__isnull=False).first().field
    for start, end in [(date(2025, 3, 17), date(2026, 2, 3)), (None, None)]:
        for query in [
            ReportQuery(start=start, end=end),
            ReportQuery(start=start, end=end, forum=district),
            ReportQuery(start=start, end=end, forum=town),
            ReportQuery(start=start, end=end, field=field),
            ReportQuery(start=start, end=end, level="village"),
        ]:
            report = network_report(query)
            people = (
                Attendance.objects.attended()
                .filter(session__in=query.sessions().held())
                .values("user")
                .distinct()
                .count()
            )
            assert report.stats.unique_participants == people, query
    assert counted(date(2025, 3, 17), date(2026, 2, 3)) > 0


# A trigger missing is found ---------------------------------------------------

#: (what it keeps, the trigger on SQLite, the trigger and table on PostgreSQL)
TRIGGERS = {
    "check in": (
        "lectures_visits_attendance_added",
        ("lectures_visits_attendance_added", "lectures_attendance"),
    ),
    "unpublish": (
        "lectures_visits_published",
        ("lectures_visits_page", "wagtailcore_page"),
    ),
    "reschedule": (
        "lectures_visits_session_changed",
        ("lectures_visits_session_changed", "lectures_sessionpage"),
    ),
    "a second day": (
        "lectures_visits_day_added",
        ("lectures_visits_days", "lectures_personday"),
    ),
}


def drop_trigger(sqlite_name: str, postgresql: tuple[str, str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {sqlite_name}")
        else:
            cursor.execute('DROP TRIGGER {} ON "{}"'.format(*postgresql))


@pytest.mark.parametrize("what", TRIGGERS)
def test_a_missing_trigger_is_found(data, what):
    """The property test can fail: without one trigger, the kept rows drift
    and the kept sum differs from the count."""
    person = UserFactory()
    held = SessionPage.objects.filter(pk__in=data["sessions"]).held().live()
    first, *later = held.order_by("start")
    day = timezone.localdate(first.start)
    second = next(s for s in later if timezone.localdate(s.start) > day)
    with transaction.atomic():
        Attendance.objects.create(
            session=first, user=person, status="present", method=CheckInMethod.QR
        )
        drop_trigger(*TRIGGERS[what])
        if what == "check in":
            Attendance.objects.create(
                session=second, user=person, status="present", method="qr"
            )
        elif what == "unpublish":
            first.unpublish()
        elif what == "reschedule":
            SessionPage.objects.filter(pk=first.pk).update(
                start=first.start - timedelta(days=400)
            )
        else:
            Attendance.objects.create(
                session=second, user=person, status="late", method="qr"
            )
        assert visits_drift() != {}
        one, other = timezone.localdate(first.start), timezone.localdate(second.start)
        periods = [(None, None), (one, other), (other, other)]
        assert any(kept(*period) != counted(*period) for period in periods)
        transaction.set_rollback(True)


def test_a_drift_is_found(data):
    with transaction.atomic():
        day = PersonDay.objects.first()
        PersonDay.objects.filter(pk=day.pk).delete()  # its gaps follow
        assert ("day", day.user_id, day.day) in visits_drift()
        transaction.set_rollback(True)
    with transaction.atomic():
        gap = VisitGaps.objects.first()
        VisitGaps.objects.filter(pk=gap.pk).update(people=gap.people + 1)
        assert visits_drift() == {
            ("gap", gap.day, gap.previous): (gap.people + 1, gap.people)
        }
        transaction.set_rollback(True)
