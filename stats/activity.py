"""Which forums of a selection held a session of it, and which are silent.

A forum is *active* when it held at least one session of the selection in
the period; the others are *not reporting* (未报送). The selection's forums
are read once, as lines, and everything about them — counts by tier, the
new ones, the silent ones — is worked out from those lines and the set of
forums that held something. That set comes from the session facts when the
report has them grouped by forum (`held_by`), so a report does not scan the
period's sessions again for it.
"""

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast

from lectures.models import ForumLevel, ForumPage
from stats.facts import Fact
from stats.query import ReportQuery

#: Fact.contribution[HELD] is the number of sessions held (see CONTRIBUTION).
HELD = 0


class ForumLine(NamedTuple):
    """A forum of the selection's subtree, as the report needs it (a tuple:
    10,500 of them at 100× the seed are made in a fifth of a frozen
    dataclass's time)."""

    pk: int
    path: str
    level: str
    founded_on: date | None
    title: str
    slug: str
    unit_name: str

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "slug": self.slug,
            "level": self.level,
            "unit_name": self.unit_name,
        }


def forum_lines(query: ReportQuery) -> list[ForumLine]:
    """The selection's forums (`ReportQuery.forums`), in tree order; one query."""
    return selected(subtree_lines(query), query)


def selected(lines: list[ForumLine], query: ReportQuery) -> list[ForumLine]:
    """Of the subtree's lines, the selection's forums: of its tier, founded
    by its last day."""
    return [line for line in lines if query.selects_forum(line.level, line.founded_on)]


def subtree_lines(query: ReportQuery) -> list[ForumLine]:
    """Every live forum of the selection's subtree, whatever its tier or
    founding day, in tree order; one query. The report lists the children
    of its forum from them too (`stats.network.forums`).

    Sorted here, not by the database: ordered by path, SQLite reads every
    page of the tree in the path index's order (sessions included, 0.2 s of
    CPU at 100× the seed) instead of the forums and their pages."""
    rows = (
        query.subtree_forums()
        # By page type, as `lectures.services.overview.forum_counts` counts
        # them: SQLite then reads the forums from the (type, path, live)
        # index instead of every page of the tree for its `live` flag
        # (66,000 at 100× the seed: 24 against 6 ms).
        .filter(content_type__in=forum_types())
        .order_by()
        # The day as text: read as a date column, SQLite's connection turns
        # each one into a date with Django's parser (10,500 of them at 100×
        # the seed: 25 ms of CPU, against 2 ms for `date.fromisoformat`).
        .annotate(founded_text=Cast("founded_on", CharField()))
        .values_list(
            "pk", "path", "level", "founded_text", "title", "slug", "unit_name"
        )
    )
    # Read from the cursor, as the session facts are: Django's converters
    # cost five times the query on 10,000 forums.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    lines = [
        ForumLine(pk, path, level, _day(founded), title, slug, unit)
        for pk, path, level, founded, title, slug, unit in found
    ]
    return sorted(lines, key=lambda line: line.path)


def forum_types() -> list[int]:
    """The page types of the forums (each tier is one)."""
    models = [ForumPage, *ForumPage.__subclasses__()]
    return [ContentType.objects.get_for_model(model).pk for model in models]


def _day(value: str | None) -> date | None:
    """A date read as text (ISO 8601 on both databases)."""
    return None if value is None else date.fromisoformat(value)


def held_by(facts: list[Fact]) -> set[int]:
    """Ids of the forums that held a session, from facts grouped by forum."""
    return {fact.forum_id for fact in facts if fact.contribution[HELD]}


def holding_ids(query: ReportQuery) -> set[int]:
    """Ids of the forums that held a session of the selection; one query."""
    held = query.sessions().held().order_by().values_list("forum_id", flat=True)
    return set(held.distinct())


@dataclass(frozen=True)
class ForumActivity:
    lines: list[ForumLine]
    holding: set[int]

    def silent(self) -> list[ForumLine]:
        return [line for line in self.lines if line.pk not in self.holding]

    def not_reporting(self, limit: int | None = None) -> list[dict]:
        """The silent forums in tree order, the first `limit` (None: all)."""
        silent = self.silent()
        return [line.as_dict() for line in silent[:limit]]

    def figures(self, first_day: date, last_day: date) -> dict[str, dict[str, int]]:
        """{"founded", "active", "new"}: forums of each tier."""
        result = {
            name: dict.fromkeys(ForumLevel.values, 0)
            for name in ("founded", "active", "new")
        }
        for line in self.lines:
            result["founded"][line.level] += 1
            result["active"][line.level] += line.pk in self.holding
            result["new"][line.level] += (
                line.founded_on is not None and first_day <= line.founded_on <= last_day
            )
        return result
