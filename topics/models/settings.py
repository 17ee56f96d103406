"""How long an order may wait for each actor before it is flagged."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="time")
class OrderSettings(BaseGenericSetting):
    dispatch_days = models.PositiveSmallIntegerField(
        _("days to dispatch an order"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "An order not dispatched this many days after it was placed is "
            "flagged to the forum above the dispatchers"
        ),
    )
    accept_days = models.PositiveSmallIntegerField(
        _("days to accept an order"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "An order not accepted this many days after it was dispatched is "
            "flagged to the administrators who dispatched it"
        ),
    )

    panels = [FieldPanel("dispatch_days"), FieldPanel("accept_days")]

    class Meta:
        verbose_name = _("lectures on demand settings")
