from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LecturesConfig(AppConfig):
    name = "lectures"
    verbose_name = _("Lecture network")

    def ready(self):
        from . import signals  # noqa: F401
