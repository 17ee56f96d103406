"""The admin for training classes: organisers' pages, menu, buttons, log labels."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from courses.demo import build_classes, remove_classes
from courses.models import ClassPage
from courses.reports import ClassReportView
from courses.rules import may_organise, may_run_classes
from courses.services import assessment, completion, enrolment, leave
from courses.services.trainee import classes_change_at, my_classes
from courses.views import admin as admin_views
from stats.menu import StatsMenuItem
from training_site.personal_pages import changes_at, keeping


@hooks.register("register_admin_urls")
def course_admin_urls():
    return [
        path("classes/", admin_views.class_list, name="courses_class_list"),
        path("classes/<int:pk>/", admin_views.manage, name="courses_manage_default"),
        path("classes/<int:pk>/<str:tab>/", admin_views.manage, name="courses_manage"),
        path(
            "classes/<int:pk>/actions/approve/",
            admin_views.approve,
            name="courses_approve",
        ),
        path(
            "classes/<int:pk>/actions/reject/",
            admin_views.reject,
            name="courses_reject",
        ),
        path(
            "classes/<int:pk>/actions/assign/",
            admin_views.assign,
            name="courses_assign",
        ),
        path(
            "classes/<int:pk>/actions/approve-leave/",
            admin_views.approve_leave,
            name="courses_approve_leave",
        ),
        path(
            "classes/<int:pk>/actions/refuse-leave/",
            admin_views.refuse_leave,
            name="courses_refuse_leave",
        ),
        path(
            "classes/<int:pk>/actions/confirm/",
            admin_views.confirm,
            name="courses_confirm",
        ),
    ]


class ClassesMenuItem(MenuItem):
    """For whoever administers part of the tree: he may run classes there."""

    def is_shown(self, request):
        return may_run_classes(request.user)


@hooks.register("register_admin_menu_item")
def classes_menu_item():
    return ClassesMenuItem(
        _("Training classes"),
        reverse("courses_class_list"),
        icon_name="group",
        order=150,
    )


@hooks.register("register_page_header_buttons")
def manage_class_button(page, user, view_name=None, next_url=None):
    if issubclass(page.specific_class or type(page), ClassPage) and may_organise(
        user, page
    ):
        yield Button(
            _("Enrolment, leave, results"),
            reverse("courses_manage_default", args=[page.pk]),
            icon_name="group",
            priority=40,
        )


@hooks.register("register_log_actions")
def course_log_actions(actions):
    for module in (enrolment, leave, assessment, completion):
        for action, label in module.ACTIONS.items():
            actions.register_action(action, label, label)


@hooks.register("trainee_page_panels")
def my_classes_panel(request):
    rows = my_classes(request.user)
    # /me/ is kept (training_site/personal_pages.py) until the clock moves
    # a class on: a test window, a lesson counted from its start.
    if keeping(request):
        changes_at(request, *classes_change_at(rows))
    return render_to_string(
        "courses/includes/my_classes.html", {"rows": rows}, request=request
    )


@hooks.register("build_demo")
def demo_classes(builder):
    build_classes(builder)


@hooks.register("reset_demo")
def reset_demo_classes():
    remove_classes()


@hooks.register("register_admin_urls")
def class_report_urls():
    return [
        path(
            "reports/classes/",
            ClassReportView.as_view(),
            name="courses_report_classes",
        )
    ]


@hooks.register("register_stats_menu_item")
def class_report_item():
    return StatsMenuItem(
        _("Training classes"),
        reverse("courses_report_classes"),
        icon_name="group",
        order=300,
    )
