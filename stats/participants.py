"""Unique participants of a selection: the people present or late at least once.

The one figure of a report that is not a sum of the sessions' figures: it
needs who came, not how many. For the whole network (no subtree below the
district, no field, category or tier) it is a sum all the same, of the rows
the database keeps per day and previous visit (`VisitGaps`): whoever came
in a period [a, b] came on exactly one day there whose previous visit is
before a (or who never came before). A year at 100× the seed sums about
63,000 narrow rows instead of sorting out 600,000 attended rows by person
(`kept_unique_participants`).

A narrower selection counts the attendance rows of its sessions. Two ways to
count them, and which is quicker depends on how much of the attendance the
selection holds:

* **by session** — look up each selected session's rows and sort out the
  people (`COUNT(DISTINCT)`): quick for a town or a month, but for a year of
  the whole network SQLite sorts 1.6 million rows (100× the seed), a second;
* **by what is left out** — everyone who ever came (`AttendeeCount`, kept
  by the database), less those seen only at sessions outside the selection:
  for a year of everything, the few sessions left out are a few hundred rows,
  and each of their people is looked up in the index of attended rows by
  person (`attended_by_user`).

On SQLite, one query asks the database to choose: by what is left out when
the selection holds at least half of all attended rows (its roster counts
against all of them), else by session. PostgreSQL counts by session.
"""

from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Sum

from lectures.models import (
    ATTENDED,
    FIRST_VISIT,
    Attendance,
    AttendeeCount,
    ForumLevel,
    RosterCount,
    VisitGaps,
)

_STATUSES = "(" + ", ".join(f"'{status}'" for status in ATTENDED) + ")"


def _sqlite(held_sql: str) -> str:
    attendance = Attendance._meta.db_table
    counts = RosterCount._meta.db_table
    people = AttendeeCount._meta.db_table
    # The statuses are written out, not bound: SQLite uses a partial index
    # only when the query's condition visibly implies the index's.
    attended = f"status IN {_STATUSES}"
    return f"""
        WITH held(id) AS MATERIALIZED ({held_sql}),
        left_out(id) AS (
            SELECT session_id FROM {counts}
            WHERE attended > 0 AND session_id NOT IN held),
        seen_outside(user_id) AS (
            SELECT DISTINCT user_id FROM {attendance}
            WHERE {attended} AND session_id IN left_out)
        SELECT CASE
        WHEN (SELECT COALESCE(SUM(attended), 0) FROM {counts}
              WHERE session_id IN held) * 2
             >= (SELECT COALESCE(SUM(attended), 0) FROM {counts})
        THEN (SELECT COUNT(*) FROM {people} WHERE attended > 0)
           - (SELECT COUNT(*) FROM seen_outside AS outside WHERE NOT EXISTS (
                SELECT 1 FROM {attendance} INDEXED BY attended_by_user
                WHERE user_id = outside.user_id AND {attended}
                AND session_id IN held))
        ELSE (SELECT COUNT(DISTINCT user_id) FROM {attendance}
              WHERE {attended} AND session_id IN held)
        END
    """


def unique_participants(held_sessions) -> int:
    """People present or late at one of `held_sessions` at least once; one query."""
    held = held_sessions.order_by().values("pk")
    if connection.vendor != "sqlite":
        return (
            Attendance.objects.attended()
            .filter(session__in=held)
            .values("user")
            .distinct()
            .count()
        )
    try:
        held_sql, params = held.query.sql_with_params()
    except EmptyResultSet:  # a selection that cannot hold anything
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_sqlite(held_sql), params)
        return cursor.fetchone()[0]


def covers_the_network(query) -> bool:
    """Whether a `ReportQuery` selects every lecture of its period: no field,
    category or tier, and no subtree, or the district forum's (one per site,
    above every forum; a lecture is always in a forum)."""
    return (
        (query.forum is None or query.forum.level == ForumLevel.DISTRICT)
        and query.field is None
        and query.category is None
        and not query.level
    )


def kept_unique_participants(start: date | None, end: date) -> int:
    """People present or late at a held, published lecture from `start`
    (None: the first) to `end`, days both included, anywhere in the network:
    those whose first day in the period follows a day before it, or none
    (`VisitGaps`, kept by the database); one query."""
    rows = VisitGaps.objects.filter(day__lte=end)
    if start is None:
        rows = rows.filter(previous=FIRST_VISIT)
    else:
        rows = rows.filter(day__gte=start, previous__lt=start)
    return rows.aggregate(people=Sum("people"))["people"] or 0
