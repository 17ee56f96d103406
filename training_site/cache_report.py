"""The admin's report of page-cache invalidations the cache did not take
(invalidations.py): pending ones first, then those applied in the last
`KEPT_DAYS` days. For superusers and the district's administrators."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from training_site.invalidations import KEPT_DAYS
from training_site.models import PendingInvalidation
from training_site.notify import registry

SESSION_KEY = "may_see_cache_report"


def may_see_cache_report(user) -> bool:
    """Superusers and whoever sees everyone's notices (the district's
    administrators): the cache serves the whole network."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or registry.visible_recipients(user) is None


def menu_shows_cache_report(request) -> bool:
    """Asked once per session (the menu is on every admin page); the report
    itself asks afresh."""
    session = getattr(request, "session", None)
    known = session.get(SESSION_KEY) if session is not None else None
    if known is None:
        known = may_see_cache_report(request.user)
        if session is not None:
            session[SESSION_KEY] = known
    return known


class InvalidationFilterSet(WagtailFilterSet):
    pending = django_filters.BooleanFilter(
        label=pgettext_lazy("cache invalidation", "Pending"),
        field_name="applied_at",
        lookup_expr="isnull",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = PendingInvalidation
        fields = ["pending"]


class CacheInvalidationsView(ReportView):
    page_title = _("Cache invalidations")
    header_icon = "warning"
    index_url_name = "cache_invalidations"
    index_results_url_name = "cache_invalidations_results"
    filterset_class = InvalidationFilterSet
    paginate_by = 50
    export_filename = "cache-invalidations"
    list_export = [
        "recorded_at",
        "what",
        "status",
        "attempts",
        "last_attempt_at",
        "last_error",
        "applied_at",
    ]
    export_headings = {
        "recorded_at": _("Recorded"),
        "what": _("What"),
        "status": _("Status"),
        "attempts": _("Attempts"),
        "last_attempt_at": _("Last attempt"),
        "last_error": _("Last error"),
        "applied_at": _("Applied"),
    }

    @property
    def no_results_message(self):
        if self.is_filtering:
            return _("No invalidation matches these filters.")
        return _(
            "The cache has taken every invalidation: none is waiting, and none "
            "needed a retry in the last %(days)d days."
        ) % {"days": KEPT_DAYS}

    columns = [
        DateColumn("recorded_at", label=_("Recorded")),
        Column("what", label=_("What")),
        Column("status", label=_("Status")),
        Column("attempts", label=_("Attempts")),
        DateColumn("last_attempt_at", label=_("Last attempt")),
        Column("last_error", label=_("Last error")),
        DateColumn("applied_at", label=_("Applied")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not may_see_cache_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return PendingInvalidation.objects.order_by(
            F("applied_at").desc(nulls_first=True), "-pk"
        )

    def decorate_paginated_queryset(self, object_list):
        for row in object_list:
            _describe(row)
        return object_list

    def to_row_dict(self, item):
        return super().to_row_dict(_describe(item))


def _describe(row: PendingInvalidation) -> PendingInvalidation:
    row.status = (
        pgettext_lazy("cache invalidation", "Pending")
        if row.applied_at is None
        else pgettext_lazy("cache invalidation", "Applied")
    )
    return row
