"""Lectures on demand in the admin: its pages and menu, the 统计 report,
log labels, and the demo's topics and orders."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from stats.menu import StatsMenuItem
from topics.demo import build_topics, remove_topics
from topics.reports import OrderReportView
from topics.rules import takes_part_in_orders
from topics.services import figures, menu, notices, orders
from topics.views import admin as admin_views

# One view each (topics/views/admin.py), named `topic_<action>`, `order_<action>`.
TOPIC_ACTIONS = ("approve", "return", "offer", "withdraw")
ORDER_ACTIONS = ("dispatch", "decline", "accept", "refuse", "cancel", "fulfil")


@hooks.register("register_admin_urls")
def topic_admin_urls():
    return [
        path("topics/", admin_views.topic_list, name="topics_admin_topics"),
        path("topics/add/", admin_views.topic_edit, name="topics_admin_topic_add"),
        path(
            "topics/<int:pk>/edit/",
            admin_views.topic_edit,
            name="topics_admin_topic_edit",
        ),
        *(
            path(
                f"topics/<int:pk>/{action}/",
                getattr(admin_views, f"topic_{action}"),
                name=f"topics_admin_topic_{action}",
            )
            for action in TOPIC_ACTIONS
        ),
        path(
            "topics/<int:topic_pk>/order/",
            admin_views.order_place,
            name="topics_order_place",
        ),
        path("topics/orders/", admin_views.order_list, name="topics_admin_orders"),
        path(
            "topics/orders/<int:pk>/",
            admin_views.order_detail,
            name="topics_admin_order",
        ),
        *(
            path(
                f"topics/orders/<int:pk>/{action}/",
                getattr(admin_views, f"order_{action}"),
                name=f"topics_admin_order_{action}",
            )
            for action in ORDER_ACTIONS
        ),
        path("reports/orders/", OrderReportView.as_view(), name="topics_report_orders"),
    ]


def _takes_part(request) -> bool:
    return takes_part_in_orders(request.user)


class OnDemandMenuItem(MenuItem):
    def is_shown(self, request):
        return _takes_part(request)


class OnDemandSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return _takes_part(request)


@hooks.register("register_admin_menu_item")
def on_demand_menu():
    return OnDemandSubmenu(
        _("Lectures on demand"),
        Menu(
            items=[
                OnDemandMenuItem(
                    _("Orders"), reverse("topics_admin_orders"), icon_name="tasks"
                ),
                OnDemandMenuItem(
                    _("Topics"), reverse("topics_admin_topics"), icon_name="list-ul"
                ),
            ]
        ),
        icon_name="tasks",
        name="on-demand",
        order=160,
    )


@hooks.register("register_stats_menu_item")
def order_report_item():
    return StatsMenuItem(
        _("Lectures on demand"),
        reverse("topics_report_orders"),
        icon_name="tasks",
        order=350,
    )


@hooks.register("register_log_actions")
def topic_log_actions(actions):
    for module in (menu, orders, notices):
        for action, label in module.ACTIONS.items():
            actions.register_action(action, label, label)


@hooks.register("build_demo")
def demo_topics(builder):
    build_topics(builder)


@hooks.register("reset_demo")
def reset_demo_topics():
    remove_topics()


@hooks.register("work_report_sentences")
def orders_in_the_work_report(stats):
    return figures.work_report_sentence(stats)
