"""The kept figures (`DayFigures`) are the sessions' own sums, whatever happens.

The network report and the forum pages read the rows the database keeps
per forum × day × field × category instead of the sessions. On the generated
network of the honest-numbers tests, hypothesis runs random sequences of what
happens to sessions — registrations, check-ins, changes of attendance,
cancellations of sessions and of registrations, roster imports, other
attendees, evaluations, rescheduling across days and months, new fields and
categories, unpublishing and publishing, moves of a session and of a forum,
deletions — and after each sequence every kept row equals a recount from the
sessions (`figures_drift`), and every report answered from the kept rows is
the report summed from the sessions themselves, figure for figure.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lectures.models import (
    Attendance,
    CheckInMethod,
    EvaluationForm,
    ForumPage,
    OtherAttendees,
    RatingTally,
    Registration,
    RegistrationStatus,
    SessionEvaluation,
    SessionPage,
    SessionStatus,
)
from lectures.services import roster as roster_service
from lectures.services.kept_counts import figures_drift
from lectures.services.overview import held_figures
from stats import facts
from stats.network import network_report
from stats.query import ReportQuery
from tests.factories import (
    CategoryFactory,
    FieldFactory,
    SessionFactory,
    UserFactory,
    build_tree,
)
from tests.stats.report_data import generate

pytestmark = pytest.mark.django_db

STATUSES = [status for status, _label in SessionStatus.choices]
MARKS = ["present", "late", "on_leave", "absent"]


def generated_network(first=None) -> dict:
    """The honest-numbers network, its people and a new field and category,
    as primary keys (each property test's module builds it once); `first`,
    if given, picks the sessions hypothesis's small numbers should draw."""
    from training_site.models import HomePage

    tree = build_tree(HomePage.objects.get())
    sessions = generate(tree)
    people = [UserFactory() for _ in range(8)]
    extra = {"field": FieldFactory(slug="kept"), "category": CategoryFactory()}
    if first is not None:
        chosen = first()
        sessions.sort(key=lambda session: session.pk not in chosen)
    return {
        "tree": {name: forum.pk for name, forum in tree.items()},
        "sessions": [session.pk for session in sessions],
        "people": [person.pk for person in people],
        **{name: item.pk for name, item in extra.items()},
    }


def run(data, sequence, step=None) -> None:
    """What hypothesis drew, each step in a savepoint: a step the product
    refuses (held before it starts) changes nothing."""
    step = step or happen
    for what, which, n in sequence:
        try:
            with transaction.atomic():
                step(data, what, which, n)
        except ValidationError:
            pass


@pytest.fixture(scope="module")
def data(module_db, django_db_blocker):
    with django_db_blocker.unblock():
        return generated_network()


def counted(query: ReportQuery, grouping=None, part=None):
    """The facts summed from the sessions themselves (of `part`'s forums)."""
    sessions = query.sessions()
    if part is not None:
        sessions = sessions.filter(part.of_forums("path", "forum_id"))
    return facts.session_facts(sessions, grouping)


def counted_report(query: ReportQuery, monkeypatch) -> dict:
    with monkeypatch.context() as patched:
        patched.setattr("stats.network.kept_facts", counted)
        patched.setattr("stats.figures.kept_facts", counted)
        return network_report(query, not_reporting_limit=None).as_dict()


def queries(data) -> list[ReportQuery]:
    forums = ForumPage.objects.in_bulk(data["tree"].values())
    town = forums[data["tree"]["town"]]
    some = SessionPage.objects.filter(field__isnull=False).first()
    return [
        ReportQuery(start=date(2025, 1, 1), end=date(2026, 12, 31)),
        ReportQuery(),
        # A period that starts and ends inside months: a town's, and the
        # whole network's (read from the kept months and the days at its
        # ends, `test_kept_months.py`).
        ReportQuery(start=date(2025, 3, 17), end=date(2026, 2, 3), forum=town),
        ReportQuery(start=date(2025, 3, 4), end=date(2026, 2, 24)),
        ReportQuery(start=date(2025, 6, 1), level="village"),
        ReportQuery(
            field=some.field if some else None, category=some.category if some else None
        ),
    ]


# What can happen to a session, as (what, which session, a number).
steps = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "register", "cancel registration", "check in", "mark", "import",
                "others", "clear roster", "status", "reschedule", "classify",
                "hours", "unpublish", "publish", "move", "move forum",
                "evaluate", "delete",
            ]
        ),
        st.integers(min_value=0, max_value=200),
        st.integers(min_value=0, max_value=400),
    ),
    min_size=1,
    max_size=10,
)  # fmt: skip


def happen(data, what: str, which: int, n: int) -> None:
    """One thing happening to a session, the way the product makes it happen."""
    pks = data["sessions"]
    session = SessionPage.objects.filter(pk=pks[which % len(pks)]).first()
    if session is None:  # deleted earlier in the sequence
        return
    people = data["people"]
    person = people[n % len(people)]
    forums = list(ForumPage.objects.filter(pk__in=data["tree"].values()))
    if what == "register":
        Registration.objects.get_or_create(
            session=session,
            user_id=person,
            defaults={"status": RegistrationStatus.CONFIRMED},
        )
    elif what == "cancel registration":
        Registration.objects.filter(session=session).update(
            status=RegistrationStatus.CANCELLED
        )
    elif what == "check in":
        Attendance.objects.get_or_create(
            session=session,
            user_id=person,
            defaults={"status": MARKS[n % 2], "method": CheckInMethod.QR},
        )
    elif what == "mark":
        roster_service.mark(session, person, MARKS[n % 4], reason="病假", by=None)
    elif what == "import":  # as the roster and network imports write: in bulk
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    user_id=user,
                    status=MARKS[(n + i) % 4],
                    method=CheckInMethod.ROSTER,
                )
                for i, user in enumerate(people[: 1 + n % len(people)])
            ],
            ignore_conflicts=True,
        )
    elif what == "others":
        roster_service.record_others(session, n, by=None)
    elif what == "clear roster":
        Attendance.objects.filter(session=session).delete()
    elif what == "status":
        session.status = STATUSES[n % len(STATUSES)]
        session.headcount = None if n % 3 == 0 else n
        session.save()
    elif what == "reschedule":  # across days, months and years
        shift = timedelta(days=n - 200, hours=n % 24)
        session.start += shift
        session.end += shift
        session.save()
    elif what == "classify":
        session.field_id = [None, data["field"], session.field_id][n % 3]
        session.category_id = [None, data["category"], session.category_id][n % 3]
        session.save()
    elif what == "hours":
        session.study_hours = Decimal(n % 40) / 10
        session.save()
    elif what == "unpublish":
        session.unpublish()
    elif what == "publish":
        session.save_revision().publish()
    elif what == "move":
        target = forums[n % len(forums)]
        if (
            not session.path.startswith(target.path)
            or session.depth != target.depth + 1
        ):
            session.move(target, pos="last-child")
    elif what == "move forum":  # a village to the other town, or back
        village = ForumPage.objects.get(pk=data["tree"]["village"])
        town, sibling = data["tree"]["town"], data["tree"]["sibling"]
        parent = village.get_parent()
        village.move(
            ForumPage.objects.get(pk=sibling if parent.pk == town else town),
            pos="last-child",
        )
    elif what == "evaluate":  # responses and tallies, either written last
        form = EvaluationForm.objects.get(is_default=True)
        evaluation, _created = SessionEvaluation.objects.get_or_create(
            session=session, defaults={"form": form}
        )

        def respond():
            evaluation.responses = n % 6
            evaluation.save()

        if n % 2:
            respond()
        tally, created = RatingTally.objects.get_or_create(
            session=session,
            indicator=form.indicators.first(),
            level=1 + n % 4,
            defaults={
                "points": 4,
                "weight": 1,
                "satisfied": n % 4 < 2,
                "count": 1 + n % 5,
            },
        )
        if not created:
            tally.count += 1 + n % 5
            tally.save()
        if not n % 2:
            respond()
    elif what == "delete":  # what keeps a session from deletion goes first
        Attendance.objects.filter(session=session).delete()
        OtherAttendees.objects.filter(session=session).delete()
        Registration.objects.filter(session=session).delete()
        session.delete()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sequence=steps)
def test_the_kept_figures_are_the_sessions_sums(data, sequence, monkeypatch):
    with transaction.atomic():
        run(data, sequence)
        assert figures_drift() == {}
        for query in queries(data):
            kept = network_report(query, not_reporting_limit=None).as_dict()
            assert kept == counted_report(query, monkeypatch), query
        transaction.set_rollback(True)


def test_the_pages_figures_are_the_sessions(data):
    """The forum pages' held sessions and person-times, from the kept rows,
    are the sessions' own, by the counting rule (`lectures.counting`)."""
    from lectures.counting import person_times

    with transaction.atomic():
        # One more, held today, counted by head with others beside it.
        village = ForumPage.objects.get(pk=data["tree"]["village"])
        session = SessionFactory(
            parent=village, status=SessionStatus.HELD, headcount=12,
            start=SessionPage.objects.order_by("start").first().start,
        )  # fmt: skip
        roster_service.record_others(session, 5, by=None)
        for forum in [None, *ForumPage.objects.filter(pk__in=data["tree"].values())]:
            sessions = SessionPage.objects.live().lectures()
            if forum is not None:
                sessions = sessions.in_subtree(forum)
            assert held_figures(forum) == (
                sessions.held().count(),
                person_times(sessions),
            )
        transaction.set_rollback(True)


def test_a_drift_is_found(data):
    """The recount can fail: a row changed behind the triggers' back is reported."""
    from lectures.models import DayFigures

    with transaction.atomic():
        row = DayFigures.objects.filter(held__gt=0).first()
        DayFigures.objects.filter(pk=row.pk).update(held=row.held + 1)
        drift = figures_drift()
        key = (row.forum_id, row.day, row.field_id, row.category_id)
        assert list(drift) == [key]
        kept, recounted = drift[key]
        assert kept[4] == recounted[4] + 1
        transaction.set_rollback(True)
