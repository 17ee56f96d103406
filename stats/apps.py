from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """Statistics of the network (统计): reports, their spreadsheets and
    `lecture_stats`; coverage (全覆盖) and its monthly warnings. No models:
    every figure is read from `lectures`' rows and the study-hours ledger."""

    name = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from stats import notices

        notices.register()
