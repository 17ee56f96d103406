"""Teaching-quality figures (满意率, lecturers' scores) for the reports.

The one place the reports ask about evaluations: a thin layer over
`lectures.services.evaluation_results`, whose rules hold here too (only
sessions with enough responses show answers; 满意率 is the share of ratings
at the top two levels). Every function takes a queryset of sessions and
answers in a fixed number of queries; None (shown as “—”) means there is
nothing to show.
"""

from lectures.services import evaluation_results as results


def lecturer_scores(sessions) -> dict[int, dict]:
    """{lecturer id: {"score": …, "satisfaction": …}} over the selection;
    two queries."""
    return {
        row.lecturer_id: {"score": row.score, "satisfaction": row.satisfaction}
        for row in results.lecturer_ranking(sessions)
    }
