"""Registers the people pages: the accounts list and its pages, a forum's
people, the lecturer's own profile, the founding panel and the log actions."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from lectures.models import ForumPage
from people import rules
from people.views import admin
from people.views.dashboard import FoundingPanel
from people.viewsets import AccountViewSet


@hooks.register("register_admin_viewset")
def account_viewset():
    return AccountViewSet("accounts")


@hooks.register("register_admin_urls")
def people_urls():
    return [
        path("people/accounts/add/", admin.account_create, name="people_account_add"),
        path(
            "people/accounts/<int:pk>/", admin.account_edit, name="people_account_edit"
        ),
        path(
            "people/accounts/<int:pk>/password/",
            admin.account_reset_password,
            name="people_account_password",
        ),
        path("people/forums/<int:pk>/", admin.forum_people, name="people_forum"),
        path(
            "people/forums/<int:pk>/appoint/",
            admin.forum_appoint,
            name="people_forum_appoint",
        ),
        path(
            "people/forums/<int:pk>/remove/",
            admin.forum_remove,
            name="people_forum_remove",
        ),
        path(
            "people/forums/<int:pk>/create/",
            admin.forum_create_and_appoint,
            name="people_forum_create",
        ),
        path(
            "people/forums/<int:pk>/lecturer/",
            admin.forum_add_lecturer,
            name="people_forum_add_lecturer",
        ),
        path(
            "people/forums/<int:pk>/attach/",
            admin.forum_attach_lecturer,
            name="people_forum_attach",
        ),
        path(
            "people/lecturers/<int:pk>/",
            admin.lecturer_profile,
            name="people_lecturer_profile",
        ),
        path(
            "people/my-lecturer-profile/",
            admin.my_lecturer_profile,
            name="people_my_lecturer_profile",
        ),
    ]


class OwnLecturerProfileItem(MenuItem):
    def is_shown(self, request):
        return rules.shows_own_lecturer_profile(request.user)


@hooks.register("register_admin_menu_item")
def own_lecturer_profile_item():
    return OwnLecturerProfileItem(
        _("My lecturer profile"),
        reverse("people_my_lecturer_profile"),
        icon_name="user",
        order=145,
    )


@hooks.register("register_page_header_buttons")
def forum_people_button(page, user, view_name=None, next_url=None):
    if issubclass(page.specific_class or type(page), ForumPage) and rules.may_appoint(
        user, page
    ):
        yield Button(
            _("People"),
            reverse("people_forum", args=[page.pk]),
            icon_name="group",
            priority=40,
        )


@hooks.register("construct_homepage_panels")
def founding_panel(request, panels):
    panels.append(FoundingPanel())


@hooks.register("register_log_actions")
def people_log_actions(actions):
    @actions.register_action("people.appointed")
    class Appointed(LogFormatter):
        label = _("Appoint")

        def format_message(self, log_entry):
            return _("Appointed %(name)s (%(username)s) as %(role)s") % {
                "name": log_entry.data.get("name", ""),
                "username": log_entry.data.get("username", ""),
                "role": log_entry.data.get("role", ""),
            }

    @actions.register_action("people.removed")
    class Removed(LogFormatter):
        label = _("Remove")

        def format_message(self, log_entry):
            return _("Removed %(name)s (%(username)s) as %(role)s") % {
                "name": log_entry.data.get("name", ""),
                "username": log_entry.data.get("username", ""),
                "role": log_entry.data.get("role", ""),
            }

    for action, label in (
        ("people.lecturer_added", _("Lecturer added")),
        ("people.account.created", _("Account created")),
        ("people.account.changed", _("Account changed")),
        ("people.account.activated", _("Account activated")),
        ("people.account.deactivated", _("Account deactivated")),
        ("people.account.contact_changed", _("Contact details changed")),
        ("people.password.link_issued", _("Set-password link issued")),
        ("people.told.appointed", _("Told of an appointment")),
        ("people.told.removed", _("Told of a removal")),
    ):
        actions.register_action(action, label, label)
