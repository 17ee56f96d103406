"""The accounts list (人员账号) in the admin: a Wagtail model viewset over
the people behind the logins, scoped to the viewer's subtree, with search
by name or mobile, filters by unit, tier, rank and active, and xlsx/csv
export. Adding and editing are the account pages of `people.views.admin`.
"""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lectures.models import ForumLevel, ForumPage, Rank, TraineeProfile
from people import rules


class AccountPolicy(ModelPermissionPolicy):
    """Whoever administers a forum opens the list; rows are scoped by the
    view, changes by `people.rules`; nobody deletes here (deactivate)."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return rules.may_manage_accounts(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(TraineeProfile, AccountPolicy(TraineeProfile))


class AccountFilterSet(WagtailFilterSet):
    unit_forum = django_filters.ModelChoiceFilter(
        label=_("Unit (forum)"),
        queryset=ForumPage.objects.none(),
        method="in_unit",
    )
    tier = django_filters.ChoiceFilter(
        label=_("Tier"),
        choices=ForumLevel.choices,
        field_name="unit_forum__level",
    )
    rank = django_filters.ModelChoiceFilter(
        label=_("Rank"), queryset=Rank.objects.all()
    )
    active = django_filters.BooleanFilter(
        label=_("Active"), field_name="user__is_active"
    )

    class Meta:
        model = TraineeProfile
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["unit_forum"].queryset = rules.assignable_units(
                request.user
            ).order_by("path")

    def in_unit(self, queryset, name, forum):
        """The unit and every unit below it."""
        return queryset.filter(unit_forum__in=ForumPage.objects.in_subtree(forum))


class AccountIndexView(IndexView):
    def get_base_queryset(self):
        return rules.managed_accounts(self.request.user).select_related(
            "user", "unit_forum", "rank"
        )

    def get_add_url(self):
        return reverse("people_account_add")

    def get_edit_url(self, instance):
        return reverse("people_account_edit", args=[instance.pk])


class AccountViewSet(ModelViewSet):
    model = TraineeProfile
    icon = "group"
    menu_label = _("Accounts")
    menu_order = 140
    add_to_admin_menu = True
    name = "accounts"
    index_view_class = AccountIndexView
    filterset_class = AccountFilterSet
    search_fields = ["real_name", "mobile"]
    search_backend_name = None
    list_display = [
        "real_name",
        "mobile",
        Column("unit_display", label=_("Unit")),
        "rank",
        "position",
        BooleanColumn("active", accessor="user.is_active", label=_("Active")),
    ]
    list_export = [
        "real_name",
        "mobile",
        "unit_display",
        "position",
        "rank",
        "user.username",
        "user.email",
        "user.is_active",
    ]
    export_headings = {
        "real_name": _("Name"),
        "mobile": _("Mobile phone"),
        "unit_display": _("Unit"),
        "position": _("Position"),
        "rank": _("Rank"),
        "user.username": _("User name"),
        "user.email": _("Email"),
        "user.is_active": _("Active"),
    }
    export_filename = "accounts"
    list_per_page = 50
    ordering = ["real_name", "pk"]
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["real_name"]
