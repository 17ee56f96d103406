"""Generated data for the report tests: held, cancelled and postponed
sessions over two years in every forum of the small network, with rosters
(present, late, on leave, absent) on some and head-counts on others."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from lectures.models import Attendance, CheckInMethod, SessionStatus
from tests.factories import CategoryFactory, FieldFactory, SessionFactory, UserFactory

STATUSES = [SessionStatus.HELD] * 6 + [SessionStatus.CANCELLED, SessionStatus.POSTPONED]
MARKS = ["present"] * 6 + ["late", "on_leave", "absent"]


def generate(tree: dict, *, seed: int = 7, per_forum: int = 6, year: int = 2025):
    """Sessions across `year` and the next in every forum; returns them."""
    rng = random.Random(seed)
    fields = [FieldFactory(name=f"领域{n}", slug=f"f{n}") for n in range(3)]
    categories = [CategoryFactory(name=f"类别{n}", slug=f"c{n}") for n in range(2)]
    people = [UserFactory() for _ in range(12)]
    sessions = []
    for forum in tree.values():
        for _n in range(per_forum):
            day = datetime(year, 1, 1) + timedelta(days=rng.randrange(0, 700))
            start = timezone.make_aware(day.replace(hour=rng.choice((9, 14, 23))))
            session = SessionFactory(
                parent=forum,
                start=start,
                status=rng.choice(STATUSES),
                field=rng.choice([*fields, None]),
                category=rng.choice([*categories, None]),
                study_hours=Decimal(rng.choice(("1.0", "2.0", "1.5"))),
                headcount=rng.choice((None, rng.randrange(5, 60))),
            )
            if session.status == SessionStatus.HELD and rng.random() < 0.6:
                for user in rng.sample(people, rng.randrange(1, len(people))):
                    Attendance.objects.create(
                        session=session,
                        user=user,
                        status=rng.choice(MARKS),
                        method=CheckInMethod.ROSTER,
                    )
            sessions.append(session)
    return sessions
