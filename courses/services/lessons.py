"""A class's lessons, and the lesson registrations that follow enrolment.

An enrolled trainee is expected at every lesson from the moment he was
enrolled: he holds a confirmed registration for each lesson ahead (so rosters,
check-in, reminders and his calendar work as for any session), and lessons
before his enrolment never count against him.
"""

from datetime import datetime

from django.db.models import Min, Q, Sum
from django.utils import timezone

from courses.models import ClassPage, Enrolment
from lectures.models import Registration, RegistrationStatus, SessionPage, SessionStatus
from lectures.models.tree import below


def lessons_of(class_page: ClassPage):
    """The class's lessons as the public sees them: live, in time order."""
    # `child_of` is a `LIKE 'path%'` that reads every page; the same children
    # as a path range are an index search (lectures/models/tree.py).
    return (
        SessionPage.objects.live()
        .filter(below(class_page.path), depth=class_page.depth + 1)
        .lessons()
        .order_by("start", "pk")
    )


def countable_lessons(class_page: ClassPage, now: datetime | None = None):
    """Lessons that have taken place and count towards attendance."""
    now = now or timezone.now()
    return (
        lessons_of(class_page)
        .filter(start__lt=now)
        .exclude(status__in=[SessionStatus.CANCELLED, SessionStatus.POSTPONED])
    )


def _below_any(classes: list[ClassPage]) -> Q:
    below_any = Q(pk__in=[])
    for class_page in classes:
        below_any |= below(class_page.path) & Q(depth=class_page.depth + 1)
    return below_any


def next_lesson_start(classes: list[ClassPage], now: datetime) -> datetime | None:
    """When the next lesson of these classes starts (and starts counting)."""
    return (
        SessionPage.objects.live()
        .lessons()
        .filter(_below_any(classes), start__gt=now)
        .aggregate(first=Min("start"))["first"]
    )


def countable_lessons_in(classes: list[ClassPage], now: datetime):
    """`countable_lessons` of several classes in one query."""
    below_any = _below_any(classes)
    return (
        SessionPage.objects.live()
        .lessons()
        .filter(below_any, start__lt=now)
        .exclude(status__in=[SessionStatus.CANCELLED, SessionStatus.POSTPONED])
    )


def study_hours(class_page: ClassPage):
    total = (
        lessons_of(class_page)
        .exclude(status=SessionStatus.CANCELLED)
        .aggregate(hours=Sum("study_hours"))["hours"]
    )
    return total or 0


def follow_lessons(enrolment: Enrolment, now: datetime) -> int:
    """Confirm the trainee at every lesson still ahead; returns how many."""
    ahead = list(
        lessons_of(enrolment.class_page)
        .filter(start__gte=now)
        .exclude(status=SessionStatus.CANCELLED)
        .values_list("pk", flat=True)
    )
    return _confirm(ahead, [enrolment.user_id], now)


def drop_lessons(enrolment: Enrolment, now: datetime) -> int:
    """Cancel his registrations of lessons still ahead; past ones stay as record."""
    return (
        Registration.objects.active()
        .filter(
            user_id=enrolment.user_id,
            session__in=lessons_of(enrolment.class_page).filter(start__gte=now),
        )
        .update(status=RegistrationStatus.CANCELLED, cancelled_at=now)
    )


def lesson_added(lesson: SessionPage, now: datetime | None = None) -> int:
    """A lesson published in a class: everyone enrolled is expected there."""
    now = now or timezone.now()
    if not lesson.is_lesson or lesson.start < now:
        return 0
    class_page = ClassPage.objects.filter(
        path=lesson.path[: -ClassPage.steplen]
    ).first()
    if class_page is None:
        return 0
    users = list(
        Enrolment.objects.enrolled()
        .filter(class_page=class_page)
        .values_list("user_id", flat=True)
    )
    return _confirm([lesson.pk], users, now)


def _confirm(session_ids: list[int], user_ids: list[int], now: datetime) -> int:
    if not session_ids or not user_ids:
        return 0
    existing = Registration.objects.filter(
        session_id__in=session_ids, user_id__in=user_ids
    )
    have = set(existing.values_list("session_id", "user_id"))
    existing.filter(~Q(status=RegistrationStatus.CONFIRMED)).update(
        status=RegistrationStatus.CONFIRMED,
        confirmed_at=now,
        cancelled_at=None,
        queued_at=None,
    )
    Registration.objects.bulk_create(
        [
            Registration(
                session_id=session_id,
                user_id=user_id,
                status=RegistrationStatus.CONFIRMED,
                confirmed_at=now,
            )
            for session_id in session_ids
            for user_id in user_ids
            if (session_id, user_id) not in have
        ]
    )
    return len(session_ids) * len(user_ids)
