"""Admin for the lecture network: lecturers, classifications and tier rules."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lectures import evaluation_admin
from lectures.evaluation_admin import EvaluationFormViewSet
from lectures.models import Category, Field, Lecturer
from lectures.rules import admin_visible_pages_filter, can_create_page, may_organise


class LecturerFilterSet(WagtailFilterSet):
    class Meta:
        model = Lecturer
        fields = ["fields", "forums"]


class LecturerViewSet(SnippetViewSet):
    model = Lecturer
    icon = "user"
    menu_label = _("Lecturers")
    menu_order = 200
    list_display = ["name", "title", "unit"]
    list_per_page = 50
    search_fields = ["name", "unit"]
    filterset_class = LecturerFilterSet
    ordering = ["name"]
    add_to_admin_menu = False


class FieldViewSet(SnippetViewSet):
    model = Field
    icon = "tag"
    menu_label = _("Fields")
    list_display = ["name", "slug", "sort_order"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["name", "slug", "sort_order"]


class LectureNetworkGroup(SnippetViewSetGroup):
    items = (LecturerViewSet, FieldViewSet, CategoryViewSet)
    menu_icon = "group"
    menu_label = _("Lecture network")
    menu_name = "lecture-network"
    menu_order = 150


register_snippet(LectureNetworkGroup)


@hooks.register("register_admin_viewset")
def participation_viewsets():
    from wagtail.admin.viewsets.base import ViewSetGroup

    from lectures.admin_views import AttendanceViewSet, RegistrationViewSet

    class ParticipationGroup(ViewSetGroup):
        items = (RegistrationViewSet("registrations"), AttendanceViewSet("attendance"))
        menu_icon = "list-ul"
        menu_label = _("Participation")
        menu_order = 170

    return ParticipationGroup()


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
    from lectures.services.checkin import LOG_ACTION as CHECKIN_LOG_ACTION
    from lectures.services.registration import ACTIONS

    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)
    checked_in = _("Checked in")
    actions.register_action(CHECKIN_LOG_ACTION, checked_in, checked_in)
    for action, label in (
        ("lectures.attendance.marked", _("Attendance marked")),
        ("lectures.attendance.walk_in", _("Walk-in added")),
        ("lectures.roster.closed", _("Roster closed")),
        ("lectures.evaluation.submitted", _("Evaluated a session")),
    ):
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def trainee_import_urls():
    from lectures.views import admin_import, roster

    return [
        path("lectures/roster/<int:pk>/", roster.roster_view, name="lectures_roster"),
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


def _roster_button(page, user, priority):
    from lectures.models import SessionPage

    if not issubclass(page.specific_class or type(page), SessionPage):
        return
    specific = page.specific
    if may_organise(user, specific):
        yield Button(
            _("Roster and check-in"),
            reverse("lectures_roster", args=[page.pk]),
            icon_name="list-ul",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def roster_header_button(page, user, view_name=None, next_url=None):
    yield from _roster_button(page, user, priority=50)


# Participation is never hard-deleted (see lectures.services.retention) ------


def _refuse_deletion(request, count: int, advice: str):
    from django.shortcuts import redirect
    from wagtail.admin import messages

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
    from lectures.services.retention import pages_with_descendants, records_in_the_way

    count = records_in_the_way(pages_with_descendants([page]))
    if count:
        return _refuse_deletion(request, count, PAGE_ADVICE)


@hooks.register("before_delete_user")
def keep_users_with_participation(request, user):
    from lectures.services.retention import records_in_the_way

    count = records_in_the_way([user])
    if count:
        return _refuse_deletion(request, count, USER_ADVICE)


@hooks.register("before_bulk_action")
def keep_participation_in_bulk_deletes(request, action_type, objects, action):
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from lectures.services.retention import pages_with_descendants, records_in_the_way

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

register_snippet(EvaluationFormViewSet)


@hooks.register("register_admin_urls")
def evaluation_urls():
    return evaluation_admin.urls()


@hooks.register("register_admin_menu_item")
def evaluation_menu_item():
    return evaluation_admin.menu_item()


@hooks.register("build_demo")
def evaluation_demo(builder):
    from lectures.demo import evaluations

    evaluations.build(builder)


@hooks.register("reset_demo")
def evaluation_demo_reset():
    from lectures.demo import evaluations

    evaluations.reset()
