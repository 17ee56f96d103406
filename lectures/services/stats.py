"""Network statistics: every figure an aggregate over rows, never a counter.

The same functions serve `lecture_stats`, the admin reports, the dashboard
and the tests, so a question asked two ways is answered by the same query.

Counting rules, written once here:

* **Person-times (人次)** of a held session: its attendance (present + late)
  if it kept a roster, else its declared head-count.
* **Unique participants**: people on the rosters (present or late); a
  head-count cannot tell who came twice.
* **Attendance rate (到课率)**: present + late ÷ everyone on the roster
  (present, late, on leave, absent), over held sessions that kept a roster.
* **Study hours credited**: each roster attendee earns the session's hours.
* **Active forum**: held at least one session of the selection in the
  period; the others are *not reporting* (未报送).
"""

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from lectures.models import (
    Attendance,
    ForumLevel,
    ForumPage,
    SessionStatus,
)
from lectures.services import quality
from lectures.services.report_query import ReportQuery

HELD = Q(status=SessionStatus.HELD)


def _count_per_session(attendance):
    rows = (
        attendance.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_person_times(sessions):
    """Annotate `people` (the counting rule), `on_roster` (everyone marked on
    its roster) and `attended` (present or late)."""
    return sessions.annotate(
        on_roster=_count_per_session(Attendance.objects.all()),
        attended=_count_per_session(Attendance.objects.attended()),
    ).annotate(
        people=Case(
            When(on_roster__gt=0, then=F("attended")),
            default=Coalesce("headcount", 0),
            output_field=IntegerField(),
        )
    )


def person_times(sessions) -> int:
    """Person-times (人次) of the held sessions among `sessions`."""
    held = with_person_times(sessions.held().order_by())
    return held.aggregate(total=Sum("people"))["total"] or 0


def _aggregates() -> dict:
    """Every additive figure of a set of sessions, as aggregate expressions."""
    return {
        "sessions_held": Count("pk", filter=HELD),
        "sessions_cancelled": Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
        "sessions_postponed": Count("pk", filter=Q(status=SessionStatus.POSTPONED)),
        "participants": Sum("people", filter=HELD),
        "roster_size": Sum("on_roster", filter=HELD),
        "roster_attended": Sum("attended", filter=HELD),
        "study_hours_offered": Sum("study_hours", filter=HELD),
        "study_hours_credited": Sum(F("attended") * F("study_hours"), filter=HELD),
    }


def rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


ADDITIVE = (
    "sessions_held",
    "sessions_cancelled",
    "sessions_postponed",
    "participants",
    "roster_size",
    "roster_attended",
    "study_hours_offered",
    "study_hours_credited",
)


@dataclass
class Figures:
    """The additive figures of a set of sessions, and the rates they give."""

    sessions_held: int = 0
    sessions_cancelled: int = 0
    sessions_postponed: int = 0
    participants: int = 0
    roster_size: int = 0
    roster_attended: int = 0
    study_hours_offered: Decimal = Decimal(0)
    study_hours_credited: Decimal = Decimal(0)
    satisfaction_rate: float | None = None

    @classmethod
    def from_row(cls, row: dict, **extra) -> "Figures":
        names = {f.name for f in fields(Figures)}
        values = {k: v for k, v in row.items() if k in names and v is not None}
        for name in ("study_hours_offered", "study_hours_credited"):
            values[name] = Decimal(values.get(name, 0)).quantize(Decimal("0.1"))
        return cls(**values, **extra)

    @property
    def attendance_rate(self) -> float | None:
        return rate(self.roster_attended, self.roster_size)

    def __add__(self, other: "Figures") -> "Figures":
        """The figures of both sets together (a rate cannot be added: dropped)."""
        return Figures(
            **{name: getattr(self, name) + getattr(other, name) for name in ADDITIVE}
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data["attendance_rate"] = self.attendance_rate
        if self.satisfaction_rate is not None:
            data["satisfaction_rate"] = round(self.satisfaction_rate, 1)
        for name in ("study_hours_offered", "study_hours_credited"):
            data[name] = str(data[name])
        return data


def figures(sessions) -> Figures:
    """The figures of a selection of sessions, in one query."""
    row = with_person_times(sessions.order_by()).aggregate(**_aggregates())
    return Figures.from_row(row)


def grouped_figures(sessions, key) -> dict:
    """{group: Figures} of a selection grouped by `key` (see `quality.Grouping`),
    in one query plus one for satisfaction."""
    rows = (
        with_person_times(sessions.order_by())
        .annotate(group=key(""))
        .values("group")
        .annotate(**_aggregates())
        .order_by()
    )
    satisfaction = quality.satisfaction_by(sessions, key)
    return {
        row["group"]: Figures.from_row(
            row, satisfaction_rate=satisfaction.get(row["group"])
        )
        for row in rows
    }


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


def held_in(query: ReportQuery):
    """Held sessions of the selection, for `Exists(…filter(forum=OuterRef("pk")))`."""
    return query.sessions().held().order_by()


def forum_figures(query: ReportQuery, first_day: date) -> dict[str, dict[str, int]]:
    """Forums of the selection by level: founded, active, new in the period."""
    active = Exists(held_in(query).filter(forum=OuterRef("pk")))
    rows = (
        query.forums()
        .order_by()
        .values("level")
        .annotate(
            founded=Count("pk"),
            active=Count("pk", filter=Q(active)),
            new=Count(
                "pk",
                filter=Q(founded_on__gte=first_day, founded_on__lte=query.last_day),
            ),
        )
    )
    result = {
        name: dict.fromkeys(ForumLevel.values, 0)
        for name in ("founded", "active", "new")
    }
    for row in rows:
        for name in result:
            result[name][row["level"]] = row[name]
    return result


def level_key(prefix: str):
    return F(f"{prefix}forum__level")


def first_day(query: ReportQuery) -> date:
    """The period's first day: as asked, or the selection's first session."""
    if query.start is not None:
        return query.start
    first = query.sessions().order_by().aggregate(first=Min("start"))["first"]
    return timezone.localdate(first) if first else query.last_day


def summary(
    query: ReportQuery, *, start: date | None = None, tiers: dict | None = None
) -> NetworkStats:
    """The totals of a selection, in a fixed number of queries.

    `start` and `tiers` (the figures by level) may be passed in by a caller
    that has them already."""
    start = start or first_day(query)
    sessions = query.sessions()
    totals = figures(sessions)
    forums = forum_figures(query, start)
    unique = (
        Attendance.objects.attended()
        .filter(session__in=sessions.held().order_by().values("pk"))
        .values("user")
        .distinct()
        .count()
    )
    if tiers is None:
        tiers = grouped_figures(sessions, level_key)
    described = query.describe()
    return NetworkStats(
        **{
            f.name: getattr(totals, f.name)
            for f in fields(Figures)
            if f.name != "satisfaction_rate"
        },
        satisfaction_rate=quality.satisfaction_rate(sessions),
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
