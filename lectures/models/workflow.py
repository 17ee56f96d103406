"""Approval by the tier above: the one moderation task of the network.

Wagtail's GroupApprovalTask names fixed groups; ours are positional. A page
is approved by the administrators of any forum strictly above it: a session
by its own forum's administrators (and theirs above), a new 微讲坛 by its
town's. One workflow assigned at the root therefore serves every forum.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState

from lectures.rules import can_approve, pages_user_can_approve


class ForumApprovalTask(Task):
    class Meta:
        verbose_name = _("approval by the forum above")
        verbose_name_plural = _("approvals by the forum above")

    def _can_approve(self, obj, user) -> bool:
        return isinstance(obj, Page) and can_approve(user, obj)

    def user_can_access_editor(self, obj, user):
        return self._can_approve(obj, user)

    def locked_for_user(self, obj, user):
        return not self._can_approve(obj, user)

    def user_can_lock(self, obj, user):
        return self._can_approve(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail checks the actions a user has on the page named in the URL;
        # the task state in the URL must belong to a page he may approve too.
        if not self._can_approve(task_state.workflow_state.content_object, user):
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_actions(self, obj, user):
        if self._can_approve(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        page_ids = (
            pages_user_can_approve(user)
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text")
        )
        return states.filter(workflow_state__object_id__in=page_ids)

    @classmethod
    def get_description(cls):
        return _(
            "The administrators of the forums above the page approve it: a "
            "forum's sessions by that forum, a new forum by the tier above."
        )
