"""The kept months (`MonthFigures`) are the day rows' sums, whatever happens.

A report of the whole network reads its months, fields and categories from
the rows the database keeps per month × tier × field × category, whole, and
from the day rows (`DayFigures`) only at the period's ends (`month_pieces`).
On the generated network of the honest-numbers tests, hypothesis runs random
sequences of what happens to sessions (`test_kept_figures.happen`:
registrations, check-ins, marks, roster imports, cancellations, status
changes, rescheduling across days and months, publishing, moves, deletions)
and after each the kept months equal the day rows summed
(`month_figures_drift`), and for random periods, tiers, fields and
categories the facts summed from them equal the facts summed from the
sessions themselves (`session_facts`, the definition).
"""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lectures.models import (
    DayFigures,
    Field,
    MonthFigures,
    SessionPage,
)
from lectures.services.kept_counts import figures_drift, month_figures_drift
from stats.facts import Grouping, kept_facts, month_pieces, session_facts
from stats.query import ReportQuery
from tests.stats.test_kept_figures import generated_network, run
from tests.stats.test_kept_figures import steps as what_happens

days = st.dates(min_value=date(2024, 11, 1), max_value=date(2027, 6, 30))


@given(start=st.one_of(st.none(), days), end=days)
def test_the_pieces_are_the_period_day_for_day(start, end):
    """Whole months, less the days taken away, plus the days added: every
    day of [start, end] once, and no other (from 2024 when start is None)."""
    months, pieces = month_pieces(start, end)
    counted: dict[date, int] = {}
    if months is not None:
        first, last = months
        day = date(2024, 1, 1) if first is None else date.fromisoformat(first + "-01")
        while day.strftime("%Y-%m") <= last:
            counted[day] = counted.get(day, 0) + 1
            day += timedelta(days=1)
    for sign, first_day, last_day in pieces:
        day = first_day
        while day <= last_day:
            counted[day] = counted.get(day, 0) + sign
            day += timedelta(days=1)
    covered = {day for day, times in counted.items() if times}
    assert all(times in (0, 1) for times in counted.values())
    lower = date(2024, 1, 1) if start is None else start
    expected = {lower + timedelta(days=n) for n in range((end - lower).days + 1)}
    assert covered == expected
    # At most half a month of days at either end.
    read = sum((b - a for _sign, a, b in pieces), timedelta())
    assert read <= timedelta(days=32)


@pytest.fixture(scope="module")
def data(module_db, django_db_blocker):
    with django_db_blocker.unblock():
        return generated_network()


GROUPINGS = [
    # The report's: by month, field and category.
    lambda start, end: Grouping(months=(start, end), level=False, classification=True),
    # By tier alone, and by month and tier.
    lambda start, end: Grouping(),
    lambda start, end: Grouping(months=(start, end)),
]
selections = st.lists(
    st.tuples(
        st.one_of(st.none(), days),
        days,
        st.sampled_from([None, "unit", "village"]),
        st.booleans(),  # a field
        st.integers(min_value=0, max_value=len(GROUPINGS) - 1),
    ),
    min_size=1,
    max_size=4,
)


def _key(fact):
    return tuple("" if value is None else str(value) for value in fact[:6])


def assert_months_are_the_sessions(selected) -> None:
    assert month_figures_drift() == {}
    field = Field.objects.order_by("pk").first()
    for start, end, level, by_field, which in selected:
        # A period that ends before it starts is drawn too: it has no facts.
        query = ReportQuery(
            start=start, end=end, level=level, field=field if by_field else None
        )
        grouping = GROUPINGS[which](start or date(2024, 1, 1), end)
        kept = sorted(kept_facts(query, grouping), key=_key)
        summed = sorted(session_facts(query.sessions(), grouping), key=_key)
        assert kept == summed, (query, grouping)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sequence=what_happens, selected=selections)
def test_the_kept_months_are_the_sessions_sums(data, sequence, selected):
    with transaction.atomic():
        run(data, sequence)
        assert figures_drift() == {}
        assert_months_are_the_sessions(selected)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_has_no_facts(data):
    """As the day after the last of a report's two halves: nothing to read,
    and nothing read (before, this built a query with no pieces in it)."""
    assert month_pieces(date(2027, 1, 1), date(2026, 12, 31)) == (None, [])
    query = ReportQuery(start=date(2027, 1, 1), end=date(2026, 12, 31))
    for grouping in GROUPINGS:
        assert kept_facts(query, grouping(date(2027, 1, 1), date(2026, 12, 31))) == []


@pytest.mark.django_db
def test_a_drift_is_found(data):
    """The recount can fail: a month row changed or lost is reported."""
    with transaction.atomic():
        row = MonthFigures.objects.filter(held__gt=0).first()
        MonthFigures.objects.filter(pk=row.pk).update(held=row.held + 1)
        drift = month_figures_drift()
        key = (row.month, row.level, row.field_id, row.category_id)
        assert list(drift) == [key]
        kept, summed = drift[key]
        assert kept[2] == summed[2] + 1
        transaction.set_rollback(True)
    with transaction.atomic():
        MonthFigures.objects.filter(pk=row.pk).delete()
        assert list(month_figures_drift()) == [key]
        transaction.set_rollback(True)


#: (the trigger on SQLite, the trigger and table on PostgreSQL)
TRIGGERS = {
    "added": ("lectures_monthfigures_added", "lectures_monthfigures_kept"),
    "removed": ("lectures_monthfigures_removed", "lectures_monthfigures_kept"),
    "changed": ("lectures_monthfigures_changed", "lectures_monthfigures_changed"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("which", TRIGGERS)
def test_a_missing_trigger_is_found(data, which):
    """The property test can fail: without one trigger the months drift, and
    the report's facts differ from the sessions'."""
    sqlite_name, postgresql_name = TRIGGERS[which]
    session = SessionPage.objects.filter(pk__in=data["sessions"]).held().live().first()
    with transaction.atomic():
        if which != "changed":
            # Alone on a day of its own first, so that moving it on removes
            # its day row and adds another. (A check-in rewrites the row in
            # place on PostgreSQL, where the row is the writers' lock.)
            _move(session, date(2024, 6, 10))
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER {sqlite_name}")
            else:
                cursor.execute(f"DROP TRIGGER {postgresql_name} ON lectures_dayfigures")
        if which == "changed":  # only a write around the session's triggers
            row = DayFigures.objects.filter(held__gt=0).first()
            DayFigures.objects.filter(pk=row.pk).update(held=row.held + 1)
        else:  # its day row removed, another added, in another month
            _move(session, date(2024, 8, 20))
        assert month_figures_drift() != {}
        if which != "changed":  # there the day rows are wrong as well
            query = ReportQuery(start=date(2024, 1, 1), end=date(2027, 6, 30))
            grouping = GROUPINGS[0](query.start, query.end)
            assert sorted(kept_facts(query, grouping), key=_key) != sorted(
                session_facts(query.sessions(), grouping), key=_key
            )
        transaction.set_rollback(True)


def _move(session, day):
    """The session, and its end, to `day` at the hour it starts."""
    shift = timedelta(days=(day - session.start.date()).days)
    session.start += shift
    session.end += shift
    session.save()
