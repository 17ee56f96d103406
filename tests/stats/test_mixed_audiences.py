"""Mixed audiences, counted honestly: cadres on the roster (or a village's
head-count) and the others (群众, other units) counted without names.

Person-times = cadres + others, by one rule for sessions with a roster and
for those counted by head. On the generated network of the honest-numbers
tests (`test_reports.py`, which proves every figure unchanged without the
count), hypothesis spreads counts of other attendees over the sessions: the
totals equal a count by hand, every breakdown still adds up to them, adjacent
periods still add up to their union, only the person-times move (by exactly
the others of held sessions), and the cadres are what the person-times were
before. The roster page takes the count with a translated refusal of
anything but a whole number from 0.
"""

import io
import json
from dataclasses import asdict
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from lectures.counting import person_times, person_times_apart, with_person_times
from lectures.models import (
    Attendance,
    CheckInMethod,
    OtherAttendees,
    SessionPage,
    SessionStatus,
)
from lectures.services import roster as roster_service
from lectures.services.kept_counts import roster_drift
from stats.figures import ADDITIVE, Figures
from stats.network import network_report
from stats.paragraph import work_report_paragraph
from stats.people import lecturer_rows
from stats.query import ReportQuery
from tests.factories import LecturerFactory, SessionFactory, UserFactory, build_tree
from tests.stats.report_data import generate

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2026, 12, 31)
WHOLE = ReportQuery(start=START, end=END)


@pytest.fixture(scope="module")
def data(module_db, django_db_blocker):
    from training_site.models import HomePage

    with django_db_blocker.unblock():
        tree = build_tree(HomePage.objects.get())
        sessions = generate(tree)
        before = network_report(WHOLE)
    return {"tree": tree, "sessions": sessions, "before": before}


def additive(figures: Figures) -> dict:
    return {name: getattr(figures, name) for name in ADDITIVE}


def by_hand(sessions, others: dict[int, int]) -> dict:
    """The counting rule in Python, row by row: cadres from the roster (or
    the head-count without one), others from the count entered."""
    totals = dict.fromkeys(ADDITIVE, 0)
    for session in sessions:
        if session.status == SessionStatus.CANCELLED:
            totals["sessions_cancelled"] += 1
        if session.status == SessionStatus.POSTPONED:
            totals["sessions_postponed"] += 1
        if session.status != SessionStatus.HELD:
            continue
        marks = list(Attendance.objects.filter(session=session))
        came = [m for m in marks if m.status in ("present", "late")]
        cadres = len(came) if marks else (session.headcount or 0)
        totals["sessions_held"] += 1
        totals["participants"] += cadres + others.get(session.pk, 0)
        totals["other_participants"] += others.get(session.pk, 0)
        totals["roster_size"] += len(marks)
        totals["roster_attended"] += len(came)
        totals["study_hours_offered"] += session.study_hours
        totals["study_hours_credited"] += session.study_hours * len(came)
    return totals


#: Which sessions (by index into the generated ones) record how many others.
spreads = st.dictionaries(
    st.integers(min_value=0, max_value=35),
    st.integers(min_value=0, max_value=300),
    max_size=12,
)


def record(sessions, spread: dict[int, int]) -> dict[int, int]:
    """Write the counts as plain rows; {session id: count}."""
    chosen = {sessions[i % len(sessions)].pk: n for i, n in spread.items()}
    OtherAttendees.objects.bulk_create(
        OtherAttendees(session_id=pk, count=n) for pk, n in chosen.items()
    )
    return chosen


@settings(max_examples=25)
@given(spread=spreads)
def test_the_others_add_to_person_times_and_nothing_else(data, spread):
    sessions = data["sessions"]
    with transaction.atomic():
        others = record(sessions, spread)
        held = {s.pk for s in sessions if s.status == SessionStatus.HELD}
        report = network_report(WHOLE)
        stats = report.stats
        everything = SessionPage.objects.filter(pk__in=[s.pk for s in sessions])
        assert additive(stats) == by_hand(everything, others)
        added = sum(n for pk, n in others.items() if pk in held)
        before = data["before"].stats
        assert stats.other_participants == added
        assert stats.participants == before.participants + added
        # The cadres are what the person-times were without the count.
        assert stats.cadre_participants == before.participants
        unchanged = set(ADDITIVE) - {"participants", "other_participants"}
        assert {n: getattr(stats, n) for n in unchanged} == {
            n: getattr(before, n) for n in unchanged
        }
        assert stats.unique_participants == before.unique_participants
        assert stats.attendance_rate == before.attendance_rate
        # Every breakdown still adds up to the totals.
        for name, rows in report.breakdowns().items():
            assert additive(sum(rows, Figures())) == additive(stats), name
        # Public pages count by the same rule.
        assert person_times(everything) == stats.participants
        assert person_times_apart(everything) == (before.participants, added)
        transaction.set_rollback(True)


@settings(max_examples=10)
@given(spread=spreads, split=st.integers(min_value=1, max_value=729))
def test_adjacent_periods_still_add_up_with_others(data, spread, split):
    cut = START + timedelta(days=split)
    with transaction.atomic():
        record(data["sessions"], spread)
        union = network_report(WHOLE).stats
        first = network_report(ReportQuery(start=START, end=cut)).stats
        second = network_report(ReportQuery(start=cut + timedelta(days=1), end=END))
        assert additive(first + second.stats) == additive(union)
        transaction.set_rollback(True)


@settings(max_examples=8)
@given(spread=spreads)
def test_the_json_keeps_its_keys_and_the_paragraph_the_total(data, spread):
    with transaction.atomic():
        record(data["sessions"], spread)
        out = io.StringIO()
        call_command(
            "lecture_stats", "--from", "2025-01-01", "--to", "2026-12-31",
            "--format", "json", stdout=out,
        )  # fmt: skip
        found = json.loads(out.getvalue())
        stats = network_report(WHOLE).stats
        # The contract's keys, and every figure the report had before.
        before = data["before"].as_dict()
        assert set(before) <= set(found)
        for key in ("forums", "sessions_held", "participants", "unique_participants"):
            assert key in found
        assert found["participants"] == stats.participants
        assert found["other_participants"] == stats.other_participants
        assert found["cadre_participants"] == stats.cadre_participants
        for row in found["breakdowns"]["level"]:
            assert set(row) >= set(asdict(Figures())) | {"cadre_participants"}
        text = work_report_paragraph(stats)
        assert f"{stats.participants:,}" in text
        if stats.other_participants:
            assert f"{stats.other_participants:,}" in text
        transaction.set_rollback(True)


@settings(max_examples=15)
@given(
    marks=st.lists(
        st.sampled_from(["present", "late", "on_leave", "absent", None]),
        min_size=1,
        max_size=6,
    ),
    others=st.integers(min_value=0, max_value=50),
    headcount=st.one_of(st.none(), st.integers(min_value=0, max_value=80)),
)
def test_one_rule_for_rosters_and_head_counts(data, marks, others, headcount):
    """Whatever the roster (kept by triggers, then changed in bulk), the
    head-count and the others: person-times = cadres + others, where the
    cadres are the roster's attendees or, without a roster, the head-count."""
    tree = data["tree"]
    with transaction.atomic():
        session = SessionFactory(
            parent=tree["village"],
            start=date_time(2025, 5, 5),
            status=SessionStatus.HELD,
            headcount=headcount,
        )
        people = [UserFactory() for _ in marks]
        Attendance.objects.bulk_create(
            Attendance(session=session, user=u, status=m, method=CheckInMethod.ROSTER)
            for u, m in zip(people, marks, strict=True)
            if m is not None
        )
        roster_service.record_others(session, others, by=None)
        # A change in bulk goes through the triggers too.
        Attendance.objects.filter(session=session, status="absent").update(
            status="present"
        )
        assert roster_drift() == {}
        rows = list(Attendance.objects.filter(session=session))
        came = sum(row.status in ("present", "late") for row in rows)
        cadres = came if rows else (headcount or 0)
        one = SessionPage.objects.filter(pk=session.pk)
        annotated = with_person_times(one).get()
        assert (annotated.cadres, annotated.others) == (cadres, others)
        assert annotated.people == cadres + others
        assert person_times_apart(one) == (cadres, others)
        alone = network_report(
            ReportQuery(start=date(2025, 5, 5), end=date(2025, 5, 5))
        )
        # No generated session records others: the village's are this one's.
        village = next(r for r in alone.tiers if r.key == "village")
        assert village.other_participants == others
        transaction.set_rollback(True)


def date_time(year, month, day):
    return timezone.make_aware(datetime(year, month, day, 10, 0))


def test_a_lecturer_reaches_the_others_too(data):
    lecturer = LecturerFactory()
    session = SessionFactory(
        parent=data["tree"]["town"],
        start=date_time(2025, 3, 3),
        status=SessionStatus.HELD,
        headcount=12,
    )
    session.lecturers.add(lecturer)
    session.save()  # a page's lecturers are committed with it
    roster_service.record_others(session, 30, by=None)
    query = ReportQuery(start=date(2025, 3, 3), end=date(2025, 3, 3))
    row = lecturer_rows(query).get(pk=lecturer.pk)
    assert row.person_times == 42
