"""Completion certificates (结业证书): numbered, verifiable, issued once."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lectures.models.participation import TraineeFacts


def verification_code() -> str:
    return secrets.token_urlsafe(12)


class Certificate(TraineeFacts, models.Model):
    """Issued when an organiser confirms a trainee's completion of a class."""

    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    class_page = models.ForeignKey(
        "courses.ClassPage",
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The QR code carries this with the number, so numbers alone, which are
    # sequential, cannot be walked to harvest names.
    code = models.CharField(max_length=24, default=verification_code, editable=False)
    holder_name = models.CharField(_("name on the certificate"), max_length=50)
    study_hours = models.DecimalField(_("study hours"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["class_page", "user"], name="one_certificate_per_class"
            ),
        ]

    def __str__(self):
        return self.number
