"""The 统计 menu, the report pages and the admin home's panel.

Other apps add their reports with the `register_stats_menu_item` hook
(training classes do), so this app never names them.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from stats.demo import build_coverage, remove_coverage
from stats.menu import StatsMenuItem
from stats.rules import may_see_reports
from stats.views.coverage import CoverageNamesView, CoverageReportView
from stats.views.dashboard import StatsPanel
from stats.views.network import NetworkReportView
from stats.views.people import LecturerReportView, TraineeReportView


@hooks.register("register_admin_menu_item")
def stats_menu():
    """The 统计 submenu. Other apps add their reports with the
    `register_stats_menu_item` hook (training classes do), so this app never
    names them."""
    return SubmenuMenuItem(
        _("Statistics"),
        Menu(register_hook_name="register_stats_menu_item"),
        icon_name="table",
        name="statistics",
        order=180,
    )


@hooks.register("register_stats_menu_item")
def network_report_item():
    return StatsMenuItem(
        _("Network"), reverse("stats_report_network"), icon_name="site", order=100
    )


@hooks.register("register_stats_menu_item")
def lecturer_report_item():
    return StatsMenuItem(
        _("Lecturers"),
        reverse("stats_report_lecturers"),
        icon_name="user",
        order=200,
    )


@hooks.register("register_stats_menu_item")
def trainee_report_item():
    return StatsMenuItem(
        _("Trainees' study hours"),
        reverse("stats_report_trainees"),
        icon_name="time",
        order=400,
    )


@hooks.register("register_stats_menu_item")
def coverage_report_item():
    return StatsMenuItem(
        _("Coverage"),
        reverse("stats_report_coverage"),
        icon_name="group",
        order=450,
    )


@hooks.register("register_stats_menu_item")
def behind_report_item():
    return StatsMenuItem(
        _("Cadres behind in study hours"),
        reverse("stats_report_coverage_names") + "?status=behind",
        icon_name="warning",
        order=460,
    )


@hooks.register("register_admin_urls")
def report_urls():
    return [
        path(
            "reports/network/",
            NetworkReportView.as_view(),
            name="stats_report_network",
        ),
        path(
            "reports/lecturers/",
            LecturerReportView.as_view(),
            name="stats_report_lecturers",
        ),
        path(
            "reports/trainees/",
            TraineeReportView.as_view(),
            name="stats_report_trainees",
        ),
        path(
            "reports/coverage/",
            CoverageReportView.as_view(),
            name="stats_report_coverage",
        ),
        path(
            "reports/coverage/names/",
            CoverageNamesView.as_view(),
            name="stats_report_coverage_names",
        ),
    ]


@hooks.register("construct_homepage_panels")
def stats_dashboard_panel(request, panels):
    if may_see_reports(request.user):
        panels.append(StatsPanel())


@hooks.register("build_demo")
def coverage_demo(builder):
    build_coverage(builder)


@hooks.register("reset_demo")
def coverage_demo_reset():
    remove_coverage()
