"""The 统计 menu's item type, for every app that adds a report to it.

Apart from `stats.wagtail_hooks` so that other apps (training classes,
lectures on demand) can use it without importing the report pages, some of
which build on `records` — which they may not import.
"""

from wagtail.admin.menu import MenuItem

from stats.rules import may_see_reports


class StatsMenuItem(MenuItem):
    """Shown to superusers and to whoever administers part of the network."""

    def is_shown(self, request):
        return may_see_reports(request.user)
