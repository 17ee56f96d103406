"""The admin home's panel of founding applications in progress.

One query when there are none (the usual day); four for up to ten shown,
whatever their number: the forums, their workflow states, their parents and
the reasons of those sent back for changes.
"""

from django.template.loader import get_template
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from people.services.founding import applications_in_progress

SHOWN = 10


def _rows(forums: list) -> list[dict]:
    ids = [str(forum.pk) for forum in forums]
    states = {}
    for state in WorkflowState.objects.filter(object_id__in=ids).order_by("created_at"):
        states[state.object_id] = state  # the latest wins
    step = Page.steplen
    parents = dict(
        Page.objects.filter(
            path__in={forum.path[:-step] for forum in forums}
        ).values_list("path", "title")
    )
    sent_back = [s.pk for s in states.values() if s.status == s.STATUS_NEEDS_CHANGES]
    reasons = {}
    rejected = TaskState.objects.filter(
        workflow_state_id__in=sent_back, status=TaskState.STATUS_REJECTED
    ).order_by("finished_at", "pk")
    for task_state in rejected:
        reasons[task_state.workflow_state_id] = task_state.comment
    rows = []
    for forum in forums:
        state = states.get(str(forum.pk))
        rows.append(
            {
                "forum": forum,
                "parent_title": parents.get(forum.path[:-step], ""),
                "status": state.get_status_display() if state else "",
                "reason": reasons.get(state.pk, "") if state else "",
            }
        )
    return rows


class FoundingPanel(Component):
    name = "founding_applications"
    order = 40
    template_name = "people/admin/founding_panel.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        forums = applications_in_progress(request.user)
        shown = list(forums.select_related("owner")[: SHOWN + 1])
        count = len(shown) if len(shown) <= SHOWN else forums.count()
        shown = shown[:SHOWN]
        return {"rows": _rows(shown) if shown else [], "count": count}

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["count"]:
            return ""
        return get_template(self.template_name).render(context)
