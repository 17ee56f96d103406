"""Training earned elsewhere (上级调训, 党校, 网络学院, 专题培训), recorded by
the trainee or his administrators and approved by his unit's administrators.

Rules (who may record, approve, adjust, refuse) are in `records.rules`, the
steps in `records.services.external`; these rows keep what the database can.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lectures.models.participation import TraineeFacts
from records.models.sources import Source

EXTERNAL_SOURCES = (
    Source.ASSIGNED,
    Source.PARTY_SCHOOL,
    Source.ONLINE,
    Source.OTHER,
)


class ExternalKind(models.TextChoices):
    """The kinds of training elsewhere; each is a `Source` of the ledger."""

    ASSIGNED = Source.ASSIGNED.value, Source.ASSIGNED.label
    PARTY_SCHOOL = Source.PARTY_SCHOOL.value, Source.PARTY_SCHOOL.label
    ONLINE = Source.ONLINE.value, Source.ONLINE.label
    OTHER = Source.OTHER.value, Source.OTHER.label


class ExternalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExternalTrainingQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ExternalStatus.APPROVED)

    def pending(self):
        return self.filter(status=ExternalStatus.PENDING)

    def in_year(self, year: int):
        """Counted in the year it ended."""
        return self.filter(end_date__year=year)


def evidence_path(instance, filename: str) -> str:
    return f"records/evidence/{instance.user_id}/{filename}"


class ExternalTraining(TraineeFacts, models.Model):
    """One course elsewhere: the hours claimed, and once approved the hours
    that count (the claim, or less if an administrator adjusted it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="external_trainings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExternalKind.choices)
    title = models.CharField(_("course"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours_claimed = models.DecimalField(
        _("hours claimed"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    hours = models.DecimalField(
        _("hours approved"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    evidence = models.FileField(
        _("evidence"),
        upload_to=evidence_path,
        blank=True,
        help_text=_("The certificate or the notice (PDF or image)"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExternalStatus.choices,
        default=ExternalStatus.PENDING,
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ExternalTrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training elsewhere")
        verbose_name_plural = _("training elsewhere")
        ordering = ["-end_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="external_training_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(hours_claimed__gt=0),
                name="external_training_claims_hours",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExternalStatus.APPROVED) | Q(hours__isnull=False),
                name="approved_external_training_has_hours",
            ),
        ]
        indexes = [models.Index(fields=["user", "status", "end_date"])]

    def __str__(self):
        return self.title
