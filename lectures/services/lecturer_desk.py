"""A lecturer's desk: what his admin home shows him, in a fixed number of queries.

His sessions are those he drafted (the page's owner) or gives (its
lecturers). The desk sorts them by what he has to do next: finish a draft,
wait for approval (or rework what was sent back), keep the roster of a
session that has ended, and read his (anonymous, aggregated) evaluations.
"""

from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from lectures.models import Attendance, Registration, SessionPage, SessionStatus
from lectures.services import evaluation_results

SHOWN = 10


@dataclass
class SentBack:
    session: SessionPage
    comment: str


@dataclass
class Desk:
    drafts: list[SessionPage]
    waiting: list[SessionPage]
    sent_back: list[SentBack]
    to_record: list[SessionPage]
    results: evaluation_results.Summary


def _mine(user):
    given = SessionPage.objects.filter(lecturers__user=user).values("pk")
    return SessionPage.objects.filter(Q(owner=user) | Q(pk__in=given))


def needs_record(sessions, now=None):
    """Ended, not cancelled, and not yet recorded: the status is not 'held'
    or a confirmed registrant has no mark (the roster is not closed)."""
    now = now or timezone.now()
    unmarked = (
        Registration.objects.confirmed()
        .filter(session=OuterRef("pk"))
        .exclude(
            Exists(
                Attendance.objects.filter(
                    session=OuterRef("session"), user=OuterRef("user")
                )
            )
        )
    )
    return (
        sessions.filter(end__lt=now)
        .exclude(status=SessionStatus.CANCELLED)
        .filter(~Q(status=SessionStatus.HELD) | Exists(unmarked))
    )


def lecturer_desk(user) -> Desk:
    """Six queries whatever the number of sessions."""
    mine = _mine(user)
    states = WorkflowState.objects.filter(
        status__in=[
            WorkflowState.STATUS_IN_PROGRESS,
            WorkflowState.STATUS_NEEDS_CHANGES,
        ],
        object_id__in=mine.annotate(pk_text=Cast("pk", CharField())).values("pk_text"),
    )
    in_progress, needs_changes = set(), {}
    for state_id, object_id, status in states.values_list("pk", "object_id", "status"):
        if status == WorkflowState.STATUS_IN_PROGRESS:
            in_progress.add(int(object_id))
        else:
            needs_changes[state_id] = int(object_id)
    comments = dict(
        TaskState.objects.filter(
            workflow_state_id__in=needs_changes, status=TaskState.STATUS_REJECTED
        )
        .order_by("finished_at", "pk")
        .values_list("workflow_state_id", "comment")
    )
    by_session = {
        page_id: comments.get(state_id, "")
        for state_id, page_id in needs_changes.items()
    }
    unpublished = list(
        mine.filter(Q(live=False) | Q(has_unpublished_changes=True))
        .order_by("-latest_revision_created_at", "-pk")
        .distinct()[: SHOWN * 3]
    )
    given = SessionPage.objects.filter(lecturers__user=user)
    return Desk(
        drafts=[
            s for s in unpublished if s.pk not in in_progress and s.pk not in by_session
        ][:SHOWN],
        waiting=[s for s in unpublished if s.pk in in_progress][:SHOWN],
        sent_back=[
            SentBack(s, by_session[s.pk]) for s in unpublished if s.pk in by_session
        ][:SHOWN],
        to_record=list(needs_record(given).order_by("-end")[:SHOWN]),
        results=evaluation_results.summary(given),
    )
