"""Enrolment in a training class: approval, capacity, a waiting list, 调训.

Every function owns its transaction and first locks the class row, so the
enrolled count it reads cannot change before it writes (`SELECT … FOR UPDATE`
on PostgreSQL; SQLite transactions begin IMMEDIATE). The unique constraint of
one enrolment per trainee and class backs the rest.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from courses.models import ClassPage, Enrolment, EnrolmentSource, EnrolmentStatus
from courses.services.lessons import drop_lessons, follow_lessons
from lectures.services.errors import ServiceError
from lectures.services.registration import Seats
from training_site.notify.service import notify

ACTIONS = {
    "courses.enrolment.applied": gettext_lazy("Applied to a class"),
    "courses.enrolment.enrolled": gettext_lazy("Enrolled in a class"),
    "courses.enrolment.waiting": gettext_lazy("Joined a class's waiting list"),
    "courses.enrolment.promoted": gettext_lazy("Promoted from a class's waiting list"),
    "courses.enrolment.rejected": gettext_lazy("Enrolment rejected"),
    "courses.enrolment.withdrawn": gettext_lazy("Withdrew from a class"),
    "courses.enrolment.assigned": gettext_lazy("Assigned to a class (调训)"),
}
ACTIVE = (EnrolmentStatus.PENDING, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)


class EnrolmentError(ServiceError):
    """Why an enrolment, a withdrawal or a decision was refused."""


def seats(class_page: ClassPage) -> Seats:
    counts = class_page.enrolments.aggregate(
        confirmed=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED)),
        waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITING)),
    )
    return Seats(capacity=class_page.capacity, **counts)


def _locked(class_page: ClassPage) -> ClassPage:
    return ClassPage.objects.select_for_update().get(pk=class_page.pk)


def _has_seat(class_page: ClassPage) -> bool:
    if class_page.capacity is None:
        return True
    return class_page.enrolments.enrolled().count() < class_page.capacity


def _seat(enrolment: Enrolment, class_page: ClassPage, now: datetime) -> str:
    """Enrol when a seat is free, else queue; returns the log action."""
    if _has_seat(class_page):
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.enrolled_at, enrolment.queued_at = now, None
        enrolment.save()
        follow_lessons(enrolment, now)
        return "courses.enrolment.enrolled"
    enrolment.status = EnrolmentStatus.WAITING
    enrolment.queued_at = enrolment.queued_at or now
    enrolment.save()
    return "courses.enrolment.waiting"


def _check_open(class_page: ClassPage, now: datetime) -> None:
    if not class_page.live:
        raise EnrolmentError("not_open", _("This class is not taking enrolments."))
    if class_page.enrol_opens and now < class_page.enrol_opens:
        when = timezone.localtime(class_page.enrol_opens)
        raise EnrolmentError(
            "not_yet",
            _("Enrolment opens at %(when)s.")
            % {"when": when.strftime("%Y-%m-%d %H:%M")},
        )
    if now >= class_page.enrol_closes_at:
        raise EnrolmentError("closed", _("Enrolment for this class has closed."))


@transaction.atomic
def enrol(class_page: ClassPage, user, *, now: datetime | None = None) -> Enrolment:
    """Apply to a class: enrolled (or queued) at once, or pending approval.

    Applying again is harmless: the existing enrolment is returned.
    """
    now = now or timezone.now()
    class_page = _locked(class_page)
    enrolment = Enrolment.objects.filter(class_page=class_page, user=user).first()
    if enrolment and enrolment.status in ACTIVE:
        return enrolment
    if enrolment and enrolment.status == EnrolmentStatus.REJECTED:
        raise EnrolmentError(
            "rejected",
            _("Your application to this class was not accepted: %(reason)s")
            % {"reason": enrolment.reason},
        )
    _check_open(class_page, now)
    enrolment = enrolment or Enrolment(class_page=class_page, user=user)
    enrolment.source = EnrolmentSource.SELF
    enrolment.requested_at = now
    enrolment.decided_at = enrolment.decided_by = None
    enrolment.reason = ""
    enrolment.enrolled_at = enrolment.queued_at = None
    if class_page.requires_approval:
        enrolment.status = EnrolmentStatus.PENDING
        enrolment.save()
        action = "courses.enrolment.applied"
    else:
        action = _seat(enrolment, class_page, now)
    log(instance=enrolment, action=action, user=user)
    return enrolment


def may_withdraw(
    class_page: ClassPage, enrolment: Enrolment | None, now: datetime | None = None
) -> bool:
    """Whether the trainee may still give this enrolment up himself: one he
    holds or seeks, that he asked for, before the class begins."""
    now = now or timezone.now()
    return (
        enrolment is not None
        and enrolment.status in ACTIVE
        and enrolment.source != EnrolmentSource.ASSIGNED
        and now < class_page.begins_at
    )


@transaction.atomic
def withdraw(class_page: ClassPage, user, *, now: datetime | None = None) -> Enrolment:
    """Give up a place (or an application) before the class begins."""
    now = now or timezone.now()
    class_page = _locked(class_page)
    enrolment = Enrolment.objects.filter(
        class_page=class_page, user=user, status__in=ACTIVE
    ).first()
    if enrolment is None:
        raise EnrolmentError("not_enrolled", _("You are not enrolled in this class."))
    if enrolment.source == EnrolmentSource.ASSIGNED:
        raise EnrolmentError(
            "assigned",
            _(
                "You were assigned to this class by its organisers; ask them, or "
                "request leave for a lesson."
            ),
        )
    if now >= class_page.begins_at:
        raise EnrolmentError(
            "started", _("The class has begun; you can no longer withdraw.")
        )
    held_a_seat = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save()
    drop_lessons(enrolment, now)
    log(instance=enrolment, action="courses.enrolment.withdrawn", user=user)
    if held_a_seat:
        promote_next(class_page, now=now)
    return enrolment


def promote_next(class_page: ClassPage, *, now: datetime) -> Enrolment | None:
    """Enrol the first in line if a seat is free; call with the class locked."""
    if not _has_seat(class_page):
        return None
    first = Enrolment.objects.in_line().filter(class_page=class_page).first()
    if first is None:
        return None
    first.status = EnrolmentStatus.ENROLLED
    first.enrolled_at = now
    first.save()
    follow_lessons(first, now)
    log(instance=first, action="courses.enrolment.promoted", user=None)
    notify(
        [first.user_id],
        _KIND[first.status],
        _context(first, class_page),
        link=class_page.url or "",
    )
    return first


def _pending(class_page: ClassPage, enrolment_id: int) -> Enrolment:
    enrolment = Enrolment.objects.filter(pk=enrolment_id, class_page=class_page).first()
    if enrolment is None:
        raise EnrolmentError("missing", _("There is no such application."))
    return enrolment


@transaction.atomic
def approve(
    class_page: ClassPage, enrolment_id: int, *, by, now: datetime | None = None
) -> Enrolment:
    """Accept a pending application: a seat if one is free, else the waiting list."""
    now = now or timezone.now()
    class_page = _locked(class_page)
    enrolment = _pending(class_page, enrolment_id)
    if enrolment.status != EnrolmentStatus.PENDING:
        raise EnrolmentError("decided", _("This application has already been decided."))
    enrolment.decided_at, enrolment.decided_by = now, by
    action = _seat(enrolment, class_page, now)
    log(instance=enrolment, action=action, user=by)
    notify(
        [enrolment.user_id],
        _KIND[enrolment.status],
        _context(enrolment, class_page),
        link=class_page.url or "",
    )
    return enrolment


@transaction.atomic
def reject(
    class_page: ClassPage,
    enrolment_id: int,
    *,
    by,
    reason: str,
    now: datetime | None = None,
) -> Enrolment:
    """Turn down a pending or queued application, with the reason he is told."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise EnrolmentError("reason", _("Give the reason for the rejection."))
    class_page = _locked(class_page)
    enrolment = _pending(class_page, enrolment_id)
    if enrolment.status not in (EnrolmentStatus.PENDING, EnrolmentStatus.WAITING):
        raise EnrolmentError(
            "decided", _("Only pending or waiting applications can be rejected.")
        )
    enrolment.status = EnrolmentStatus.REJECTED
    enrolment.reason = reason[:300]
    enrolment.decided_at, enrolment.decided_by = now, by
    enrolment.save()
    log(instance=enrolment, action="courses.enrolment.rejected", user=by)
    notify(
        [enrolment.user_id],
        _KIND[enrolment.status],
        _context(enrolment, class_page),
        link=class_page.url or "",
    )
    return enrolment


@transaction.atomic
def assign(
    class_page: ClassPage,
    users: Iterable,
    *,
    by,
    now: datetime | None = None,
) -> list[Enrolment]:
    """调训: enrol trainees by the organisers' decision, all of them or none.

    Windows and approval do not apply; capacity does, counted over everyone
    assigned at once.
    """
    now = now or timezone.now()
    class_page = _locked(class_page)
    users = list(users)
    current = {
        e.user_id: e
        for e in Enrolment.objects.filter(class_page=class_page, user__in=users)
    }
    newcomers = [
        user
        for user in users
        if user.pk not in current or current[user.pk].status != EnrolmentStatus.ENROLLED
    ]
    if class_page.capacity is not None:
        free = class_page.capacity - class_page.enrolments.enrolled().count()
        if len(newcomers) > free:
            raise EnrolmentError(
                "full",
                _(
                    "The class has %(free)d free seat(s) for %(n)d trainee(s); "
                    "raise its capacity first."
                )
                % {"free": max(free, 0), "n": len(newcomers)},
            )
    done = []
    for user in newcomers:
        enrolment = current.get(user.pk) or Enrolment(
            class_page=class_page, user=user, requested_at=now
        )
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.source = EnrolmentSource.ASSIGNED
        enrolment.enrolled_at, enrolment.queued_at = now, None
        enrolment.decided_at, enrolment.decided_by = now, by
        enrolment.reason = ""
        enrolment.save()
        follow_lessons(enrolment, now)
        log(instance=enrolment, action="courses.enrolment.assigned", user=by)
        done.append(enrolment)
    notify(
        [e.user_id for e in done],
        "courses.enrolment.assigned",
        _context(None, class_page),
        link=class_page.url or "",
    )
    return done


_KIND = {
    EnrolmentStatus.ENROLLED: "courses.enrolment.enrolled",
    EnrolmentStatus.WAITING: "courses.enrolment.waiting",
    EnrolmentStatus.REJECTED: "courses.enrolment.rejected",
}


def _context(enrolment: Enrolment | None, class_page: ClassPage) -> dict:
    """What the trainee is told of the organisers' decision (also on /me/)."""
    return {
        "title": class_page.title,
        "start": class_page.start_date.strftime("%Y-%m-%d")
        if class_page.start_date
        else "",
        "reason": enrolment.reason if enrolment else "",
    }
