"""Teaching-quality figures (满意率, lecturers' scores) for the reports.

The one place the reports ask about evaluations: a thin layer over
`lectures.services.evaluation_results`, whose rules hold here too (only
sessions with enough responses show answers; 满意率 is the share of ratings
at the top two levels). Every function takes a queryset of sessions and
answers in a fixed number of queries; None (shown as “—”) means there is
nothing to show.
"""

from collections.abc import Callable

from django.db.models import Expression

from lectures.services import evaluation_results as results

#: A grouping of sessions: given the lookup prefix that leads to a session
#: ("" on sessions, "session__" on rows keyed to one), the grouping expression.
Grouping = Callable[[str], Expression]


def satisfaction_rate(sessions) -> float | None:
    """满意率 (percent) of a selection of sessions; one query."""
    return results.satisfaction_rate(sessions)


def satisfaction_by(sessions, key: Grouping) -> dict:
    """满意率 per group of sessions, keyed by the grouping's value; one query."""
    rows = (
        results.tallies(sessions)
        .annotate(group=key("session__"))
        .values("group")
        .annotate(rate=results._satisfaction())
        .order_by()
    )
    return {row["group"]: row["rate"] for row in rows}


def lecturer_scores(sessions) -> dict[int, dict]:
    """{lecturer id: {"score": …, "satisfaction": …}} over the selection;
    two queries."""
    return {
        row.lecturer_id: {"score": row.score, "satisfaction": row.satisfaction}
        for row in results.lecturer_ranking(sessions)
    }
