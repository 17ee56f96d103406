"""Approval notices: the forum above is asked, the submitter is told.

These take the places of Wagtail's workflow mailers (connected under the same
`dispatch_uid`s, before `wagtail.admin` connects its own, so Wagtail's are
never added): every notice goes through the notification service, to the
inbox first, by email in the background.
"""

from django.contrib.auth import get_user_model
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected

from lectures.models import ForumApprovalTask, ForumPage
from lectures.models.tree import ancestor_paths
from training_site.notify.service import notify


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _admin_link(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def approvers(page, triggering_user=None):
    """The administrators of the nearest forum above the page (superusers
    if it has none). Forums higher up may approve too, but are not told of
    every session of every village."""
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
    if triggering_user is not None:
        recipients = recipients.exclude(pk=triggering_user.pk)
    return recipients, nearest


def approval_requested(sender, instance, user=None, **kwargs):
    if not isinstance(instance.task.specific, ForumApprovalTask):
        return
    page = instance.workflow_state.content_object
    recipients, forum = approvers(page, user)
    notify(
        recipients,
        "lectures.approval.requested",
        {
            "title": page.get_admin_display_title(),
            "submitter": _name(user),
            "forum": forum.title if forum else "",
        },
        link=_admin_link(page),
    )


def _decided(kind: str, workflow_state, user) -> None:
    submitter = workflow_state.requested_by
    if submitter is None or (user is not None and submitter.pk == user.pk):
        return
    page = workflow_state.content_object
    task_state = workflow_state.current_task_state
    comment = task_state.get_comment() if task_state is not None else ""
    notify(
        [submitter],
        kind,
        {
            "title": page.get_admin_display_title(),
            "by": _name(user),
            "comment": comment or "",
        },
        link=_admin_link(page),
    )


def approval_approved(sender, instance, user=None, **kwargs):
    _decided("lectures.approval.approved", instance, user)


def approval_rejected(sender, instance, user=None, **kwargs):
    _decided("lectures.approval.rejected", instance, user)


def connect() -> None:
    task_submitted.connect(
        approval_requested,
        sender=TaskState,
        dispatch_uid="forum_approval_task_submitted_email_notification",
    )
    workflow_approved.connect(
        approval_approved,
        sender=WorkflowState,
        dispatch_uid="workflow_state_approved_email_notification",
    )
    workflow_rejected.connect(
        approval_rejected,
        sender=WorkflowState,
        dispatch_uid="workflow_state_rejected_email_notification",
    )
