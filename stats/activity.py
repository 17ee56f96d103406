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

from lectures.models import ForumLevel
from stats.facts import Fact
from stats.query import ReportQuery

#: Fact.contribution[HELD] is the number of sessions held (see CONTRIBUTION).
HELD = 0


@dataclass(frozen=True, slots=True)
class ForumLine:
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
    """The selection's forums, in tree order; one query."""
    rows = (
        query.forums()
        .order_by("path")
        .values_list("pk", "path", "level", "founded_on", "title", "slug", "unit_name")
    )
    return [ForumLine(*row) for row in rows]


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
