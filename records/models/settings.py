"""The ledger's caps per source, edited by the district (Settings menu)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from records.models.sources import Source
from training_site.site_cache import CachedSiteSetting


def _cap(source: Source):
    return models.DecimalField(
        source.label,
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("At most this many hours a year count; empty: no cap"),
    )


@register_setting(icon="time")
class LedgerSettings(CachedSiteSetting, BaseSiteSetting):
    """How many hours a year each source may count at most (e.g. online
    courses at most 30). Quotas are per rank (讲坛网络 → 职级)."""

    cap_sessions = _cap(Source.SESSIONS)
    cap_lessons = _cap(Source.LESSONS)
    cap_assigned = _cap(Source.ASSIGNED)
    cap_party_school = _cap(Source.PARTY_SCHOOL)
    cap_online = _cap(Source.ONLINE)
    cap_other = _cap(Source.OTHER)

    panels = [
        HelpPanel(
            content=_(
                "Hours above a source's cap are kept in the record but do not "
                "count towards the yearly quota. Each rank's quota is set in "
                "the list of ranks."
            )
        ),
        *(FieldPanel(f"cap_{source.value}") for source in Source),
    ]

    class Meta:
        verbose_name = _("study-hours ledger settings")

    def caps(self) -> dict[str, Decimal | None]:
        """Each source's cap, None where there is none."""
        return {source: getattr(self, f"cap_{source.value}") for source in Source}
