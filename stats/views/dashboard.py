"""The admin home's 统计 panel: the viewer's subtree at a glance."""

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from lectures.models import SessionPage
from records.services.ledger import LedgerRules
from stats.activity import ForumActivity, forum_lines, holding_ids
from stats.coverage import CoverageQuery, Tally, coverage_rate
from stats.figures import summary
from stats.query import ReportQuery
from stats.rules import ScopeError, default_scope

WAITING_SHOWN = 5
SILENT_SHOWN = 10


def waiting_for_approval(forum):
    """Sessions below `forum` (all when None) in an approval workflow."""
    # Workflow states name the base Page content type, so they are joined
    # through Page: from SessionPage the join never matched.
    in_progress = Page.objects.filter(
        _workflow_states__status=WorkflowState.STATUS_IN_PROGRESS
    ).values("pk")
    sessions = SessionPage.objects.filter(pk__in=in_progress)
    if forum is not None:
        sessions = sessions.in_subtree(forum)
    return sessions.order_by("start").distinct()


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
        waiting = waiting_for_approval(scope)
        return {
            "scope": scope,
            "year": today.year,
            "stats": year,
            "waiting": list(waiting.specific()[:WAITING_SHOWN]),
            "waiting_count": waiting.count(),
            "silent": activity.not_reporting(SILENT_SHOWN),
            "silent_count": len(activity.silent()),
            "report_url": reverse("stats_report_network"),
            "coverage": dashboard_coverage(request, scope, today),
            "coverage_url": reverse("stats_report_coverage"),
        }
