"""The admin home's 统计 panel: the viewer's subtree at a glance."""

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from lectures.models import SessionPage
from records.services.ledger import LedgerRules
from stats.activity import ForumActivity, forum_lines, holding_ids
from stats.coverage import CoverageQuery, Tally, coverage_rate
from stats.figures import summary
from stats.query import ReportQuery
from stats.rules import ScopeError, default_scope

WAITING_SHOWN = 5
SILENT_SHOWN = 10


def waiting_for_approval(user):
    """The sessions `user` may approve now.

    The same task states as Wagtail's own "awaiting your review" panel
    (`TaskState.objects.reviewable_by`), so the two never disagree: the
    count is of what he can act on, not of every workflow in his subtree.
    """
    # Workflow states keep the object's id as text; the handful of ids is
    # read once rather than cast in a join (PostgreSQL refuses int = text).
    ids = {
        int(object_id)
        for object_id in TaskState.objects.reviewable_by(user).values_list(
            "workflow_state__object_id", flat=True
        )
    }
    return SessionPage.objects.filter(pk__in=ids).order_by("start")


#: How long the panel's coverage is kept (seconds): it reads every cadre's
#: ledger, 1.5 s for the district at 10× the seed, and the admin home is
#: every administrator's first page.
COVERAGE_KEPT = 600


def dashboard_coverage(request, scope, today) -> Tally:
    """The scope's coverage this year, from the shared cache for up to
    `COVERAGE_KEPT` seconds (the report itself is always fresh)."""
    key = f"stats:coverage:{scope.pk if scope else 0}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = coverage_rate(
            CoverageQuery(year=today.year, forum=scope),
            rules=LedgerRules.for_request(request),
        )
        cache.set(key, found, COVERAGE_KEPT)
    return found


class StatsPanel(Component):
    name = "lecture_stats"
    order = 50
    template_name = "stats/reports/dashboard_panel.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        try:
            scope = default_scope(request.user)
        except ScopeError:
            return {"scope_error": True}
        today = timezone.localdate()
        year = summary(ReportQuery(start=today.replace(month=1, day=1), forum=scope))
        month = ReportQuery(start=today.replace(day=1), forum=scope)
        activity = ForumActivity(forum_lines(month), holding_ids(month))
        # A handful at most: what awaits this viewer's own decision.
        waiting = list(waiting_for_approval(request.user))
        return {
            "scope": scope,
            "year": today.year,
            "stats": year,
            "waiting": waiting[:WAITING_SHOWN],
            "waiting_count": len(waiting),
            "silent": activity.not_reporting(SILENT_SHOWN),
            "silent_count": len(activity.silent()),
            "report_url": reverse("stats_report_network"),
            "coverage": dashboard_coverage(request, scope, today),
            "coverage_url": reverse("stats_report_coverage"),
        }
