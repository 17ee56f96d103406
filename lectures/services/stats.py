"""Network statistics: every figure an aggregate over rows, never a counter.

The same function serves `lecture_stats`, the admin reports and the tests, so
a question asked two ways is answered by the same query.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
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
from django.utils.translation import gettext as _

from lectures.filters import day_start
from lectures.models import (
    Attendance,
    ForumLevel,
    ForumPage,
    SessionPage,
    SessionStatus,
)
from lectures.services.overview import forum_counts


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date

    @property
    def bounds(self):
        """[start, end] as aware datetimes in Asia/Shanghai (end inclusive)."""
        lower = day_start(self.start) if self.start else None
        return lower, day_start(self.end + timedelta(days=1))


@dataclass
class NetworkStats:
    period: dict
    forum: dict | None
    forums: dict[str, int]
    sessions_held: int
    sessions_cancelled: int
    sessions_postponed: int
    participants: int
    unique_participants: int
    study_hours_offered: str
    by_level: dict[str, dict] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def with_person_times(sessions):
    """Annotate `people`: attendance (present + late) where the session kept a
    roster, else its declared head-count. The one rule every figure uses."""
    attended = (
        Attendance.objects.attended()
        .filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    kept_roster = Exists(Attendance.objects.filter(session=OuterRef("pk")))
    return sessions.annotate(
        people=Case(
            When(kept_roster, then=Coalesce(Subquery(attended), 0)),
            default=Coalesce("headcount", 0),
            output_field=IntegerField(),
        )
    )


def person_times(sessions) -> int:
    """Person-times (人次) of the held sessions among `sessions`."""
    held = with_person_times(sessions.held().order_by())
    return held.aggregate(total=Sum("people"))["total"] or 0


def network_stats(
    start: date | None = None, end: date | None = None, forum: ForumPage | None = None
) -> NetworkStats:
    """Figures for sessions starting within [start, end] below `forum` (or all)."""
    end = end or timezone.localdate()
    sessions = SessionPage.objects.live().lectures()
    forums = ForumPage.objects.live().filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=end)
    )
    if forum is not None:
        sessions = sessions.in_subtree(forum)
        forums = forums.in_subtree(forum)
    lower, upper = Period(start, end).bounds
    sessions = sessions.starting_between(lower, upper)
    if start is None:
        first = sessions.aggregate(first=Min("start"))["first"]
        start = timezone.localdate(first) if first else end

    totals = sessions.order_by().aggregate(
        held=Count("pk", filter=Q(status=SessionStatus.HELD)),
        cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
        postponed=Count("pk", filter=Q(status=SessionStatus.POSTPONED)),
        hours=Sum("study_hours", filter=Q(status=SessionStatus.HELD)),
    )
    totals["people"] = person_times(sessions)
    unique = (
        Attendance.objects.attended()
        .filter(session__in=sessions.held().values("pk"))
        .values("user")
        .distinct()
        .count()
    )
    by_level = {level: {"sessions_held": 0, "participants": 0} for level in ForumLevel}
    rows = (
        with_person_times(sessions.held().order_by())
        .values("forum__level")
        .annotate(n=Count("pk"), total=Sum("people"))
    )
    for row in rows:
        if row["forum__level"] in by_level:
            by_level[row["forum__level"]] = {
                "sessions_held": row["n"],
                "participants": row["total"] or 0,
            }
    return NetworkStats(
        period={"from": start.isoformat(), "to": end.isoformat()},
        forum=(
            {"slug": forum.slug, "title": forum.title, "level": forum.level}
            if forum
            else None
        ),
        forums=forum_counts(forums),
        sessions_held=totals["held"],
        sessions_cancelled=totals["cancelled"],
        sessions_postponed=totals["postponed"],
        participants=totals["people"] or 0,
        # Only rosters name people: sessions counted by head-count add
        # person-times but cannot tell who came twice.
        unique_participants=unique,
        study_hours_offered=str(totals["hours"] or 0),
        by_level={str(level): figures for level, figures in by_level.items()},
    )


def work_report_paragraph(stats: NetworkStats) -> str:
    """The sentence organisers paste into a work report (工作汇报)."""
    end = date.fromisoformat(stats.period["to"])
    scope = stats.forum["title"] if stats.forum else _("the district")
    return _(
        "As of %(year)d-%(month)02d, %(scope)s has founded %(district)s district "
        "forum(s), %(unit)s town/street and district-unit forum(s) and %(village)s "
        "village/community forum(s); %(held)s session(s) have been held, with "
        "%(people)s person-times taking part."
    ) % {
        "year": end.year,
        "month": end.month,
        "scope": scope,
        "district": f"{stats.forums['district']:,}",
        "unit": f"{stats.forums['unit']:,}",
        "village": f"{stats.forums['village']:,}",
        "held": f"{stats.sessions_held:,}",
        "people": f"{stats.participants:,}",
    }
