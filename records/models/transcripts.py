"""Yearly study-hours transcripts (学时证明): numbered, verifiable snapshots."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def verification_code() -> str:
    return secrets.token_urlsafe(12)


class Transcript(models.Model):
    """What a printed 学时证明 said: its verification page shows these
    figures (number, name, unit, year, total hours) and nothing else. A new
    one is issued when his total for the year has changed since the last."""

    number = models.CharField(_("transcript number"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="transcripts",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # With the number in the QR code: sequential numbers alone cannot be
    # walked to harvest names.
    code = models.CharField(max_length=24, default=verification_code, editable=False)
    holder_name = models.CharField(_("name"), max_length=50)
    unit_name = models.CharField(_("unit"), max_length=100, blank=True)
    total_hours = models.DecimalField(
        _("total study hours"), max_digits=6, decimal_places=1
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("study-hours transcript")
        verbose_name_plural = _("study-hours transcripts")
        indexes = [models.Index(fields=["user", "year"])]

    def __str__(self):
        return self.number
