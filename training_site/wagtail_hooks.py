from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from training_site.cache_report import CacheInvalidationsView, menu_shows_cache_report


@hooks.register("register_admin_urls")
def cache_report_urls():
    return [
        path(
            "reports/cache-invalidations/",
            CacheInvalidationsView.as_view(),
            name="cache_invalidations",
        ),
        path(
            "reports/cache-invalidations/results/",
            CacheInvalidationsView.as_view(results_only=True),
            name="cache_invalidations_results",
        ),
    ]


class CacheReportMenuItem(MenuItem):
    def is_shown(self, request):
        return menu_shows_cache_report(request)


@hooks.register("register_reports_menu_item")
def cache_report_menu_item():
    return CacheReportMenuItem(
        gettext_lazy("Cache invalidations"),
        reverse("cache_invalidations"),
        icon_name="warning",
        order=910,
    )
