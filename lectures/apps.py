from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LecturesConfig(AppConfig):
    name = "lectures"
    verbose_name = _("Lecture network")

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from . import notices, signals  # noqa: F401
        from .permission_policies import ForumPagePermissionPolicy
        from .views import pages  # noqa: F401 (registers page contexts)

        register_permission_policy(Page, ForumPagePermissionPolicy(Page))
        notices.register()
