"""Who is in a class (enrolment, 调训) and who is excused from a lesson (请假).

Rules live in `courses.services`; these models hold rows and the invariants
the database can keep.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lectures.models.participation import TraineeFacts


class Decided(models.Model):
    """Who among the organisers decided a request, and when."""

    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class EnrolmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Applied")
    ASSIGNED = "assigned", _("Assigned (调训)")


class EnrolmentQuerySet(models.QuerySet):
    def enrolled(self):
        return self.filter(status=EnrolmentStatus.ENROLLED)

    def pending(self):
        return self.filter(status=EnrolmentStatus.PENDING)

    def in_line(self):
        return self.filter(status=EnrolmentStatus.WAITING).order_by("queued_at", "pk")

    def active(self):
        """Holding or seeking a place: not rejected, not withdrawn."""
        return self.filter(
            status__in=[
                EnrolmentStatus.PENDING,
                EnrolmentStatus.ENROLLED,
                EnrolmentStatus.WAITING,
            ]
        )


class Enrolment(TraineeFacts, Decided):
    """One trainee's place in one class; one row per pair, reused on return."""

    class_page = models.ForeignKey(
        "courses.ClassPage",
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices
    )
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=EnrolmentSource.choices,
        default=EnrolmentSource.SELF,
    )
    requested_at = models.DateTimeField(_("applied at"))
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    enrolled_at = models.DateTimeField(
        _("enrolled at"),
        null=True,
        blank=True,
        help_text=_("Lessons before this moment do not count against him"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["class_page", "user"], name="one_enrolment_per_trainee"
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrolmentStatus.ENROLLED)
                | Q(enrolled_at__isnull=False),
                name="enrolled_trainees_have_an_enrolment_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrolmentStatus.WAITING)
                | Q(queued_at__isnull=False),
                name="waiting_enrolments_have_a_place_in_line",
            ),
        ]
        indexes = [models.Index(fields=["class_page", "status"])]

    def __str__(self):
        return f"{self.user} · {self.class_page_id} · {self.status}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class LeaveRequest(TraineeFacts, Decided):
    """A trainee asks to be excused from one lesson of his class."""

    class_page = models.ForeignKey(
        "courses.ClassPage",
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    lesson = models.ForeignKey(
        "lectures.SessionPage",
        verbose_name=_("lesson"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=LeaveStatus.choices,
        default=LeaveStatus.PENDING,
    )
    requested_at = models.DateTimeField(_("requested at"))
    response = models.CharField(_("response"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "user"], name="one_leave_request_per_lesson"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_id} · {self.status}"
