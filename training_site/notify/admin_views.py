"""The admin's side: an administrator's or lecturer's own inbox, and the
delivery log (every SMS and email, filterable, limited to the people the
viewer administers)."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.views.reports import ReportView

from training_site.notify import inbox, registry
from training_site.notify.models import Channel, Delivery, DeliveryStatus, Notice

SESSION_KEY = "may_see_delivery_log"


def may_see_delivery_log(user) -> bool:
    """Superusers, and anyone an app says administers somebody (the scope
    hooks: a forum's administrators see the people of their subtree)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    visible = registry.visible_recipients(user)
    return visible is None or visible.exists()


def menu_shows_delivery_log(request) -> bool:
    """Asked once per login and kept in the session, as the header's admin
    link is (training_site/navigation.py): the menu is on every admin page.
    The log itself asks afresh."""
    session = getattr(request, "session", None)
    known = session.get(SESSION_KEY) if session is not None else None
    if known is None:
        known = may_see_delivery_log(request.user)
        if session is not None:
            session[SESSION_KEY] = known
    return known


def kind_choices():
    return sorted(
        ((name, str(kind.label)) for name, kind in registry.kinds().items()),
        key=lambda choice: choice[0],
    )


class DeliveryFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DeliveryStatus.choices, empty_label=_("All")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        field_name="notice__kind",
        choices=kind_choices,
        empty_label=_("All"),
    )
    created = django_filters.DateFromToRangeFilter(
        label=_("Date"), field_name="notice__created_at", widget=DateRangePickerWidget
    )
    q = django_filters.CharFilter(
        label=_("Recipient or address"), method="search_recipient"
    )

    class Meta:
        model = Delivery
        fields = ["status", "channel", "kind", "created", "q"]

    def search_recipient(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(address__icontains=value)
            | Q(notice__recipient__username__icontains=value)
            | Q(notice__recipient__last_name__icontains=value)
            | Q(notice__recipient__first_name__icontains=value)
        )


class DeliveryLogView(ReportView):
    page_title = _("Delivery log")
    header_icon = "mail"
    index_url_name = "notify_delivery_log"
    index_results_url_name = "notify_delivery_log_results"
    filterset_class = DeliveryFilterSet
    paginate_by = 50
    export_filename = "delivery-log"
    list_export = [
        "notice.created_at",
        "notice.recipient",
        "notice.kind",
        "channel",
        "address",
        "status",
        "attempts",
        "sent_at",
        "last_error",
        "notice.subject",
    ]
    export_headings = {
        "notice.created_at": _("Created"),
        "notice.recipient": _("Recipient"),
        "notice.kind": _("Kind"),
        "channel": _("Channel"),
        "address": _("Address"),
        "status": _("Status"),
        "attempts": _("Attempts"),
        "sent_at": _("Sent"),
        "last_error": _("Gateway answer"),
        "notice.subject": _("Subject"),
    }
    columns = [
        DateColumn("created", label=_("Created"), accessor="notice.created_at"),
        Column("recipient", label=_("Recipient"), accessor="notice.recipient"),
        Column("kind", label=_("Kind"), accessor="kind_label"),
        Column("channel", label=_("Channel"), accessor="get_channel_display"),
        Column("address", label=_("Address")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("attempts", label=_("Attempts")),
        DateColumn("sent_at", label=_("Sent")),
        Column("last_error", label=_("Gateway answer"), accessor="short_answer"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not may_see_delivery_log(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def visible(self):
        return registry.visible_recipients(self.request.user)

    def get_base_queryset(self):
        deliveries = Delivery.objects.select_related(
            "notice", "notice__recipient"
        ).order_by("-notice__created_at", "-pk")
        if self.visible is not None:
            deliveries = deliveries.filter(notice__recipient__in=self.visible)
        return deliveries

    def decorate_paginated_queryset(self, object_list):
        kinds = registry.kinds()
        for delivery in object_list:
            kind = kinds.get(delivery.notice.kind)
            delivery.kind_label = str(kind.label) if kind else delivery.notice.kind
            answer = delivery.last_error or ""
            delivery.short_answer = answer[:80] + ("…" if len(answer) > 80 else "")
        return object_list

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        kind = registry.kinds().get(item.notice.kind)
        row["notice.kind"] = str(kind.label) if kind else item.notice.kind
        row["channel"] = item.get_channel_display()
        row["status"] = item.get_status_display()
        row["notice.recipient"] = _recipient_name(item.notice.recipient)
        return row


def _recipient_name(user) -> str:
    return user.get_full_name() or user.get_username()


class AdminInboxView(BaseListingView):
    """An administrator's or lecturer's own messages, in the admin."""

    page_title = _("Messages")
    header_icon = "mail"
    template_name = "notify/admin/inbox.html"
    results_template_name = "notify/admin/inbox_results.html"
    index_url_name = "notify_admin_inbox"
    paginate_by = 20

    def get_base_queryset(self):
        return Notice.objects.for_user(self.request.user).only(
            "pk", "subject", "body", "link", "created_at", "read_at", "urgent"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notices"] = context["object_list"]
        context["unread_total"] = inbox.unread_count(self.request.user)
        return context
