"""Registrations and attendance in the admin: filterable lists with xlsx/csv export.

Each organiser sees the rows of the sessions in the forums he administers,
and nothing else; rows are made by the services, never added, edited or
deleted here — by superusers neither.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lectures.models import Attendance, AttendanceStatus, Registration
from lectures.models import RegistrationStatus as RStatus
from lectures.models.tree import below_any
from lectures.rules import administered_paths


def in_users_subtree(queryset, user):
    if user.is_superuser:
        return queryset
    return queryset.filter(below_any(administered_paths(user), "session__path"))


class ScopedIndexView(IndexView):
    def get_base_queryset(self):
        queryset = (
            super()
            .get_base_queryset()
            .select_related("session", "user", "user__trainee")
        )
        return in_users_subtree(queryset, self.request.user)


class ParticipationFilterSet(WagtailFilterSet):
    session = django_filters.NumberFilter(label=_("Session id"))
    title = django_filters.CharFilter(
        field_name="session.title", lookup_expr="icontains", label=_("Session title")
    )


class RegistrationFilterSet(ParticipationFilterSet):
    status = django_filters.ChoiceFilter(choices=RStatus.choices, label=_("Status"))

    class Meta:
        model = Registration
        fields = ["session", "title", "status"]


class AttendanceFilterSet(ParticipationFilterSet):
    status = django_filters.ChoiceFilter(
        choices=AttendanceStatus.choices, label=_("Status")
    )

    class Meta:
        model = Attendance
        fields = ["session", "title", "status"]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Participation is kept by the services (with their rules and log):
    the admin may list and export it, never add, change or delete a row."""

    WRITES = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.WRITES and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ParticipationViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    add_to_admin_menu = False
    copy_view_enabled = False
    list_per_page = 50


class RegistrationViewSet(ParticipationViewSet):
    model = Registration
    icon = "list-ul"
    menu_label = _("Registrations")
    filterset_class = RegistrationFilterSet
    list_display = ["session", "trainee_name", "status", "created_at"]
    list_export = [
        "session.title",
        "session.start",
        "trainee_name",
        "trainee_unit",
        "trainee_mobile",
        "status",
        "created_at",
        "cancelled_at",
    ]
    export_headings = {
        "session.title": _("Session"),
        "session.start": _("Start"),
    }
    export_filename = "registrations"
    ordering = ["-created_at"]
    form_fields = ["status"]


class AttendanceViewSet(ParticipationViewSet):
    model = Attendance
    icon = "tick"
    menu_label = _("Attendance")
    filterset_class = AttendanceFilterSet
    list_display = ["session", "trainee_name", "status", "checked_in_at"]
    list_export = [
        "session.title",
        "session.start",
        "trainee_name",
        "trainee_unit",
        "status",
        "method",
        "checked_in_at",
        "leave_reason",
        "session.study_hours",
    ]
    export_headings = {
        "session.title": _("Session"),
        "session.start": _("Start"),
        "session.study_hours": _("Study hours"),
    }
    export_filename = "attendance"
    ordering = ["-session__start"]
    form_fields = ["status", "leave_reason"]


register_permission_policy(Registration, ReadOnlyPolicy(Registration))
register_permission_policy(Attendance, ReadOnlyPolicy(Attendance))
