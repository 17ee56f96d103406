"""Site settings for participation, edited in the admin (Settings menu)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="time")
class ParticipationSettings(BaseSiteSetting):
    yearly_hours_quota = models.DecimalField(
        _("yearly study-hours quota"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("50"),
        validators=[MinValueValidator(0)],
        help_text=_("How many study hours (学时) each cadre should earn a year"),
    )

    panels = [FieldPanel("yearly_hours_quota")]

    class Meta:
        verbose_name = _("participation settings")
