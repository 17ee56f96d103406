"""Admin for the lecture network: lecturers, classifications and tier rules."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from lectures.choosers import account_chooser_viewset
from lectures.demo import evaluations
from lectures.models import SessionPage
from lectures.rules import (
    admin_visible_pages_filter,
    can_create_page,
    gives_lectures_only,
    may_see_results,
)
from lectures.services.checkin import LOG_ACTION as CHECKIN_LOG_ACTION
from lectures.services.registration import ACTIONS
from lectures.services.retention import pages_with_descendants, records_in_the_way
from lectures.views import admin_import, evaluation_reports, roster
from lectures.views.dashboard import LecturerDeskPanel
from lectures.views.page_admin import (
    NetworkPageViewSet,
    submit_first_for_those_who_cannot_publish,
)
from lectures.viewsets import (
    EvaluationFormViewSet,
    LectureNetworkGroup,
    ParticipationGroup,
)


@hooks.register("register_admin_viewset")
def participation_viewsets():
    return ParticipationGroup()


@hooks.register("register_admin_viewset")
def account_chooser():
    return account_chooser_viewset


# After Wagtail's own viewset for `Page` (order 0), so that this one wins.
@hooks.register("register_admin_viewset", order=10)
def network_page_viewset():
    return NetworkPageViewSet("network_pages")


hooks.register("construct_page_action_menu", submit_first_for_those_who_cannot_publish)


@hooks.register("before_create_page")
def only_what_the_role_may_draft(request, parent_page, page_class):
    """Wagtail's 'add' grant is coarse: a lecturer may draft sessions, not forums."""
    if not can_create_page(request.user, parent_page, page_class):
        raise PermissionDenied


@hooks.register("construct_explorer_page_queryset")
def explore_only_the_users_subtree(parent_page, pages, request):
    """Nobody lists drafts outside his subtree, even below an 'add' grant."""
    visible = admin_visible_pages_filter(request.user)
    return pages if visible is None else pages.filter(visible)


@hooks.register("construct_page_chooser_queryset")
def choose_live_pages_or_the_users_own(pages, request):
    """Links may point at any published page, but at no one else's draft."""
    visible = admin_visible_pages_filter(request.user)
    return pages if visible is None else pages.filter(visible | Q(live=True))


@hooks.register("register_log_actions")
def participation_log_actions(actions):
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)
    checked_in = _("Checked in")
    actions.register_action(CHECKIN_LOG_ACTION, checked_in, checked_in)
    for action, label in (
        ("lectures.attendance.marked", _("Attendance marked")),
        ("lectures.attendance.walk_in", _("Walk-in added")),
        ("lectures.attendance.others", _("Other attendees recorded")),
        ("lectures.roster.closed", _("Roster closed")),
        ("lectures.evaluation.submitted", _("Evaluated a session")),
    ):
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def trainee_import_urls():
    return [
        path("lectures/roster/<int:pk>/", roster.roster_view, name="lectures_roster"),
        path(
            "lectures/roster/<int:pk>/mark/", roster.mark, name="lectures_roster_mark"
        ),
        path(
            "lectures/roster/<int:pk>/mark-many/",
            roster.mark_many,
            name="lectures_roster_mark_many",
        ),
        path(
            "lectures/roster/<int:pk>/walk-in/",
            roster.walk_in,
            name="lectures_roster_walk_in",
        ),
        path(
            "lectures/roster/<int:pk>/bulk/", roster.bulk, name="lectures_roster_bulk"
        ),
        path(
            "lectures/roster/<int:pk>/others/",
            roster.others,
            name="lectures_roster_others",
        ),
        path(
            "lectures/roster/<int:pk>/close/",
            roster.close,
            name="lectures_roster_close",
        ),
        path(
            "lectures/roster/<int:pk>/sheet.xlsx",
            roster.sheet_view,
            name="lectures_roster_sheet",
        ),
        path(
            "trainees/import/", admin_import.import_view, name="lectures_trainee_import"
        ),
        path(
            "trainees/import/template.xlsx",
            admin_import.template_view,
            name="lectures_trainee_import_template",
        ),
    ]


class TraineeImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("lectures.add_traineeprofile")


@hooks.register("register_admin_menu_item")
def trainee_import_menu_item():
    return TraineeImportMenuItem(
        _("Import trainees"),
        reverse("lectures_trainee_import"),
        icon_name="user",
        order=160,
    )


# Participation is never hard-deleted (see lectures.services.retention) ------


def _refuse_deletion(request, count: int, advice: str):
    messages.error(
        request,
        _("Not deleted: %(n)d participation records depend on it. %(advice)s")
        % {"n": count, "advice": advice},
    )
    return redirect(request.GET.get("next") or "wagtailadmin_home")


PAGE_ADVICE = _("Mark the session cancelled or unpublish the page instead.")
USER_ADVICE = _("Deactivate the account instead.")


@hooks.register("before_delete_page")
def keep_pages_with_participation(request, page):
    count = records_in_the_way(pages_with_descendants([page]))
    if count:
        return _refuse_deletion(request, count, PAGE_ADVICE)


@hooks.register("before_delete_user")
def keep_users_with_participation(request, user):
    count = records_in_the_way([user])
    if count:
        return _refuse_deletion(request, count, USER_ADVICE)


@hooks.register("before_bulk_action")
def keep_participation_in_bulk_deletes(request, action_type, objects, action):
    if action_type != "delete" or not objects:
        return None
    if isinstance(objects[0], Page):
        count, advice = records_in_the_way(pages_with_descendants(objects)), PAGE_ADVICE
    elif isinstance(objects[0], get_user_model()):
        count, advice = records_in_the_way(objects), USER_ADVICE
    else:
        return None
    if count:
        return _refuse_deletion(request, count, advice)
    return None


# Evaluations ------------------------------------------------------------------

register_snippet(LectureNetworkGroup)
register_snippet(EvaluationFormViewSet)


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_results(request.user)


class FormsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("lectures.view_evaluationform") or (
            request.user.has_perm("lectures.change_evaluationform")
        )


@hooks.register("register_admin_urls")
def evaluation_urls():
    return [
        path(
            "evaluations/",
            evaluation_reports.SessionsReport.as_view(),
            name="lectures_evaluations",
        ),
        path(
            "evaluations/indicators/",
            evaluation_reports.IndicatorsReport.as_view(),
            name="lectures_evaluation_indicators",
        ),
        path(
            "evaluations/lecturers/",
            evaluation_reports.RankingReport.as_view(),
            name="lectures_evaluation_ranking",
        ),
        path(
            "evaluations/session/<int:pk>/",
            evaluation_reports.SessionResult.as_view(),
            name="lectures_evaluation_session",
        ),
    ]


@hooks.register("register_admin_menu_item")
def evaluation_menu_item():
    menu = Menu(
        items=[
            ResultsMenuItem(
                _("Results by session"), reverse("lectures_evaluations"), order=10
            ),
            ResultsMenuItem(
                _("Results by indicator"),
                reverse("lectures_evaluation_indicators"),
                order=20,
            ),
            ResultsMenuItem(
                _("Lecturer ranking"), reverse("lectures_evaluation_ranking"), order=30
            ),
            FormsMenuItem(
                _("Evaluation forms"),
                reverse("wagtailsnippets_lectures_evaluationform:list"),
                order=40,
            ),
        ]
    )
    return SubmenuMenuItem(
        _("Evaluations"), menu, icon_name="pick", name="evaluations", order=175
    )


# The admin home ------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def lecturer_desk_panel(request, panels):
    if hasattr(request.user, "lecturer"):
        panels.append(LecturerDeskPanel())


@hooks.register("construct_homepage_summary_items", order=100)
def no_site_counts_for_lecturers(request, items):
    """A lecturer's home is his sessions, not the site's page and image counts."""
    if gives_lectures_only(request.user):
        items.clear()


@hooks.register("build_demo")
def evaluation_demo(builder):
    evaluations.build(builder)


@hooks.register("reset_demo")
def evaluation_demo_reset():
    evaluations.reset()


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_of_sessions_without_hours(request, page):
    """0 study hours is allowed for a lecture (a briefing, a screening), but
    rarely meant: say so after saving (a class lesson is refused by the form)."""
    specific = page.specific_deferred
    if isinstance(specific, SessionPage) and not specific.study_hours:
        messages.warning(
            request, _("This session carries 0 study hours: taking part earns none.")
        )
