"""Wagtail's page views for the network, each narrowed or made to say more.

* Adding a child page offers only the types the user may draft
  (`can_create_page`): a lecturer is offered sessions and, offered one type,
  goes straight to its form, as Wagtail does.
* A page's editor shows where its approval stands above the form — waiting,
  or sent back with the reviewer's comment — and a session's header links
  to its roster for those who organise it.
* Approving or sending back says so once done.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.views.pages.create import AddSubpageView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page, TaskState, WorkflowState

from lectures.models import SessionPage
from lectures.rules import can_create_page, may_organise


class NetworkAddSubpageView(AddSubpageView):
    def dispatch(self, request, parent_page_id, *args, **kwargs):
        parent = self.parent_page = get_object_or_404(Page, id=parent_page_id).specific
        if not parent.permissions_for_user(request.user).can_add_subpage():
            raise PermissionDenied
        models = [
            model
            for model in type(parent).creatable_subpage_models()
            if model.can_create_at(parent)
            and can_create_page(request.user, parent, model)
        ]
        if not models:
            raise PermissionDenied
        if len(models) == 1:
            meta = models[0]._meta
            return redirect(
                "wagtailadmin_pages:add", meta.app_label, meta.model_name, parent.pk
            )
        self.page_types = sorted(
            (
                (
                    model.get_verbose_name(),
                    model._meta.app_label,
                    model._meta.model_name,
                    model.get_page_description(),
                )
                for model in models
            ),
            key=lambda page_type: page_type[0].lower(),
        )
        return TemplateView.dispatch(self, request, parent_page_id, *args, **kwargs)


def review_state(page: Page) -> dict | None:
    """Where the page's approval stands, for the banner above its form."""
    state = page.current_workflow_state
    if state is None:
        return None
    task_state = state.current_task_state
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return {
            "sent_back": True,
            "comment": task_state.comment if task_state else "",
            "by": task_state.finished_by if task_state else None,
            "at": task_state.finished_at if task_state else None,
        }
    return {
        "sent_back": False,
        "task": task_state.task.name if task_state else "",
        "since": state.created_at,
    }


class NetworkEditView(EditView):
    def get_template_names(self):
        names = super().get_template_names()
        if names == ["wagtailadmin/pages/edit.html"]:
            return ["lectures/admin/page_edit.html"]
        return names

    @cached_property
    def header_buttons(self):
        page = self.page
        if isinstance(page, SessionPage) and may_organise(self.request.user, page):
            return [
                HeaderButton(
                    _("Roster and check-in"),
                    reverse("lectures_roster", args=[page.pk]),
                    icon_name="list-ul",
                    priority=10,
                )
            ]
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review"] = review_state(self.page)
        return context

    def perform_workflow_action(self):
        """The editor footer's approve / send back: saved, then said as such
        rather than Wagtail's "page updated"."""
        task_state = self.page.current_workflow_task_state
        self.acting_on_workflow = True
        response = super().perform_workflow_action()
        if task_state is not None:
            confirm_workflow_action(self.request, self.page, task_state)
        return response

    def add_save_confirmation_message(self):
        if not getattr(self, "acting_on_workflow", False):
            super().add_save_confirmation_message()


def confirm_workflow_action(request, page, task_state) -> None:
    """Say what the reviewer's action did, once it is done."""
    task_state.refresh_from_db(fields=["status"])
    title = page.get_admin_display_title()
    if task_state.status == TaskState.STATUS_APPROVED:
        messages.success(request, _("'%(title)s' approved.") % {"title": title})
    elif task_state.status == TaskState.STATUS_REJECTED:
        messages.success(
            request,
            _("'%(title)s' sent back for changes; the submitter is told.")
            % {"title": title},
        )


class ConfirmedWorkflowActionView(WorkflowActionView):
    """The action from the dashboard or the modal (approve with a comment)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        confirm_workflow_action(request, self.object, self.task_state)
        return response


class SubmitForApprovalMenuItem(SubmitForModerationMenuItem):
    """'Submit for approval' (or 'Resubmit'), named for what it does."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page and page.pk else None
        context["label"] = (
            RESUBMIT
            if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES
            else SUBMIT
        )
        return context


SUBMIT = gettext_lazy("Submit for approval")
RESUBMIT = gettext_lazy("Resubmit for approval")


def submit_first_for_those_who_cannot_publish(menu_items, request, context):
    """Someone who may not publish has one way forward: submitting it."""
    names = [item.name for item in menu_items]
    if "action-publish" in names or "action-submit" not in names:
        return
    index = names.index("action-submit")
    item = menu_items.pop(index)
    menu_items.insert(0, SubmitForApprovalMenuItem(order=item.order))


class NetworkPageViewSet(PageViewSet):
    """Wagtail's page views for every page type of the site, with the views
    above; registered after Wagtail's own viewset for `Page`."""

    model = Page
    add_subpage_view_class = NetworkAddSubpageView
    edit_view_class = NetworkEditView
    workflow_action_view_class = ConfirmedWorkflowActionView
