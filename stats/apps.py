from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """Statistics of the network (统计): reports, their spreadsheets and
    `lecture_stats`. No models: every figure is read from `lectures`' rows."""

    name = "stats"
    verbose_name = _("Statistics")
