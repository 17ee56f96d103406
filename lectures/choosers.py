"""Searchable choosers for the network's forms, in place of long dropdowns.

* An account (a lecturer's login): Wagtail's chooser modal, searched by
  name, user name or mobile, 20 a page — the lecturer form no longer renders
  every account of the district into a `<select>`.
* Lecturers of a session: ticked boxes with a search box above them, the
  chosen first, so that picking two of sixty is typing a name.

Nothing here imports the app's models (the models' panels import this).
"""

from django import forms
from django.conf import settings
from django.contrib.admin.utils import quote
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser


def account_label(user) -> str:
    """A person's name and login: 张三（zhangsan）; the login alone without one."""
    profile = getattr(user, "trainee", None)
    name = getattr(profile, "real_name", "")
    return f"{name}（{user.get_username()}）" if name else user.get_username()


class AccountSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Name, user name or mobile")}),
        required=False,
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(
                Q(username__icontains=query)
                | Q(trainee__real_name__icontains=query)
                | Q(trainee__mobile__startswith=query)
            )
            self.is_searching = True
            self.search_query = query
        return objects


class AccountChooseMixin:
    filter_form_class = AccountSearchForm
    per_page = 20

    def get_object_list(self):
        return (
            self.model_class.objects.filter(is_active=True)
            .select_related("trainee", "trainee__unit_forum")
            .order_by("username")
        )

    @property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Name"),
                accessor=account_label,
                get_url=lambda user: self.append_preserved_url_parameters(
                    reverse(self.chosen_url_name, args=(quote(user.pk),))
                ),
                link_attrs={"data-chooser-modal-choice": True},
            ),
            Column(
                "unit",
                label=_("Unit"),
                accessor=lambda user: getattr(
                    getattr(user, "trainee", None), "unit_display", ""
                ),
            ),
        ]


class AccountChooseView(AccountChooseMixin, ChooseView):
    pass


class AccountChooseResultsView(AccountChooseMixin, ChooseResultsView):
    pass


class AccountChosenView(ChosenView):
    def get_display_title(self, instance):
        return account_label(instance)


class AccountChooser(BaseChooser):
    def get_display_title(self, instance):
        return account_label(instance)


class AccountChooserViewSet(ChooserViewSet):
    model = settings.AUTH_USER_MODEL
    icon = "user"
    base_widget_class = AccountChooser
    choose_view_class = AccountChooseView
    choose_results_view_class = AccountChooseResultsView
    chosen_view_class = AccountChosenView
    choose_one_text = _("Choose an account")
    choose_another_text = _("Choose another account")
    page_title = _("Choose an account")


account_chooser_viewset = AccountChooserViewSet("account_chooser")


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """Ticked boxes under a search box; the chosen ones listed first."""

    template_name = "lectures/widgets/searchable_checkboxes.html"

    class Media:
        css = {"all": ["lectures/css/admin.css"]}
        js = ["lectures/js/searchable-checkboxes.js"]

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        # Chosen first, the rest in their order.
        return sorted(groups, key=lambda group: not group[1][0]["selected"])
