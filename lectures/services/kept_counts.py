"""The counts the database keeps (`RosterCount`, `RatingCount`,
`AttendeeCount`, `DayFigures`, `PersonDay` and `VisitGaps`), and a recount
of each."""

from datetime import date

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate

from lectures.counting import cadre_times, other_times
from lectures.models import (
    ATTENDED,
    FIRST_VISIT,
    Attendance,
    AttendeeCount,
    DayFigures,
    MonthFigures,
    PersonDay,
    RatingCount,
    RatingTally,
    RosterCount,
    SessionKind,
    SessionPage,
    SessionStatus,
    VisitGaps,
)
from lectures.services.evaluation_results import shown_ratings

Counts = dict[int, tuple[int, int]]


def recount_rosters() -> Counts:
    """{session id: (on the roster, present or late)} counted from the rows."""
    rows = (
        Attendance.objects.order_by()
        .values("session")
        .annotate(
            on_roster=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED))
        )
        .values_list("session", "on_roster", "attended")
    )
    return {session: (on_roster, attended) for session, on_roster, attended in rows}


def recount_ratings() -> Counts:
    """{session id: (ratings, satisfied ratings)} summed from the tallies."""
    rows = (
        RatingTally.objects.order_by()
        .values("session")
        .annotate(rated=Sum("count"), satisfied=Sum("count", filter=Q(satisfied=True)))
        .values_list("session", "rated", "satisfied")
    )
    return {session: (rated, satisfied or 0) for session, rated, satisfied in rows}


def _drift(kept: dict, counted: dict, zero=(0, 0)) -> dict:
    """{id: (kept, counted)} wherever they differ; missing is `zero`."""
    return {
        key: (kept.get(key, zero), counted.get(key, zero))
        for key in kept.keys() | counted.keys()
        if kept.get(key, zero) != counted.get(key, zero)
    }


def roster_drift() -> dict[int, tuple[tuple, tuple]]:
    """Wherever the kept roster counts are wrong: {session id: (kept, counted)}."""
    kept = RosterCount.objects.values_list("session", "on_roster", "attended")
    return _drift({s: (a, b) for s, a, b in kept}, recount_rosters())


def rating_drift() -> dict[int, tuple[tuple, tuple]]:
    """Wherever the kept rating counts are wrong: {session id: (kept, counted)}."""
    kept = RatingCount.objects.values_list("session", "rated", "satisfied")
    return _drift({s: (a, b) for s, a, b in kept}, recount_ratings())


def attendee_drift() -> dict[int, tuple[int, int]]:
    """Wherever a person's kept count is wrong: {user id: (kept, counted)}."""
    counted = dict(
        Attendance.objects.attended()
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values_list("user", "n")
    )
    kept = dict(AttendeeCount.objects.values_list("user", "attended"))
    return _drift(kept, counted, zero=0)


#: What `MonthFigures` sums of the day rows, and its key.
MONTH_KEY = ("month", "level", "field_id", "category_id")
MONTH_SUMS = (
    "sessions",
    "held",
    "cancelled",
    "postponed",
    "participants",
    "others",
    "roster_size",
    "roster_attended",
    "hours_offered",
    "hours_credited",
    "satisfied",
    "rated",
)


#: The columns of `DayFigures` a recount compares, after its key.
FIGURES = ("forum_path", "level", "month", *MONTH_SUMS)
FIGURES_KEY = ("forum", "day", "field_id", "category_id")


def recount_figures() -> dict[tuple, tuple]:
    """{(forum id, day, field id, category id): the `FIGURES`} summed from the
    published lectures themselves by the counting rules (`lectures.counting`)."""
    held = Q(status=SessionStatus.HELD)
    attended = Coalesce("roster_count__attended", 0)
    tenths = F("study_hours") * 10
    rows = (
        SessionPage.objects.live()
        .lectures()
        .order_by()
        .annotate(
            k_day=TruncDate("start"),
            k_field=Coalesce("field_id", 0),
            k_category=Coalesce("category_id", 0),
        )
        .values("forum", "k_day", "k_field", "k_category")
        .annotate(
            k_path=F("forum__path"),
            k_level=F("forum__level"),
            sessions=Count("pk"),
            held=Count("pk", filter=held),
            cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
            postponed=Count("pk", filter=Q(status=SessionStatus.POSTPONED)),
            participants=Sum(cadre_times() + other_times(), filter=held),
            others=Sum(other_times(), filter=held),
            roster_size=Sum(Coalesce("roster_count__on_roster", 0), filter=held),
            roster_attended=Sum(attended, filter=held),
            hours_offered=Sum(tenths, filter=held),
            hours_credited=Sum(attended * tenths, filter=held),
            satisfied=Sum(shown_ratings("satisfied")),
            rated=Sum(shown_ratings("rated")),
        )
    )
    result = {}
    for row in rows:
        key = (row["forum"], row["k_day"], row["k_field"], row["k_category"])
        month = row["k_day"].isoformat()[:7]
        sums = [row[name] for name in FIGURES[4:]]
        result[key] = (
            row["k_path"],
            row["k_level"],
            month,
            row["sessions"],
            *(int(value or 0) for value in sums),
        )
    return result


def figures_drift() -> dict[tuple, tuple[tuple | None, tuple | None]]:
    """Wherever the kept `DayFigures` are wrong: {key: (kept, counted)}."""
    kept = {
        tuple(row[:4]): tuple(row[4:])
        for row in DayFigures.objects.values_list(*FIGURES_KEY, *FIGURES)
    }
    counted = recount_figures()
    return {
        key: (kept.get(key), counted.get(key))
        for key in kept.keys() | counted.keys()
        if kept.get(key) != counted.get(key)
    }


def month_figures_drift() -> dict[tuple, tuple[tuple | None, tuple | None]]:
    """Wherever the kept `MonthFigures` are not the sums of the day rows
    (`DayFigures`, themselves checked by `figures_drift`): {key: (kept,
    summed)}, each as (day rows, *`MONTH_SUMS`)."""
    kept = {
        tuple(row[:4]): tuple(row[4:])
        for row in MonthFigures.objects.values_list(*MONTH_KEY, "days", *MONTH_SUMS)
    }
    summed = {
        tuple(row[:4]): tuple(int(value) for value in row[4:])
        for row in DayFigures.objects.order_by()
        .values(*MONTH_KEY)
        .annotate(k_days=Count("pk"), **{f"k_{c}": Sum(c) for c in MONTH_SUMS})
        .values_list(*MONTH_KEY, "k_days", *(f"k_{c}" for c in MONTH_SUMS))
    }
    return {
        key: (kept.get(key), summed.get(key))
        for key in kept.keys() | summed.keys()
        if kept.get(key) != summed.get(key)
    }


def recount_days():
    """(person, day, sessions) of the attendance the reports count — present
    or late at a held, published lecture — as a query (a year at 100× the
    seed is 600,000 rows: compared in the database, not in Python)."""
    return (
        Attendance.objects.attended()
        .filter(
            session__status=SessionStatus.HELD,
            session__kind=SessionKind.LECTURE,
            session__live=True,
        )
        .order_by()
        .annotate(k_day=TruncDate("session__start"))
        .values("user", "k_day")
        .annotate(n=Count("pk"))
        .values_list("user", "k_day", "n")
    )


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def recount_gaps(days=None) -> dict[tuple[date, date], int]:
    """{(day, previous visit): people} from the recounted days."""
    sql, params = (days or recount_days()).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT k_day, previous, COUNT(*) FROM (
                    SELECT k_day, LAG(k_day) OVER (
                        PARTITION BY "user" ORDER BY k_day) AS previous
                    FROM ({sql}) AS days) AS visits
                GROUP BY k_day, previous""",
            params,
        )
        rows = cursor.fetchall()
    return {
        (_day(day), FIRST_VISIT if previous is None else _day(previous)): people
        for day, previous, people in rows
    }


def visits_drift() -> dict[tuple, tuple[int, int]]:
    """Wherever the kept `PersonDay` or `VisitGaps` are wrong:
    {("day", person, day) or ("gap", day, previous): (kept, counted)}."""
    counted = recount_days()
    kept = PersonDay.objects.order_by().values_list("user", "day", "sessions")
    found = {("day", user, _day(day)): n for user, day, n in kept.difference(counted)}
    missing = {("day", user, _day(day)): n for user, day, n in counted.difference(kept)}
    drift = _drift(found, missing, zero=0)
    gaps = {
        ("gap", day, previous): people
        for day, previous, people in VisitGaps.objects.values_list(
            "day", "previous", "people"
        )
    }
    recounted = {("gap", *key): n for key, n in recount_gaps(counted).items()}
    return drift | _drift(gaps, recounted, zero=0)
