"""The lecture network's Wagtail viewsets: lecturers and classifications,
registrations and attendance, evaluation tables. Registered from
`wagtail_hooks.py`.

Registrations and attendance are filterable lists with xlsx/csv export.
Each organiser sees the rows of the sessions in the forums he administers,
and nothing else; rows are made by the services, never added, edited or
deleted here — by superusers neither.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lectures.models import (
    Attendance,
    AttendanceStatus,
    Category,
    EvaluationForm,
    Field,
    Lecturer,
    Rank,
    Registration,
    SessionEvaluation,
)
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


class ParticipationGroup(ViewSetGroup):
    items = (RegistrationViewSet("registrations"), AttendanceViewSet("attendance"))
    menu_icon = "list-ul"
    menu_label = _("Participation")
    menu_order = 170


# Lecturers and classifications -------------------------------------------


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


class RankViewSet(SnippetViewSet):
    """The district keeps the list of ranks and each one's yearly quota."""

    model = Rank
    icon = "list-ol"
    menu_label = _("Ranks")
    list_display = ["name", "yearly_hours", "sort_order"]
    ordering = ["sort_order", "pk"]


class LectureNetworkGroup(SnippetViewSetGroup):
    items = (LecturerViewSet, FieldViewSet, CategoryViewSet, RankViewSet)
    menu_icon = "group"
    menu_label = _("Lecture network")
    menu_name = "lecture-network"
    menu_order = 150


# Evaluation tables ----------------------------------------------------------


class EvaluationFormAdminForm(WagtailAdminModelForm):
    """A table in use keeps its scale, its indicators and their weights.

    Names, descriptions and the order may change; anything that would change
    a figure already given is refused — copy the table for a new version.
    """

    def is_valid(self):
        valid = super().is_valid()
        if not valid or not self.instance.pk:
            return valid
        if not SessionEvaluation.objects.filter(form=self.instance).exists():
            return valid
        if "scale" in self.changed_data:
            self.add_error(
                "scale", _("This table has been used; its scale can no longer change.")
            )
        indicators = self.formsets["indicators"]
        for form in indicators.forms:
            if not form.instance.pk and form.has_changed():
                problem = _("This table has been used; indicators cannot be added.")
            elif form in indicators.deleted_forms and form.instance.pk:
                problem = _("This table has been used; indicators cannot be removed.")
            elif "weight" in form.changed_data:
                problem = _("This table has been used; weights can no longer change.")
            else:
                continue
            self.add_error(None, problem)
        return not self.errors


class EvaluationFormViewSet(SnippetViewSet):
    model = EvaluationForm
    icon = "form"
    menu_label = _("Evaluation forms")
    add_to_admin_menu = False
    list_display = ["name", "scale", "is_default"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("scale"), FieldPanel("is_default")]),
            FieldPanel("introduction"),
            FieldPanel("allow_comments"),
            InlinePanel(
                "indicators",
                label=_("Indicator"),
                heading=_("Indicators"),
                min_num=1,
                panels=[
                    FieldRowPanel([FieldPanel("name"), FieldPanel("weight")]),
                    FieldPanel("description"),
                ],
            ),
        ],
        base_form_class=EvaluationFormAdminForm,
    )
