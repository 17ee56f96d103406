from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    """Lectures on demand (点单式讲坛): the menu of topics lecturers offer,
    and the orders forums place for them (点单、派单、接单、评单)."""

    name = "topics"
    verbose_name = _("Lectures on demand")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from topics import signals  # noqa: F401
