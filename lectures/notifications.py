"""E-mail the administrators who must act when a page is submitted for approval."""

from django.contrib.auth import get_user_model
from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier

from lectures.models import ForumApprovalTask, ForumPage
from lectures.models.tree import ancestor_paths


class ForumApprovalSubmissionNotifier(BaseGroupApprovalTaskStateEmailNotifier):
    """Tells the nearest forum above the page (its administrators) to review it.

    Forums higher up may approve too, but are not mailed for every session of
    every village.
    """

    notification = "submitted"

    def can_handle(self, instance, **kwargs):
        return isinstance(instance.task.specific, ForumApprovalTask)

    def get_recipient_users(self, task_state, **kwargs):
        page = task_state.workflow_state.content_object
        nearest = (
            ForumPage.objects.filter(path__in=ancestor_paths(page.path))
            .order_by("-depth")
            .first()
        )
        users = get_user_model().objects.filter(is_active=True)
        if nearest is None or nearest.admin_group_id is None:
            recipients = users.filter(is_superuser=True)
        else:
            recipients = users.filter(groups=nearest.admin_group_id)
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            recipients = recipients.exclude(pk=triggering_user.pk)
        return recipients


forum_approval_submission_notifier = ForumApprovalSubmissionNotifier()
