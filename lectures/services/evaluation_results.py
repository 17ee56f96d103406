"""Evaluation figures for any selection of sessions, by aggregate queries.

Every function takes a queryset of sessions (a forum's subtree, a lecturer's,
a period, a report's selection) and answers in a fixed number of queries.

* **Responses** are counted for every session; **answers** (scores,
  distributions, satisfaction, comments) only for sessions with at least
  `MIN_RESPONSES` responses, so nobody reads one or two people's answers,
  not even by comparing totals with and without a session.
* **Response rate (回收率)** = responses ÷ attendees (present or late).
* **Score**: each level is worth points on a 100-point basis (level ÷ top
  level × 100: 满意 100, 较满意 75, 一般 50, 不满意 25; or 20 … 100 for 1–5);
  a selection's weighted score is Σ weight·points·count ÷ Σ weight·count,
  the indicator weights' average over every rating given.
* **Satisfaction rate (满意率)**: the share of ratings at the top two levels
  (满意 + 较满意, or 5 + 4), over every indicator.
"""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext as _

from lectures.models import (
    Attendance,
    EvaluationComment,
    RatingTally,
    SessionEvaluation,
    SessionPage,
)
from lectures.models.evaluations import level_label
from training_site.formatting import percent

MIN_RESPONSES = 3


def shown_ratings(kept: str):
    """A session's ratings kept in its `RatingCount` (`kept`: "rated" or
    "satisfied") when its answers may be shown (`MIN_RESPONSES`), else 0 —
    as an expression over the session."""
    return Case(
        When(
            evaluation__responses__gte=MIN_RESPONSES,
            then=Coalesce(f"rating_count__{kept}", 0),
        ),
        default=0,
        output_field=IntegerField(),
    )


# Building blocks -----------------------------------------------------------


def _ratio(numerator, denominator, scale: float = 1.0):
    return Cast(numerator, FloatField()) * Value(scale) / NullIf(denominator, 0)


def _score():
    return _ratio(
        Sum(F("weight") * F("points") * F("count")), Sum(F("weight") * F("count"))
    )


def _satisfaction():
    return _ratio(Sum("count", filter=Q(satisfied=True)), Sum("count"), 100.0)


def _ids(sessions) -> QuerySet:
    return sessions.order_by().values("pk")


def shown(sessions) -> QuerySet:
    """The sessions of a selection whose answers may be shown (≥ 3 responses)."""
    return SessionPage.objects.filter(
        pk__in=_ids(sessions), evaluation__responses__gte=MIN_RESPONSES
    )


def tallies(sessions) -> QuerySet:
    """Rating tallies of the sessions of a selection that may be shown
    (`shown`, as one join: nested IN lists led PostgreSQL, before it had
    statistics, into a plan that took minutes)."""
    return RatingTally.objects.filter(
        session__in=_ids(sessions), session__evaluation__responses__gte=MIN_RESPONSES
    )


# Figures for a selection ---------------------------------------------------------


def attendees(sessions) -> int:
    """Person-times present or late: everyone who was handed a form (发放)."""
    return Attendance.objects.attended().filter(session__in=_ids(sessions)).count()


def responses(sessions) -> int:
    total = SessionEvaluation.objects.filter(session__in=_ids(sessions)).aggregate(
        n=Sum("responses")
    )["n"]
    return total or 0


def weighted_score(sessions) -> float | None:
    return tallies(sessions).aggregate(score=_score())["score"]


def satisfaction_rate(sessions) -> float | None:
    """满意率 in percent, or None when no session has enough responses."""
    return tallies(sessions).aggregate(rate=_satisfaction())["rate"]


@dataclass(frozen=True)
class Summary:
    attendees: int
    responses: int
    score: float | None
    satisfaction: float | None
    sessions_shown: int

    @property
    def response_rate(self) -> float | None:
        return self.responses * 100 / self.attendees if self.attendees else None

    @property
    def text(self) -> str:
        """The organisers' line: 共N人参训，发放N份，回收N份，回收率N%，满意率N%."""
        return _(
            "%(attendees)d took part, %(issued)d forms issued, %(responses)d "
            "returned, response rate %(rate)s, satisfaction rate %(satisfaction)s"
        ) % {
            "attendees": self.attendees,
            "issued": self.attendees,
            "responses": self.responses,
            "rate": percent(self.response_rate),
            "satisfaction": percent(self.satisfaction),
        }


def summary(sessions) -> Summary:
    """Three queries: attendees, responses, and the answers' aggregate."""
    answers = tallies(sessions).aggregate(
        score=_score(),
        satisfaction=_satisfaction(),
        sessions=Count("session", distinct=True),
    )
    return Summary(
        attendees=attendees(sessions),
        responses=responses(sessions),
        score=answers["score"],
        satisfaction=answers["satisfaction"],
        sessions_shown=answers["sessions"],
    )


# Per indicator ---------------------------------------------------------------------


@dataclass
class LevelCount:
    level: int
    label: str
    count: int
    share: float | None


@dataclass
class IndicatorRow:
    form: str
    name: str
    weight: int
    ratings: int
    score: float | None
    satisfaction: float | None
    levels: list[LevelCount] = field(default_factory=list)

    def level_count(self, level: int) -> int:
        return next((c.count for c in self.levels if c.level == level), 0)


def indicator_rows(sessions) -> list[IndicatorRow]:
    """Each indicator's distribution and score; two queries."""
    selected = tallies(sessions)
    rows = (
        selected.values(
            "indicator_id",
            "indicator__name",
            "indicator__sort_order",
            "indicator__form__name",
            "indicator__form__scale",
            "weight",
        )
        .annotate(ratings=Sum("count"), score=_score(), satisfaction=_satisfaction())
        .order_by("indicator__form__name", "indicator__sort_order", "indicator_id")
    )
    counts = {
        (c["indicator_id"], c["level"]): c["n"]
        for c in selected.values("indicator_id", "level").annotate(n=Sum("count"))
    }
    result = []
    for row in rows:
        scale, total = row["indicator__form__scale"], row["ratings"]
        levels = []
        for level in range(scale, 0, -1):
            n = counts.get((row["indicator_id"], level), 0)
            share = n * 100 / total if total else None
            levels.append(LevelCount(level, level_label(scale, level), n, share))
        result.append(
            IndicatorRow(
                form=row["indicator__form__name"],
                name=row["indicator__name"],
                weight=row["weight"],
                ratings=total,
                score=row["score"],
                satisfaction=row["satisfaction"],
                levels=levels,
            )
        )
    return result


def comments(session: SessionPage) -> list[str]:
    """A session's comments once it has enough responses; in no telling order."""
    return list(
        EvaluationComment.objects.filter(
            session__in=_ids(shown(SessionPage.objects.filter(pk=session.pk)))
        )
        .order_by("id")
        .values_list("text", flat=True)
    )


def comment_rows(sessions) -> QuerySet:
    """Comments of the shown sessions of a selection, for export."""
    return (
        EvaluationComment.objects.filter(session__in=_ids(shown(sessions)))
        .select_related("session")
        .order_by("session__start", "id")
    )


# Per session --------------------------------------------------------------------------


def _per_session(expression):
    """A per-session aggregate over its tallies, as a subquery."""
    return Subquery(
        RatingTally.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(value=expression)
        .values("value"),
        output_field=FloatField(),
    )


def with_figures(sessions) -> QuerySet:
    """The sessions annotated with attendees, responses, rate, score, satisfaction.

    Scores stay empty below the threshold. One query, plus one for lecturers.
    """
    attended = (
        Attendance.objects.attended()
        .filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    enough = Q(evaluation__responses__gte=MIN_RESPONSES)
    return (
        sessions.annotate(
            attendees=Coalesce(Subquery(attended, output_field=IntegerField()), 0),
            responses=Coalesce("evaluation__responses", 0),
        )
        .annotate(
            response_rate=_ratio(F("responses"), F("attendees"), 100.0),
            score=Case(When(enough, then=_per_session(_score()))),
            satisfaction=Case(When(enough, then=_per_session(_satisfaction()))),
        )
        .select_related("forum")
        .prefetch_related("lecturers")
    )


# Per lecturer -----------------------------------------------------------------------


@dataclass
class RankingRow:
    rank: int
    lecturer_id: int
    name: str
    sessions: int
    responses: int
    score: float | None
    satisfaction: float | None


def lecturer_ranking(sessions) -> list[RankingRow]:
    """Lecturers by weighted score over the shown sessions; two queries.

    A session with two lecturers counts for both.
    """
    rows = (
        tallies(sessions)
        .filter(session__lecturers__isnull=False)
        .values("session__lecturers", "session__lecturers__name")
        .annotate(
            score=_score(),
            satisfaction=_satisfaction(),
            sessions=Count("session", distinct=True),
        )
        .order_by("-score", "session__lecturers__name", "session__lecturers")
    )
    answered = dict(
        SessionEvaluation.objects.filter(session__in=_ids(shown(sessions)))
        .filter(session__lecturers__isnull=False)
        .values("session__lecturers")
        .annotate(n=Sum("responses"))
        .values_list("session__lecturers", "n")
    )
    return [
        RankingRow(
            rank=rank,
            lecturer_id=row["session__lecturers"],
            name=row["session__lecturers__name"],
            sessions=row["sessions"],
            responses=answered.get(row["session__lecturers"], 0),
            score=row["score"],
            satisfaction=row["satisfaction"],
        )
        for rank, row in enumerate(rows, start=1)
    ]
