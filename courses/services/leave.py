"""Leave (请假) from one lesson: the trainee asks, the organisers decide.

Approved leave is recorded on the lesson's roster as on leave (with the
reason), so it never counts as an absence.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from courses.models import (
    ClassPage,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
    LeaveStatus,
)
from courses.services.lessons import lessons_of
from lectures.models import Attendance, AttendanceStatus, SessionPage
from lectures.services import roster
from lectures.services.errors import ServiceError
from training_site.notify.service import notify

ACTIONS = {
    "courses.leave.requested": gettext_lazy("Requested leave from a lesson"),
    "courses.leave.approved": gettext_lazy("Leave approved"),
    "courses.leave.refused": gettext_lazy("Leave refused"),
}
MAX_REASON = 200


class LeaveError(ServiceError):
    """Why a leave request or a decision on one was refused."""


def lesson_of(class_page: ClassPage, lesson_id) -> SessionPage:
    lesson = lessons_of(class_page).filter(pk=lesson_id).first()
    if lesson is None:
        raise LeaveError("lesson", _("There is no such lesson in this class."))
    return lesson


@transaction.atomic
def request_leave(
    class_page: ClassPage,
    lesson: SessionPage,
    user,
    reason: str,
    *,
    now: datetime | None = None,
) -> LeaveRequest:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise LeaveError("reason", _("Give the reason for your leave."))
    if len(reason) > MAX_REASON:
        raise LeaveError(
            "reason_long",
            _("Keep the reason within %(n)d characters.") % {"n": MAX_REASON},
        )
    # His enrolment row is the lock: two requests for one lesson at once
    # queue here instead of racing each other to the unique constraint.
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(class_page=class_page, user=user, status=EnrolmentStatus.ENROLLED)
        .first()
    )
    if enrolment is None:
        raise LeaveError("not_enrolled", _("Only enrolled trainees can ask for leave."))
    if now >= lesson.end:
        raise LeaveError("over", _("This lesson is over."))
    leave = (
        LeaveRequest.objects.select_for_update()
        .filter(lesson=lesson, user=user)
        .first()
    )
    if leave and leave.status != LeaveStatus.REFUSED:
        raise LeaveError(
            "exists", _("You have already asked for leave from this lesson.")
        )
    leave = leave or LeaveRequest(class_page=class_page, lesson=lesson, user=user)
    leave.reason, leave.status, leave.requested_at = reason, LeaveStatus.PENDING, now
    leave.decided_at = leave.decided_by = None
    leave.response = ""
    leave.save()
    log(instance=leave, action="courses.leave.requested", user=user)
    return leave


def may_decide(leave: LeaveRequest) -> bool:
    """Only a request awaiting a decision is decided, once."""
    return leave.status == LeaveStatus.PENDING


@transaction.atomic
def decide(
    class_page: ClassPage,
    leave_id: int,
    *,
    approve: bool,
    by,
    response: str = "",
    now: datetime | None = None,
) -> LeaveRequest:
    now = now or timezone.now()
    leave = (
        LeaveRequest.objects.select_for_update()
        .select_related("lesson", "user")
        .filter(pk=leave_id, class_page=class_page)
        .first()
    )
    if leave is None:
        raise LeaveError("missing", _("There is no such leave request."))
    if not may_decide(leave):
        raise LeaveError("decided", _("This request has already been decided."))
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    leave.response = (response or "").strip()[:200]
    leave.decided_at, leave.decided_by = now, by
    leave.save()
    came = (
        Attendance.objects.attended()
        .filter(session=leave.lesson, user_id=leave.user_id)
        .exists()
    )
    # He came after all: his attendance stands, it is what happened.
    if approve and not came:
        roster.mark(
            leave.lesson,
            leave.user_id,
            AttendanceStatus.ON_LEAVE,
            reason=leave.reason,
            by=by,
        )
    action = "courses.leave.approved" if approve else "courses.leave.refused"
    log(instance=leave, action=action, user=by)
    notify(
        [leave.user_id],
        action,
        {"lesson": leave.lesson.title, "response": leave.response},
        link=class_page.url or "",
    )
    return leave
