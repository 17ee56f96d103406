"""Teaching-quality figures (满意率, lecturers' scores) for the reports.

The one place the reports ask about evaluations, so that wiring them to the
evaluation results service changes this module and nothing else. Every
function takes a queryset of sessions and answers in a fixed number of
queries; None (shown as “—”) means there is nothing to show.
"""

from collections.abc import Callable

from django.db.models import Expression

#: A grouping of sessions: given the lookup prefix that leads to a session
#: ("" on sessions, "session__" on rows keyed to one), the grouping expression.
Grouping = Callable[[str], Expression]


def satisfaction_rate(sessions) -> float | None:
    """满意率 (percent) of a selection of sessions."""
    return None


def satisfaction_by(sessions, key: Grouping) -> dict:
    """满意率 per group of sessions, keyed by the grouping's value."""
    return {}


def lecturer_scores(sessions) -> dict[int, dict]:
    """{lecturer id: {"score": …, "satisfaction": …}} over the selection."""
    return {}
