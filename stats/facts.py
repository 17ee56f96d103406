"""The facts of a selection of sessions, summed by the database and folded in Python.

A report shows the same figures by month, by tier, by forum, by field and by
category. The database sums the selection's sessions in a few queries, each
grouped by some of those keys (`Grouping`), and the breakdowns and the
totals are folds of those groups in Python; the number of queries never
depends on the data. For the whole network the months are read from the
kept `MonthFigures`, whole, with the days at a period's ends
(`month_pieces`).

The reports read the sums the database keeps per forum × day × field ×
category (`DayFigures`, kept by triggers as sessions, rosters and ratings
change): `kept_facts` answers every selection a `ReportQuery` can make —
a period of days, a subtree, a field, a category, a tier — from those rows
alone. `session_facts` sums the sessions themselves, each joined to its
`RosterCount`, `OtherAttendees`, `RatingCount` and evaluation, never by
counting a year's attendance rows (1.6 million at 100× the seed) or rating
tallies (728,000): it is the definition the kept rows are proved equal to
(tests/stats/test_kept_figures.py), and what a selection of sessions other
than a `ReportQuery`'s would be summed with. The counting rules are written
in `lectures.counting`; `CONTRIBUTION` names the sums, in order.
"""

import itertools
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import add
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length, Substr
from wagtail.models import Page

from lectures.counting import cadre_times, other_times
from lectures.models import DayFigures, MonthFigures, SessionStatus
from lectures.models.tree import below
from lectures.services.evaluation_results import shown_ratings
from training_site.dates import day_start

#: What a set of sessions adds to the figures, in this order.
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
    "other_participants",
)
#: The hours are summed in tenths (integers, exact and quicker to add than
#: decimals); `Figures.of` makes them decimals.
_ZERO = (0,) * 11
_HOURS = {
    CONTRIBUTION.index("study_hours_offered"),
    CONTRIBUTION.index("study_hours_credited"),
}
HOURS = DecimalField(max_digits=14, decimal_places=1)


class Fact(NamedTuple):
    """The sessions of a selection that share every key, and their sums (a
    tuple: a year by forum at 100× the seed is 10,000 of them)."""

    month: str
    level: str | None
    path: str
    field_id: int | None
    category_id: int | None
    forum_id: int | None
    contribution: tuple


def calendar_months(first: date, last: date) -> list[tuple[str, date]]:
    """("YYYY-MM", its first day) of every month from `first`'s to `last`'s."""
    result = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        result.append((f"{year}-{month:02d}", date(year, month, 1)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


@dataclass(frozen=True)
class Grouping:
    """Which keys the sums are grouped by.

    `months`: the period's first and last day, to group by calendar month
    (in the site's time zone); `path_length`: by the first characters of the
    page path, e.g. the child of the forum a breakdown lists; `level`: by the
    tier of the holding forum; `classification`: by field and by category;
    `forum`: by the holding forum (which forums held something).
    A key not grouped by is "" (or None) in every fact. Each breakdown wants
    its own grouping: grouping by all of them at once multiplies the groups
    (a district's thousands of children × months × fields × categories)."""

    months: tuple[date, date] | None = None
    path_length: int | None = None
    level: bool = True
    classification: bool = False
    forum: bool = False

    def month_starts(self) -> list[tuple[str, date]]:
        return [] if self.months is None else calendar_months(*self.months)

    def _month(self):
        starts = self.month_starts()
        if not starts:
            return Value("")
        # The month a session starts in, as a CASE over the months' first
        # instants: the same in every database, with no time-zone function.
        return Case(
            *[
                When(start__lt=day_start(following), then=Value(label))
                for (label, _), (_, following) in itertools.pairwise(starts)
            ],
            default=Value(starts[-1][0]),
            output_field=CharField(),
        )

    def _path(self):
        if self.path_length is None:
            return Value("")
        # A session that is itself at that depth (held by the forum whose
        # children are listed) is in no child: all of them in one group "".
        return Case(
            When(depth=self.path_length // Page.steplen, then=Value("")),
            default=Substr("path", 1, self.path_length),
            output_field=CharField(),
        )

    def keys(self) -> dict:
        """The key expressions, named as `KEYS`."""
        nothing = Value(None, output_field=IntegerField())
        return {
            "fact_month": self._month(),
            "fact_level": F("forum__level") if self.level else Value(""),
            "fact_path": self._path(),
            "fact_field": F("field_id") if self.classification else nothing,
            "fact_category": F("category_id") if self.classification else nothing,
            "fact_forum": F("forum_id") if self.forum else nothing,
        }


KEYS = (
    "fact_month",
    "fact_level",
    "fact_path",
    "fact_field",
    "fact_category",
    "fact_forum",
)


def _sums() -> dict:
    held = Q(status=SessionStatus.HELD)
    on_roster = Coalesce("roster_count__on_roster", 0)
    attended = Coalesce("roster_count__attended", 0)
    # Person-times: the cadres (the roster's attendees if it kept one, else
    # the head-count) and the others (`lectures.counting`).
    people = ExpressionWrapper(
        cadre_times() + other_times(), output_field=IntegerField()
    )
    credited = ExpressionWrapper(attended * F("study_hours"), output_field=HOURS)
    return {
        "sessions_held": Count("pk", filter=held),
        "sessions_cancelled": Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
        "sessions_postponed": Count("pk", filter=Q(status=SessionStatus.POSTPONED)),
        "participants": Sum(people, filter=held),
        "roster_size": Sum(on_roster, filter=held),
        "roster_attended": Sum(attended, filter=held),
        "study_hours_offered": Sum("study_hours", filter=held, output_field=HOURS),
        "study_hours_credited": Sum(credited, filter=held, output_field=HOURS),
        "satisfied": Sum(shown_ratings("satisfied")),
        "rated": Sum(shown_ratings("rated")),
        "other_participants": Sum(other_times(), filter=held),
    }


def session_facts(sessions, grouping: Grouping | None = None) -> list[Fact]:
    """The sums of a selection's sessions by `grouping`'s keys, in one query.

    The rows are read from the cursor as the database gives them: a year at
    100× grouped by forum is 10,000 rows, and Django's per-value converters
    cost more than the database's sums (0.17 s against 0.27 s). Only the
    hours need one: SQLite sums decimals as numbers."""
    query = (
        sessions.order_by()
        .annotate(**(grouping or Grouping()).keys())
        .values(*KEYS)
        .annotate(**_sums())
        .values_list(*KEYS, *CONTRIBUTION)
    )
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # a selection that cannot hold anything
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    keys = len(KEYS)
    return [Fact(*row[:keys], contribution=_contribution(row[keys:])) for row in rows]


#: The kept columns of `DayFigures` summed into each item of `CONTRIBUTION`.
KEPT = (
    "held",
    "cancelled",
    "postponed",
    "participants",
    "roster_size",
    "roster_attended",
    "hours_offered",
    "hours_credited",
    "satisfied",
    "rated",
    "others",
)


def _kept_keys(grouping: Grouping) -> dict:
    """`Grouping.keys` over the kept rows: the same keys, from the columns
    copied there (the holding forum's path stands for its sessions')."""
    nothing = Value(None, output_field=IntegerField())
    length = grouping.path_length
    if length is None:
        path = Value("")
    else:
        # A forum above the listed children (the root itself): in no child.
        path = Case(
            When(forum_length__lt=length, then=Value("")),
            default=Substr("forum_path", 1, length),
            output_field=CharField(),
        )

    def unclassified_as_none(column):
        return Case(
            When(**{column: 0}, then=nothing),
            default=F(column),
            output_field=IntegerField(),
        )

    return {
        "fact_month": F("month") if grouping.months else Value(""),
        "fact_level": F("level") if grouping.level else Value(""),
        "fact_path": path,
        "fact_field": unclassified_as_none("field_id")
        if grouping.classification
        else nothing,
        "fact_category": unclassified_as_none("category_id")
        if grouping.classification
        else nothing,
        "fact_forum": F("forum_id") if grouping.forum else nothing,
    }


#: From how many days a period's kept rows are grouped by forum along the
#: forum's index (`kept_rows`, `days_by_row`).
LONG_PERIOD_DAYS = 62


def kept_rows(query, *, days_by_row: bool = False, part: "Part | None" = None):
    """The kept rows of a `ReportQuery`'s selection: its days, subtree, field,
    category and tier (see `ReportQuery.sessions`, whose sessions they sum);
    of its `part` only, if one is given.

    `days_by_row`: on SQLite, the days are tested on each row (a unary `+`,
    a no-op on the value) rather than read as a range of the day index, for
    a sum grouped by forum over a long period: SQLite then reads the rows
    along the (forum, day, …) key, grouped as they come, instead of looking
    up each of the period's rows by the day index and sorting them by forum
    (a year at 100× the seed: 44 against 84 ms). Elsewhere, and for a short
    period, the day index."""
    day = "day"
    if days_by_row and connection.vendor == "sqlite" and _long(query):
        day = "_row_day"
        rows = DayFigures.objects.alias(
            _row_day=ExpressionWrapper(
                Func(F("day"), template="+%(expressions)s"),
                output_field=DateField(),
            )
        )
    else:
        rows = DayFigures.objects.all()
    rows = rows.order_by().filter(**{f"{day}__lte": query.last_day})
    if query.start is not None:
        rows = rows.filter(**{f"{day}__gte": query.start})
    if query.forum is not None:
        rows = rows.filter(below(query.forum.path, "forum_path"))
    if query.field is not None:
        rows = rows.filter(field_id=query.field.pk)
    if query.category is not None:
        rows = rows.filter(category_id=query.category.pk)
    if query.level:
        rows = rows.filter(level=query.level)
    if part is not None:
        rows = rows.filter(part.of_forums("forum_path", "forum_id"))
    return rows


@dataclass(frozen=True)
class Part:
    """Some of a selection's forums: those whose path is in [lower, upper)
    (upper None: to the end), or those of `forum_ids`. The report reads the
    rows of the drill-down's children shown on a page, and of the root's own
    line, apart."""

    lower: str | None = None
    upper: str | None = None
    forum_ids: tuple[int, ...] | None = None

    def of_forums(self, path: str, forum: str) -> Q:
        """The part as a filter: `path` a page path at or below the forum,
        `forum` its id."""
        if self.forum_ids is not None:
            # An id no forum has stands for none, so that the query runs
            # (and counts) whatever the forums.
            return Q(**{f"{forum}__in": self.forum_ids or (0,)})
        found = Q(**{f"{path}__gte": self.lower})
        return found if self.upper is None else found & Q(**{f"{path}__lt": self.upper})


def _long(query) -> bool:
    return (
        query.start is None or (query.last_day - query.start).days >= LONG_PERIOD_DAYS
    )


def from_months(query, grouping: Grouping) -> bool:
    """Whether `kept_facts` sums `grouping` from the kept months
    (`MonthFigures`): the whole network, grouped by none of forum and path."""
    return query.forum is None and not grouping.forum and grouping.path_length is None


def kept_facts(
    query, grouping: Grouping | None = None, part: Part | None = None
) -> list[Fact]:
    """`session_facts` of `query.sessions()` (of its `part`'s forums, if one
    is given), summed from the kept rows (`DayFigures`) in one query: the
    same facts, without reading a session."""
    grouping = grouping or Grouping()
    if grouping.forum and not grouping.months and not grouping.classification:
        return _kept_by_forum(query, grouping, part)
    if part is None and from_months(query, grouping):
        return _kept_by_month(query, grouping)
    rows = kept_rows(query, part=part)
    if grouping.path_length is not None:
        rows = rows.annotate(forum_length=Length("forum_path"))
    values = (
        rows.annotate(**_kept_keys(grouping))
        .values(*KEYS)
        .annotate(**{f"kept_{name}": Sum(name) for name in KEPT})
        .values_list(*KEYS, *(f"kept_{name}" for name in KEPT))
    )
    sql, params = values.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    keys = len(KEYS)
    return [
        Fact(*row[:keys], contribution=_kept_contribution(row[keys:])) for row in found
    ]


class _AnyRow(Aggregate):
    """A column the same in every row of a group, as SQLite reads it from
    any one of them (a "bare column"): 5 ms less than its `MAX` over a year
    by forum at 100×. Other databases take `Max`."""

    function = ""
    template = "%(expressions)s"


def _kept_by_forum(query, grouping: Grouping, part: Part | None = None) -> list[Fact]:
    """`kept_facts` grouped by forum (and by its tier or the first characters
    of its path): grouped by the forum alone, its path and tier being the
    same in each of its rows (a move copies the new path to them), so that
    SQLite sums along the index on forum instead of sorting a year's rows by
    three keys (80 against 115 ms of CPU for a year at 100×)."""
    sums = [f"kept_{name}" for name in KEPT]
    same = _AnyRow if connection.vendor == "sqlite" else Max
    values = (
        kept_rows(query, days_by_row=True, part=part)
        .values("forum_id")
        .annotate(
            kept_path=same("forum_path"),
            kept_level=same("level"),
            **{f"kept_{name}": Sum(name) for name in KEPT},
        )
        .values_list("forum_id", "kept_path", "kept_level", *sums)
    )
    sql, params = values.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    length = grouping.path_length

    def key(path: str) -> str:
        # As `_kept_keys`: a forum above the listed children is in none.
        if length is None or len(path) < length:
            return ""
        return path[:length]

    return [
        Fact(
            "",
            level if grouping.level else "",
            key(path),
            None,
            None,
            forum,
            contribution=_kept_contribution(row),
        )
        for forum, path, level, *row in found
    ]


def month_pieces(start: date | None, end: date) -> tuple[tuple | None, list[tuple]]:
    """The period [start, end] (None: from the beginning) as whole months
    and days: (first month, last month) read whole ("YYYY-MM"; the first
    None from the beginning; no months at all: None), and [(sign, first
    day, last day)], the days to add (+1) or take away (-1). A month the
    period covers only in part is read whole less the days outside, or as
    its days inside, whichever is fewer days."""
    if start is not None and start > end:
        return None, []
    adds: list[tuple] = []
    first_month = None
    if start is not None:
        first_month = start.strftime("%Y-%m")
        month_start = start.replace(day=1)
        month_end = _month_end(start)
        if start.year == end.year and start.month == end.month:
            inside = (end - start).days + 1
            if inside * 2 < month_end.day:
                return None, [(1, start, end)]
            if start > month_start:
                adds.append((-1, month_start, start - timedelta(days=1)))
            if end < month_end:
                adds.append((-1, end + timedelta(days=1), month_end))
            return (first_month, first_month), adds
        if start > month_start:
            if (start.day - 1) * 2 <= month_end.day:
                adds.append((-1, month_start, start - timedelta(days=1)))
            else:
                adds.append((1, start, month_end))
                first_month = (month_end + timedelta(days=1)).strftime("%Y-%m")
    last_month = end.strftime("%Y-%m")
    month_end = _month_end(end)
    if end < month_end:
        if (month_end - end).days * 2 <= month_end.day:
            adds.append((-1, end + timedelta(days=1), month_end))
        else:
            adds.append((1, end.replace(day=1), end))
            last_month = (end.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    if first_month is not None and first_month > last_month:
        return None, adds
    return (first_month, last_month), adds


def _month_end(day: date) -> date:
    following = day.replace(day=28) + timedelta(days=4)
    return following - timedelta(days=following.day)


def _kept_by_month(query, grouping: Grouping) -> list[Fact]:
    """`kept_facts` of the whole network (no subtree; a tier, field or
    category may be asked), not grouped by forum or path: summed from the
    kept months (`MonthFigures`), whole, and from the day rows only at the
    period's ends, added or taken away (`month_pieces`). A year at 100× the
    seed reads 2,000 month rows and a few days' rows, not 51,000 day rows
    (4 against 64 ms). A group is a fact when its sessions, added up,
    are not 0: as when summed from the day rows, where a group is there
    when one of its rows is, and every row counts one session or more."""
    months, days = month_pieces(query.start, query.last_day)
    sums = ("sessions", *KEPT)
    filters, values = [], []
    for column, wanted in (
        ("level", query.level or None),
        ("field_id", query.field.pk if query.field is not None else None),
        ("category_id", query.category.pk if query.category is not None else None),
    ):
        if wanted is not None:
            filters.append(f"{column} = %s")
            values.append(wanted)
    keys = "month, level, field_id, category_id"
    pieces, params = [], []
    if months is not None:
        first_month, last_month = months
        where, piece_params = [*filters, "month <= %s"], [*values, last_month]
        if first_month is not None:
            where.append("month >= %s")
            piece_params.append(first_month)
        pieces.append(
            f"SELECT {keys}, {', '.join(sums)} FROM {MonthFigures._meta.db_table}"
            f" WHERE {' AND '.join(where)}"
        )
        params += piece_params
    for sign, first, last in days:
        signed = ", ".join(f"-{c}" if sign < 0 else c for c in sums)
        pieces.append(
            f"SELECT {keys}, {signed} FROM {DayFigures._meta.db_table}"
            f" WHERE {' AND '.join([*filters, 'day >= %s', 'day <= %s'])}"
        )
        params += [*values, first, last]
    grouped = {
        "month": "month" if grouping.months else None,
        "level": "level" if grouping.level else None,
        "field": "NULLIF(field_id, 0)" if grouping.classification else None,
        "category": "NULLIF(category_id, 0)" if grouping.classification else None,
    }
    if not pieces:  # An empty period (it ends before it starts).
        return []
    by = [expression for expression in grouped.values() if expression]
    selected = [grouped[name] or "NULL" for name in grouped]
    sql = (
        # As integers: PostgreSQL sums the kept months' bigints as numerics.
        f"SELECT {', '.join(selected)}, "
        + ", ".join(f"CAST(SUM({c}) AS BIGINT)" for c in KEPT)
        + f" FROM ({' UNION ALL '.join(pieces)}) pieces"
        + (f" GROUP BY {', '.join(by)}" if by else "")
        + " HAVING SUM(sessions) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return [
        Fact(
            month or "",
            level or "",
            "",
            field,
            category,
            None,
            contribution=_kept_contribution(sums),
        )
        for month, level, field, category, *sums in found
    ]


def forum_presence(query) -> list[tuple[int, str, int]]:
    """(forum id, its path, sessions held) of every forum with a session in
    the selection; one query, from the kept rows. Which forums held
    something, and which are a report's root's own line, without summing
    the other figures of 10,000 forums (9 against 45 ms in SQLite for a
    year at 100×)."""
    same = _AnyRow if connection.vendor == "sqlite" else Max
    values = (
        kept_rows(query, days_by_row=True)
        .values("forum_id")
        .annotate(kept_path=same("forum_path"), kept_held=Sum("held"))
        .values_list("forum_id", "kept_path", "kept_held")
    )
    sql, params = values.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _kept_contribution(values: tuple) -> tuple:
    """A kept row's sums as `CONTRIBUTION`: zeros for NULL, the hours in
    tenths as kept. Built by position, not value by value: a year by forum
    at 100× is 10,000 rows of eleven values."""
    held, cancelled, postponed, people, size, attended = values[:6]
    offered, credited, satisfied, rated, others = values[6:]
    return (
        held or 0,
        cancelled or 0,
        postponed or 0,
        people or 0,
        size or 0,
        attended or 0,
        offered or 0,
        credited or 0,
        satisfied or 0,
        rated or 0,
        others or 0,
    )


def _contribution(values: tuple) -> tuple:
    return tuple(
        _tenths(value) if index in _HOURS else (value or 0)
        for index, value in enumerate(values)
    )


def _tenths(value) -> int:
    """Hours summed by the database (a decimal, or on SQLite a number) in
    tenths."""
    if value is None:
        return 0
    summed = value if isinstance(value, Decimal) else Decimal(str(value))
    return int((summed * 10).to_integral_value())


def hours(tenths: int) -> Decimal:
    """Hours in tenths as a decimal of one place."""
    return Decimal(tenths).scaleb(-1)


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
