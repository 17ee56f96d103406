from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from onboarding import views
from onboarding.rules import may_import_network


@hooks.register("register_admin_urls")
def onboarding_urls():
    return [
        path("network/setup/", views.setup_view, name="onboarding_setup"),
        path("network/import/", views.import_view, name="onboarding_import"),
        path(
            "network/import/template.xlsx",
            views.template_view,
            name="onboarding_template",
        ),
        path("network/export.xlsx", views.export_view, name="onboarding_export"),
    ]


class ImportMenuItem(MenuItem):
    """Also the way to the first-run page: while there is no district forum,
    the import leads a superuser there. (A menu item of its own would ask the
    database on every admin page.)"""

    def is_shown(self, request):
        return may_import_network(request.user)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem(
        _("Import the network"),
        reverse("onboarding_import"),
        icon_name="upload",
        order=165,
    )
