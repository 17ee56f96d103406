"""The admin home's panel of founding applications in progress."""

from wagtail.admin.ui.components import Component

from people.services.founding import applications_in_progress, rejection_reason

SHOWN = 10


class FoundingPanel(Component):
    name = "founding_applications"
    order = 40
    template_name = "people/admin/founding_panel.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        forums = applications_in_progress(request.user)
        shown = list(forums.select_related("owner")[:SHOWN])
        rows = []
        for forum in shown:
            state = forum.workflow_states.order_by("-created_at").first()
            rows.append(
                {
                    "forum": forum,
                    "parent": forum.get_parent(),
                    "status": state.get_status_display() if state else "",
                    "needs_changes": bool(state and state.status == "needs_changes"),
                    "reason": rejection_reason(forum)
                    if state and state.status == "needs_changes"
                    else "",
                }
            )
        return {"rows": rows, "count": forums.count()}

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["count"]:
            return ""
        return super().render_html(parent_context)
