from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training classes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses import notices, signals  # noqa: F401
        from courses.views import pages  # noqa: F401 (registers page contexts)

        notices.register()
