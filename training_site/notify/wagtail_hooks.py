from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from training_site.notify import inbox
from training_site.notify.admin_views import (
    SESSION_KEY,
    AdminInboxView,
    DeliveryLogView,
    may_see_delivery_log,
    menu_shows_delivery_log,
)


@hooks.register("register_admin_urls")
def notify_admin_urls():
    return [
        path("messages/", AdminInboxView.as_view(), name="notify_admin_inbox"),
        path(
            "reports/deliveries/", DeliveryLogView.as_view(), name="notify_delivery_log"
        ),
        path(
            "reports/deliveries/results/",
            DeliveryLogView.as_view(results_only=True),
            name="notify_delivery_log_results",
        ),
    ]


class InboxMenuItem(MenuItem):
    """站内消息 with the unread count (one indexed count per admin page)."""

    def render_component(self, request):
        component = super().render_component(request)
        count = inbox.unread_count(request.user)
        if count:
            component.label = f"{component.label} ({count})"
        return component


class DeliveryLogMenuItem(MenuItem):
    def is_shown(self, request):
        return menu_shows_delivery_log(request)


@receiver(user_logged_in)
def ask_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = may_see_delivery_log(user)


@hooks.register("register_admin_menu_item")
def inbox_menu_item():
    return InboxMenuItem(
        gettext_lazy("Messages"),
        reverse("notify_admin_inbox"),
        icon_name="mail",
        order=50,
        name="messages",
    )


@hooks.register("register_reports_menu_item")
def delivery_log_menu_item():
    return DeliveryLogMenuItem(
        gettext_lazy("Delivery log"),
        reverse("notify_delivery_log"),
        icon_name="mail",
        order=900,
    )


@hooks.register("trainee_page_panels")
def messages_panel(request):
    """/me/'s section: the latest messages and the channels he chose."""
    return render_to_string(
        "notify/panel.html",
        {
            "notices": inbox.latest(request.user),
            "preference": inbox.preference(request.user),
            "title": _("Messages"),
        },
        request=request,
    )
