"""Founding a forum: a proposed 微讲坛 (or 小讲坛) that goes live on approval.

The proposal is a draft forum page with its application (the person who will
run it, venue, plan, attachments) submitted to the one approval workflow
(`lectures.models.workflow`). On approval (`workflow_approved`) the forum is
live; here its founding date is set, the approval recorded (who, when, the
approver's comment as the 批复 number or note) and the named person
appointed its administrator, with an account made for him if none has his
mobile. A request for changes keeps the draft and its reason, shown on the
dashboard.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, TaskState, WorkflowState

from lectures.models import ForumPage, TraineeProfile
from lectures.rules import pages_user_can_approve
from people.rules import can_manage_user
from people.services import appointments
from people.services.accounts import MOBILE, normalise_mobile
from people.services.errors import PeopleError

logger = logging.getLogger(__name__)


def _approval_comment(workflow_state: WorkflowState) -> str:
    state = (
        TaskState.objects.filter(
            workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    return (state.get_comment() if state else "") or ""


def founder_account(forum: ForumPage, approver):
    """The account of the person named in the application; made if none has
    his mobile (no password: the approver gives him a set-password link)."""
    mobile = normalise_mobile(forum.founder_mobile)
    if not MOBILE.match(mobile):
        return None
    profile = TraineeProfile.objects.filter(mobile=mobile).select_related("user")
    if profile.exists():
        return profile.get().user
    User = get_user_model()
    if User.objects.filter(username=mobile).exists():
        return None
    user = User(username=mobile, first_name=forum.founder_name)
    user.set_unusable_password()
    user.save()
    TraineeProfile.objects.create(
        user=user,
        real_name=forum.founder_name or mobile,
        mobile=mobile,
        unit_forum=forum,
    )
    log(instance=user, action="people.account.created", user=approver)
    return user


@transaction.atomic
def forum_approved(forum: ForumPage, approver, workflow_state: WorkflowState) -> None:
    """Record the founding of a forum just approved; once per forum."""
    forum = ForumPage.objects.select_for_update().get(pk=forum.pk)
    if forum.approved_at is not None:
        return
    published = forum.first_published_at
    if published is not None and published < workflow_state.created_at:
        return  # live before this approval began: an edit, not a founding
    now = timezone.now()
    forum.approved_by = approver
    forum.approved_at = now
    forum.approval_note = _approval_comment(workflow_state)[:500]
    forum.founded_on = forum.founded_on or timezone.localdate(now)
    ForumPage.objects.filter(pk=forum.pk).update(
        approved_by=approver,
        approved_at=now,
        approval_note=forum.approval_note,
        founded_on=forum.founded_on,
    )
    founder = founder_account(forum, approver)
    if founder is None:
        return
    if not can_manage_user(approver, founder):
        logger.warning(
            "Founder of forum %s is outside the approver's subtree", forum.pk
        )
        return
    try:
        appointments.appoint(approver, forum, founder, appointments.Role.ADMINISTRATOR)
    except PeopleError as error:
        logger.warning("Founder of forum %s not appointed: %s", forum.pk, error)


def applications_in_progress(user):
    """Proposed forums waiting for approval or changes that the user may
    approve (below his forums) or proposed himself, newest first."""
    open_states = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)
    # Through Page: joined from the forum's table, the workflow state's
    # text object_id is compared with an integer, which SQLite never matches.
    in_workflow = Page.objects.filter(_workflow_states__status__in=open_states)
    forums = ForumPage.objects.filter(live=False, pk__in=in_workflow.values("pk"))
    if not user.is_superuser:
        approvable = pages_user_can_approve(user).values("pk")
        forums = forums.filter(Q(pk__in=approvable) | Q(owner=user))
    return forums.distinct().order_by("-latest_revision_created_at")
