"""Unique participants of a selection: the people present or late at least once.

The one figure of a report that is not a sum: it needs the attendance rows
themselves. Two ways to count them, and which is quicker depends on how much
of the attendance the selection holds:

* **by session** — look up each selected session's rows and sort out the
  people (`COUNT(DISTINCT)`): quick for a town or a month, but for a year of
  the whole network SQLite sorts 1.6 million rows (100× the seed), a second;
* **by person** — read the index of attended rows in the order of their
  person (`attended_by_user`), keep the rows of the selection and count the
  people as they change: no sort, half the time for a year of everything,
  and as slow as that for a single village.

On SQLite, one query asks the database to choose: by person when the
selection holds at least half of all attended rows (its roster counts
against all of them), else by session. SQLite's planner would always take the
session index, so the index is named. PostgreSQL plans this itself.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection

from lectures.models import ATTENDED, Attendance, RosterCount

_STATUSES = "(" + ", ".join(f"'{status}'" for status in ATTENDED) + ")"


def _sqlite(held_sql: str) -> str:
    attendance = Attendance._meta.db_table
    counts = RosterCount._meta.db_table
    # The statuses are written out, not bound: SQLite uses a partial index
    # only when the query's condition visibly implies the index's.
    rows = f"status IN {_STATUSES} AND session_id IN held"
    return f"""
        WITH held(id) AS MATERIALIZED ({held_sql})
        SELECT CASE
        WHEN (SELECT COALESCE(SUM(attended), 0) FROM {counts}
              WHERE session_id IN held) * 2
             >= (SELECT COALESCE(SUM(attended), 0) FROM {counts})
        THEN (SELECT COUNT(*) FROM (
            SELECT user_id FROM {attendance} INDEXED BY attended_by_user
            WHERE {rows} GROUP BY user_id))
        ELSE (SELECT COUNT(DISTINCT user_id) FROM {attendance} WHERE {rows})
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
