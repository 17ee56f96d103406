"""Trainees and their registrations: ordinary Django models keyed to the session.

Rules (capacity, waiting list, promotion) live in `lectures.services.registration`;
these models only hold rows, with the invariants the database can keep.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TraineeProfile(models.Model):
    """A cadre: personal data that never leaves the admin and his own page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="trainee",
    )
    real_name = models.CharField(_("real name"), max_length=50)
    unit_forum = models.ForeignKey(
        "lectures.ForumPage",
        verbose_name=_("unit forum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainees",
        help_text=_("The forum of the trainee's unit, if it has one"),
    )
    unit_name = models.CharField(_("unit"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    rank = models.ForeignKey(
        "lectures.Rank",
        verbose_name=_("rank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainees",
    )
    mobile = models.CharField(_("mobile phone"), max_length=20, unique=True)
    # db_default: the demo builder and imports write profiles as plain rows.
    must_change_password = models.BooleanField(
        _("must set a new password at next login"),
        default=False,
        db_default=False,
        help_text=_("Set for accounts created or imported with an initial password"),
    )

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["real_name", "pk"]

    def __str__(self):
        return self.real_name

    @property
    def unit_display(self) -> str:
        return self.unit_name or (self.unit_forum.unit_name if self.unit_forum else "")


class TraineeFacts:
    """The trainee's name, unit and mobile for admin lists and exports."""

    def _profile(self):
        return getattr(self.user, "trainee", None)

    def trainee_name(self) -> str:
        profile = self._profile()
        return profile.real_name if profile else self.user.get_username()

    trainee_name.short_description = _("Name")

    def trainee_unit(self) -> str:
        profile = self._profile()
        return profile.unit_display if profile else ""

    trainee_unit.short_description = _("Unit")

    def trainee_mobile(self) -> str:
        profile = self._profile()
        return profile.mobile if profile else ""

    trainee_mobile.short_description = _("Mobile")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        return self.filter(status=RegistrationStatus.WAITING)

    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def in_line(self):
        """The waiting list in the order it is served."""
        return self.waiting().order_by("queued_at", "pk")


class Registration(TraineeFacts, models.Model):
    """One trainee's place at one session; one row per pair, reused on return."""

    # Millions of rows that only point at a session and a person: Wagtail's
    # usage listing has no use for them, and indexing each save would cost
    # a check-in or registration four queries.
    wagtail_reference_index_ignore = True

    session = models.ForeignKey(
        "lectures.SessionPage",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_registration_per_trainee"
            ),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.WAITING)
                | Q(queued_at__isnull=False),
                name="waiting_registrations_have_a_place_in_line",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self):
        return f"{self.user} · {self.session_id} · {self.status}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ON_LEAVE = "on_leave", _("On leave")
    ABSENT = "absent", _("Absent")


class CheckInMethod(models.TextChoices):
    QR = "qr", _("QR scan")
    CODE = "code", _("Check-in code")
    ROSTER = "roster", _("Roster")
    BULK = "bulk", _("Bulk entry")


#: Present or late: what counts as a person-time and earns study hours.
ATTENDED = [AttendanceStatus.PRESENT, AttendanceStatus.LATE]


class AttendanceQuerySet(models.QuerySet):
    def attended(self):
        """Present or late: what counts as a person-time and earns study hours."""
        return self.filter(status__in=ATTENDED)


class Attendance(TraineeFacts, models.Model):
    """Whether a trainee came to a session; one row per pair, first check-in kept."""

    # Millions of rows that only point at a session and a person: Wagtail's
    # usage listing has no use for them, and indexing each save would cost
    # a check-in or registration four queries.
    wagtail_reference_index_ignore = True

    session = models.ForeignKey(
        "lectures.SessionPage",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AttendanceStatus.choices
    )
    method = models.CharField(_("method"), max_length=10, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_attendance_per_trainee"
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            # Unique participants of a large selection: the attended rows in
            # the order of their user, so no sort of a year's rows is needed
            # (`stats.participants`).
            models.Index(
                fields=["user", "session"],
                condition=Q(status__in=ATTENDED),
                name="attended_by_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.session_id} · {self.status}"


class RosterCount(models.Model):
    """How many are on a session's roster, and how many of them came.

    Kept by the database itself: triggers on the attendance table (migration
    0008) count every insert, change of status or session, and delete —
    whatever makes it, a service, `bulk_create`, `QuerySet.update` or a
    cascade — in the same transaction. The reports read these instead of
    counting a year's attendance (1.6 million rows at 100× the seed) per
    session. `lectures.services.kept_counts.roster_drift` compares them with a
    recount."""

    session = models.OneToOneField(
        "lectures.SessionPage",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="roster_count",
    )
    on_roster = models.PositiveIntegerField(_("on the roster"), default=0)
    attended = models.PositiveIntegerField(_("present or late"), default=0)

    class Meta:
        verbose_name = _("roster count")
        verbose_name_plural = _("roster counts")

    def __str__(self):
        return f"{self.session_id}: {self.attended}/{self.on_roster}"


class OtherAttendees(models.Model):
    """How many came to a session who are not registered cadres (群众, people
    of other units): counted, not named.

    Participation data like the roster, so it is kept beside the page, not
    in it: a count the organiser enters on the roster page must not be undone
    when an older revision of the session is published. The counting rule
    (`lectures.counting`) adds it to the session's person-times."""

    wagtail_reference_index_ignore = True

    session = models.OneToOneField(
        "lectures.SessionPage",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="other_attendees",
    )
    count = models.PositiveIntegerField(_("attendees not on the roster"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("other attendees")
        verbose_name_plural = _("other attendees")
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=0), name="other_attendees_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.session_id}: {self.count}"


class AttendeeCount(models.Model):
    """How many sessions one person was present or late at, ever.

    Kept by the database, as `RosterCount` is: triggers on the attendance
    table (migration 0010) count every insert, change of status or person,
    and delete. The unique participants of a report that holds most of the
    attendance are everyone counted here less the few seen only outside it
    (`stats.participants`), instead of 1.6 million rows sorted
    out by person. `lectures.services.kept_counts.attendee_drift` compares
    them with a recount."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="attendee_count",
    )
    attended = models.PositiveIntegerField(_("present or late"), default=0)

    class Meta:
        verbose_name = _("attendee count")
        verbose_name_plural = _("attendee counts")

    def __str__(self):
        return f"{self.user_id}: {self.attended}"


class PersonalCalendar(models.Model):
    """The secret behind a trainee's calendar link; a reset replaces it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="personal_calendar",
    )
    key = models.UUIDField(_("key"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("personal calendar")
        verbose_name_plural = _("personal calendars")

    def __str__(self):
        return str(self.user)
