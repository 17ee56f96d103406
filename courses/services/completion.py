"""Completion (结业): who meets the class's rules, why not, and confirmation.

A trainee completes when his attendance rate over the lessons held since he
was enrolled reaches the class's minimum and, if the class has a test, he has
passed it. Organisers see the reasons and confirm; confirming issues the
numbered certificate.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, FilteredRelation, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from courses.models import (
    Attempt,
    Certificate,
    ClassPage,
    Enrolment,
    EnrolmentStatus,
)
from courses.services.assessment import (
    best_attempts,
    close_expired,
    one_decimal,
    percent,
)
from courses.services.lessons import (
    countable_lessons,
    countable_lessons_in,
    study_hours,
)
from lectures.models import Attendance, AttendanceStatus
from lectures.services.errors import ServiceError

ACTIONS = {
    "courses.completion.confirmed": gettext_lazy("Completion confirmed"),
}


class CompletionError(ServiceError):
    """Why completion could not be confirmed."""


@dataclass
class Progress:
    """One enrolled trainee's standing in the class."""

    enrolment: Enrolment
    lessons: int = 0
    attended: int = 0
    on_leave: int = 0
    absent: int = 0
    best_score: Decimal | None = None
    attempts: int = 0
    passed: bool = False
    certificate: Certificate | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def user(self):
        return self.enrolment.user

    @property
    def rate(self) -> Decimal:
        # No lesson held yet: nothing missed.
        return (
            percent(self.attended, self.lessons) if self.lessons else Decimal("100.0")
        )

    @property
    def completes(self) -> bool:
        return not self.reasons


def _fill(row: Progress, class_page: ClassPage, lessons, marks, best, certificate):
    """Count one trainee's lessons, marks and test against the class's rules."""
    enrolled_at = row.enrolment.enrolled_at
    for pk, start in lessons:
        if start < enrolled_at:
            continue  # before he was enrolled: not his to miss
        row.lessons += 1
        status = marks.get(pk)
        if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
            row.attended += 1
        elif status == AttendanceStatus.ON_LEAVE:
            row.on_leave += 1
        else:
            row.absent += 1
    if best:
        row.best_score = one_decimal(best["best"])
        row.attempts = best["attempts"]
        row.passed = bool(best["passed_any"])
    row.certificate = certificate
    if row.rate < class_page.min_attendance_rate:
        row.reasons.append(
            _("attendance %(rate)s%% is below %(min)s%%")
            % {"rate": row.rate, "min": class_page.min_attendance_rate}
        )
    if class_page.has_test and not row.passed:
        row.reasons.append(
            _("has not passed the test")
            if row.attempts
            else _("has not taken the test")
        )


def progress(
    class_page: ClassPage, *, user=None, now: datetime | None = None
) -> list[Progress]:
    """Every enrolled trainee's standing (or one trainee's), in fixed queries."""
    now = now or timezone.now()
    enrolments = (
        Enrolment.objects.enrolled()
        .filter(class_page=class_page)
        .select_related("user", "user__trainee")
        .order_by("user__trainee__real_name", "user__username")
    )
    if user is not None:
        enrolments = enrolments.filter(user=user)
    rows = [Progress(enrolment=e) for e in enrolments]
    if not rows:
        return []
    users = [row.enrolment.user_id for row in rows]
    lessons = list(countable_lessons(class_page, now).values_list("pk", "start"))
    marks = defaultdict(dict)
    for user_id, session_id, status in Attendance.objects.filter(
        session_id__in=[pk for pk, _start in lessons], user_id__in=users
    ).values_list("user_id", "session_id", "status"):
        marks[user_id][session_id] = status
    best = {
        row["user_id"]: row
        for row in best_attempts(class_page).filter(user_id__in=users)
    }
    certificates = {
        c.user_id: c
        for c in Certificate.objects.filter(class_page=class_page, user_id__in=users)
    }
    for row in rows:
        user_id = row.enrolment.user_id
        _fill(
            row,
            class_page,
            lessons,
            marks[user_id],
            best.get(user_id),
            certificates.get(user_id),
        )
    return rows


def progress_of_trainee(
    user, enrolments: list[Enrolment], *, now: datetime | None = None
) -> dict[int, Progress]:
    """One trainee's standing in each of his classes, in fixed queries.

    `enrolments` are his, with `class_page` loaded; the result is keyed by
    class id and holds the classes he is enrolled in.
    """
    now = now or timezone.now()
    enrolled = [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED]
    if not enrolled:
        return {}
    classes = {e.class_page_id: e.class_page for e in enrolled}
    lessons = defaultdict(list)
    parent_of = {c.path: pk for pk, c in classes.items()}
    step = ClassPage.steplen
    # His mark on each lesson comes with it (one attendance per trainee and
    # session), joined rather than in a query or a subquery of its own.
    marks = {}
    for pk, path, start, status in (
        countable_lessons_in(list(classes.values()), now)
        .annotate(
            mine=FilteredRelation("attendances", condition=Q(attendances__user=user))
        )
        .values_list("pk", "path", "start", "mine__status")
    ):
        lessons[parent_of[path[:-step]]].append((pk, start))
        if status is not None:
            marks[pk] = status
    best = {
        row["class_page_id"]: row
        for row in Attempt.objects.submitted()
        .filter(user=user, class_page_id__in=classes)
        .values("class_page_id")
        .annotate(
            best=Max("score"),
            attempts=Count("pk"),
            passed_any=Count("pk", filter=Q(passed=True)),
        )
        .order_by()
    }
    certificates = {
        c.class_page_id: c
        for c in Certificate.objects.filter(user=user, class_page_id__in=classes)
    }
    standing = {}
    for enrolment in enrolled:
        class_id = enrolment.class_page_id
        row = Progress(enrolment=enrolment)
        _fill(
            row,
            classes[class_id],
            lessons[class_id],
            marks,
            best.get(class_id),
            certificates.get(class_id),
        )
        standing[class_id] = row
    return standing


def _number(certificate: Certificate) -> str:
    return f"JT{certificate.issued_on.year}-{certificate.pk:06d}"


@transaction.atomic
def confirm(
    class_page: ClassPage,
    user_ids: list[int],
    *,
    by,
    now: datetime | None = None,
) -> list[Certificate]:
    """Confirm completion of the named trainees, all of them or none."""
    now = now or timezone.now()
    class_page = ClassPage.objects.select_for_update().get(pk=class_page.pk)
    if timezone.localdate(now) < class_page.end_date:
        raise CompletionError(
            "not_over", _("Completion can be confirmed from the class's last day.")
        )
    close_expired(class_page, now=now)
    standing = {row.enrolment.user_id: row for row in progress(class_page, now=now)}
    chosen = list(dict.fromkeys(int(pk) for pk in user_ids))
    if not chosen:
        raise CompletionError("none", _("Choose at least one trainee."))
    problems = []
    for user_id in chosen:
        row = standing.get(user_id)
        if row is None:
            problems.append(_("#%(id)s is not enrolled") % {"id": user_id})
        elif not row.completes:
            problems.append(
                "{}: {}".format(row.enrolment.trainee_name(), "；".join(row.reasons))
            )
    if problems:
        raise CompletionError(
            "rules",
            _("Not confirmed: %(problems)s") % {"problems": "；".join(problems)},
        )
    hours = study_hours(class_page)
    issued = []
    for user_id in chosen:
        row = standing[user_id]
        if row.certificate is not None:
            continue
        certificate = Certificate.objects.create(
            number="tmp-" + uuid.uuid4().hex[:16],
            class_page=class_page,
            user_id=user_id,
            issued_on=timezone.localdate(now),
            issued_by=by,
            holder_name=row.enrolment.trainee_name(),
            study_hours=hours,
        )
        # Numbered from the row's own id: unique without a global lock.
        certificate.number = _number(certificate)
        certificate.save(update_fields=["number"])
        log(instance=certificate, action="courses.completion.confirmed", user=by)
        issued.append(certificate)
    return issued
