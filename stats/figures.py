"""Network statistics: every figure an aggregate over rows, never a counter.

The same functions serve `lecture_stats`, the admin reports, the dashboard
and the tests, so a question asked two ways is answered by the same query.
The counting rules themselves are in `lectures.counting`.
"""

from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from lectures.counting import rate
from lectures.models import ForumLevel, ForumPage
from stats.activity import ForumActivity, forum_lines, held_by
from stats.facts import (
    CONTRIBUTION,
    Fact,
    Grouping,
    fold,
    hours,
    kept_facts,
    total,
)
from stats.participants import (
    covers_the_network,
    kept_unique_participants,
    unique_participants,
)
from stats.query import ReportQuery
from training_site.background import beside

#: The figures that add up across sets of sessions.
ADDITIVE = tuple(name for name in CONTRIBUTION if name not in ("satisfied", "rated"))


@dataclass
class Figures:
    """The additive figures of a set of sessions, and the rates they give."""

    sessions_held: int = 0
    sessions_cancelled: int = 0
    sessions_postponed: int = 0
    participants: int = 0
    #: Of the person-times, the attendees who are not registered cadres.
    other_participants: int = 0
    roster_size: int = 0
    roster_attended: int = 0
    study_hours_offered: Decimal = Decimal(0)
    study_hours_credited: Decimal = Decimal(0)
    satisfaction_rate: float | None = None

    @classmethod
    def of(cls, contribution: tuple, **extra) -> "Figures":
        """The figures of a summed contribution (see `kept_facts`)."""
        values = dict(zip(CONTRIBUTION, contribution, strict=True))
        satisfied, rated = values.pop("satisfied"), values.pop("rated")
        for name in ("study_hours_offered", "study_hours_credited"):
            values[name] = hours(values[name])
        return cls(
            **values,
            satisfaction_rate=satisfied * 100 / rated if rated else None,
            **extra,
        )

    @classmethod
    def summed(cls, contributions) -> "Figures":
        """The figures of several contributions together."""
        return cls.of(total(contributions))

    @property
    def attendance_rate(self) -> float | None:
        return rate(self.roster_attended, self.roster_size)

    @property
    def cadre_participants(self) -> int:
        """Of the person-times, the cadres (`lectures.counting`)."""
        return self.participants - self.other_participants

    def __add__(self, other: "Figures") -> "Figures":
        """The figures of both sets together (a rate cannot be added: dropped)."""
        return Figures(
            **{name: getattr(self, name) + getattr(other, name) for name in ADDITIVE}
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data["attendance_rate"] = self.attendance_rate
        data["cadre_participants"] = self.cadre_participants
        if self.satisfaction_rate is not None:
            data["satisfaction_rate"] = round(self.satisfaction_rate, 1)
        for name in ("study_hours_offered", "study_hours_credited"):
            data[name] = str(data[name])
        return data


def grouped(facts: list[Fact], key: Callable[[Fact], Hashable]) -> dict:
    """{group: Figures} of the facts grouped by `key`."""
    return {group: Figures.of(summed) for group, summed in fold(facts, key).items()}


@dataclass
class NetworkStats(Figures):
    """The totals of a selection: `lecture_stats --format json` and the admin."""

    period: dict = field(default_factory=dict)
    #: No start was asked for: the period runs from the first session.
    cumulative: bool = False
    forum: dict | None = None
    filters: dict = field(default_factory=dict)
    forums: dict[str, int] = field(default_factory=dict)
    forums_active: dict[str, int] = field(default_factory=dict)
    forums_not_reporting: dict[str, int] = field(default_factory=dict)
    forums_founded_in_period: dict[str, int] = field(default_factory=dict)
    unique_participants: int = 0
    by_level: dict[str, dict] = field(default_factory=dict)


#: How `summary` groups the facts: by tier for its table, by forum for which
#: forums held something.
BY_FORUM = Grouping(forum=True)


def level_key(fact: Fact) -> str | None:
    return fact.level


def first_day(query: ReportQuery) -> date:
    """The period's first day: as asked, or the selection's first session."""
    if query.start is not None:
        return query.start
    first = query.sessions().order_by().aggregate(first=Min("start"))["first"]
    return timezone.localdate(first) if first else query.last_day


def count_participants(query: ReportQuery) -> Future:
    """Start counting the selection's unique participants beside the caller
    (`training_site.background`); one query. The whole network's are summed
    from the kept rows at once: a few milliseconds, less than a connection
    of its own would cost."""
    if covers_the_network(query):
        counted: Future = Future()
        counted.set_result(kept_unique_participants(query.start, query.last_day))
        return counted
    return beside(unique_participants, query.sessions().held())


def summary(
    query: ReportQuery,
    *,
    start: date | None = None,
    facts: list[Fact] | None = None,
    activity: ForumActivity | None = None,
    unique: Future | None = None,
    levels: dict | None = None,
) -> NetworkStats:
    """The totals of a selection, in a fixed number of queries.

    `start`, `facts` (grouped by tier and by forum, `BY_FORUM`) and
    `activity` (its forums, and which held something) may be passed in by a
    caller that has them already, and `unique`, the unique participants being
    counted (`count_participants`), which is otherwise started first, to run
    beside the rest; and `levels`, the facts' contributions folded by tier
    (`fold(facts, level_key)`), whose sum is the totals."""
    if unique is None:
        unique = count_participants(query)
    start = start or first_day(query)
    if facts is None and (levels is None or activity is None):
        facts = kept_facts(query, BY_FORUM)
    if levels is None:
        levels = fold(facts, level_key)
    totals = Figures.summed(levels.values())
    tiers = {level: Figures.of(summed) for level, summed in levels.items()}
    if activity is None:
        activity = ForumActivity(forum_lines(query), held_by(facts))
    forums = activity.figures(start, query.last_day)
    unique = unique.result()
    described = query.describe()
    return NetworkStats(
        **{f.name: getattr(totals, f.name) for f in fields(Figures)},
        period={"from": start.isoformat(), "to": query.last_day.isoformat()},
        cumulative=query.start is None,
        forum=described.pop("forum"),
        filters=described,
        forums=forums["founded"],
        forums_active=forums["active"],
        forums_not_reporting={
            level: forums["founded"][level] - forums["active"][level]
            for level in ForumLevel.values
        },
        forums_founded_in_period=forums["new"],
        unique_participants=unique,
        by_level={
            level: {
                "sessions_held": tiers[level].sessions_held if level in tiers else 0,
                "participants": tiers[level].participants if level in tiers else 0,
            }
            for level in ForumLevel.values
        },
    )


def network_stats(
    start: date | None = None,
    end: date | None = None,
    forum: ForumPage | None = None,
    **filters,
) -> NetworkStats:
    """Figures for sessions starting within [start, end] below `forum` (or all)."""
    return summary(ReportQuery(start=start, end=end, forum=forum, **filters))
