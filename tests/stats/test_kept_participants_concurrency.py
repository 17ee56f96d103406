"""One person's days written by several transactions at once: each writer of
his days reads the days the others committed (PostgreSQL; SQLite takes
writers one at a time), so the kept gaps stay exact."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lectures.models import Attendance, PersonDay, SessionPage, SessionStatus
from lectures.services.kept_counts import visits_drift
from stats.participants import kept_unique_participants
from tests.concurrency import all_at_once
from tests.factories import SessionFactory, UserFactory
from tests.stats.test_kept_participants import counted

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_one_persons_days_written_at_once_keep_his_gaps(tree):
    """Sessions he came to, held at once on six days, and check-ins of his
    at once on six more: each writer reads the days the others committed."""
    person = UserFactory()
    now = timezone.now().replace(microsecond=0)
    marked = []
    for n in range(6):  # scheduled, marked present: not counted yet
        session = SessionFactory(
            parent=tree["village"],
            start=now - timedelta(days=40 - 3 * n),
            end=now - timedelta(days=40 - 3 * n, hours=-2),
            status=SessionStatus.SCHEDULED,
        )
        Attendance.objects.create(
            session=session, user=person, status="present", method="roster"
        )
        marked.append(session.pk)
    others = [
        SessionFactory(
            parent=tree["town"],
            start=now - timedelta(days=39 - 3 * n),
            end=now - timedelta(days=39 - 3 * n, hours=-2),
            status=SessionStatus.HELD,
        ).pk
        for n in range(6)
    ]

    def write(item):
        kind, pk = item
        if kind == "held":
            SessionPage.objects.filter(pk=pk).update(status=SessionStatus.HELD)
        else:
            Attendance.objects.create(
                session_id=pk, user=person, status="present", method="qr"
            )

    all_at_once(write, [("held", pk) for pk in marked] + [("in", pk) for pk in others])

    assert PersonDay.objects.filter(user=person).count() == 12
    assert visits_drift() == {}
    start = timezone.localdate(now) - timedelta(days=30)
    today = timezone.localdate()
    assert kept_unique_participants(start, today) == counted(start, None) >= 1
