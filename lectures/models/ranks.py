"""Ranks (职级/层级): the controlled list a trainee's rank is chosen from.

The district keeps the list (admin → 讲坛网络 → 职级) and each rank's yearly
study-hours quota. The defaults follow 《干部教育培训工作条例》 (see the
README, *Study hours*): 县处级 550 学时 in five years, so 110 a year; every
other cadre 90 学时 a year.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

#: The yearly quota of a rank added without one, and of the regulation's
#: "other cadres" (其他干部 … 每年累计不少于12天或者90学时).
DEFAULT_YEARLY_HOURS = Decimal("90")


class Rank(models.Model):
    """One rank of the list, in the order reports show them."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    yearly_hours = models.DecimalField(
        _("yearly study-hours quota"),
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_YEARLY_HOURS,
        validators=[MinValueValidator(0)],
        help_text=_("How many study hours (学时) a cadre of this rank earns a year"),
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("yearly_hours"), FieldPanel("sort_order")]),
    ]

    class Meta:
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name
