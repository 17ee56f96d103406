from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Each cadre's study-hours record (学时档案): the ledger by source, hours
    earned elsewhere, the training file (一人一档) and the yearly transcript.
    Builds on `lectures` (and `courses` for the training file); neither
    imports it."""

    name = "records"
    verbose_name = _("Training records")
    default_auto_field = "django.db.models.BigAutoField"
