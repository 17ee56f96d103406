"""The facts of a selection of sessions, fetched once and folded in Python.

A report shows the same figures by month, by tier, by forum, by field and by
category. Asking the database once per breakdown would count every session's
roster once per breakdown (about 1.6 million attendance rows a year at 100×
the seed); instead one query reads each session with its roster counts and
one reads its evaluation tallies, and every breakdown — and the totals — is a
fold of those same rows. Each table therefore adds up to the totals by
construction, and the number of queries never depends on the data.

The counting rules are written in `lectures.services.stats`; `contribution`
applies them to one session.
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from operator import add

from django.db.models import Func, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from lectures.models import Attendance, SessionStatus
from lectures.services import evaluation_results as results

#: What a session adds to the figures, in this order (see `contribution`).
CONTRIBUTION = (
    "sessions_held",
    "sessions_cancelled",
    "sessions_postponed",
    "participants",
    "roster_size",
    "roster_attended",
    "study_hours_offered",
    "study_hours_credited",
    "satisfied",
    "rated",
)
_ZERO = (0,) * 6 + (Decimal(0), Decimal(0), 0, 0)


def count_per_session(attendance):
    """A session's rows among `attendance`, as a scalar subquery.

    COUNT without GROUP BY: one index range per session, always one row."""
    rows = (
        attendance.filter(session=OuterRef("pk"))
        .order_by()
        .annotate(n=Func("pk", function="COUNT", output_field=IntegerField()))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@dataclass(frozen=True, slots=True)
class Fact:
    """What the reports need of one session: its keys and its contribution."""

    month: str
    level: str | None
    path: str
    field_id: int | None
    category_id: int | None
    contribution: tuple


def contribution(
    status, headcount, hours, on_roster, attended, satisfied, rated
) -> tuple:
    """One session's additive figures, by the counting rules."""
    satisfied, rated = satisfied or 0, rated or 0
    if status != SessionStatus.HELD:
        return (
            0,
            int(status == SessionStatus.CANCELLED),
            int(status == SessionStatus.POSTPONED),
            0,
            0,
            0,
            Decimal(0),
            Decimal(0),
            satisfied,
            rated,
        )
    hours = hours or Decimal(0)
    return (
        1,
        0,
        0,
        attended if on_roster else (headcount or 0),
        on_roster,
        attended,
        hours,
        attended * hours,
        satisfied,
        rated,
    )


def ratings(sessions) -> dict[int, tuple[int, int]]:
    """{session id: (ratings at the top two levels, all ratings)} of the
    sessions whose answers may be shown; one query."""
    rows = (
        results.tallies(sessions)
        .order_by()
        .values("session")
        .annotate(satisfied=Sum("count", filter=Q(satisfied=True)), rated=Sum("count"))
        .values_list("session", "satisfied", "rated")
    )
    return {session: (satisfied, rated) for session, satisfied, rated in rows}


def session_facts(sessions) -> list[Fact]:
    """The facts of every session of a selection, in two queries."""
    rated = ratings(sessions)
    rows = (
        sessions.order_by()
        .annotate(
            on_roster=count_per_session(Attendance.objects.all()),
            attended=count_per_session(Attendance.objects.attended()),
        )
        .values_list(
            "pk",
            "start",
            "forum__level",
            "path",
            "field_id",
            "category_id",
            "status",
            "headcount",
            "study_hours",
            "on_roster",
            "attended",
        )
    )
    zone = timezone.get_current_timezone()
    facts = []
    for pk, start, level, path, field, category, *figures in rows:
        local = start.astimezone(zone)
        facts.append(
            Fact(
                month=f"{local.year}-{local.month:02d}",
                level=level,
                path=path,
                field_id=field,
                category_id=category,
                contribution=contribution(*figures, *rated.get(pk, (0, 0))),
            )
        )
    return facts


def total(contributions: Iterable[tuple]) -> tuple:
    result = _ZERO
    for item in contributions:
        result = tuple(map(add, result, item))
    return result


def fold(facts: Iterable[Fact], key: Callable[[Fact], Hashable]) -> dict:
    """{key: summed contribution} over `facts`."""
    groups: dict = {}
    for fact in facts:
        group = key(fact)
        found = groups.get(group)
        groups[group] = (
            fact.contribution
            if found is None
            else tuple(map(add, found, fact.contribution))
        )
    return groups
