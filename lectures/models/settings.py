"""Site settings for participation, edited in the admin (Settings menu)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from training_site.site_cache import CachedSiteSetting


@register_setting(icon="time")
class ParticipationSettings(CachedSiteSetting, BaseSiteSetting):
    """Read on every /me/: from the shared cache (training_site/site_cache.py)."""

    yearly_hours_quota = models.DecimalField(
        _("yearly study-hours quota without a rank"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("50"),
        validators=[MinValueValidator(0)],
        help_text=_(
            "Only for cadres without a rank: each rank has its own yearly "
            "quota (Lecture network → Ranks), which the study-hours record, its "
            "reports and the warnings use"
        ),
    )

    evaluation_window_days = models.PositiveSmallIntegerField(
        _("days to evaluate a session"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("How long after its end a session may be evaluated"),
    )

    panels = [FieldPanel("yearly_hours_quota"), FieldPanel("evaluation_window_days")]

    class Meta:
        verbose_name = _("participation settings")
