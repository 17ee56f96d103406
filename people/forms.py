"""Forms of the people pages: each parses input for one service call."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from lectures.models import ForumPage, Lecturer, Rank
from people.rules import appointable_accounts, assignable_units
from people.services.appointments import Role

SEARCH_LIMIT = 20


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, forum):
        return f"{forum.title}（{forum.unit_name}）"


class AccountForm(forms.Form):
    """An account's facts, as its administrators keep them."""

    real_name = forms.CharField(label=_("Name"), max_length=50)
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20)
    unit_forum = UnitChoiceField(
        label=_("Unit (forum)"), queryset=ForumPage.objects.none(), required=False
    )
    unit_name = forms.CharField(
        label=_("Other unit"),
        max_length=100,
        required=False,
        help_text=_("Only for a unit without a forum of its own"),
    )
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    rank = forms.ModelChoiceField(
        label=_("Rank"),
        queryset=Rank.objects.all(),
        help_text=_("From the district's list of ranks; it sets his yearly quota"),
        error_messages={
            "required": _(
                "Choose his rank: every cadre has one (it sets his yearly quota)."
            )
        },
    )
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["unit_forum"].queryset = assignable_units(actor).order_by("path")


class AccountCreateForm(AccountForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to use the mobile number"),
    )
    initial_password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput(render_value=True),
        help_text=_(
            "He must set his own at first login. Leave empty to print a "
            "one-time set-password slip instead."
        ),
    )

    def clean_initial_password(self):
        password = self.cleaned_data["initial_password"]
        if password:
            validate_password(password)
        return password


class AccountEditForm(AccountForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class FindAccountForm(forms.Form):
    q = forms.CharField(label=_("Name or mobile"), max_length=50, required=False)

    def results(self, actor):
        if not self.is_valid() or not self.cleaned_data["q"].strip():
            return []
        q = self.cleaned_data["q"].strip()
        users = appointable_accounts(actor).filter(
            Q(trainee__real_name__icontains=q)
            | Q(trainee__mobile__startswith=q)
            | Q(username=q)
        )
        return list(users.select_related("trainee").order_by("username")[:SEARCH_LIMIT])


class AppointForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Account"), queryset=get_user_model().objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wider than what may be appointed: the service refuses with a reason.
        self.fields["user"].queryset = get_user_model().objects.all()


class RemoveForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.all())
    role = forms.ChoiceField(choices=Role.choices)


class CreateAndAppointForm(AccountCreateForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AddLecturerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    title = forms.CharField(
        label=pgettext_lazy("lecturer", "Title"), max_length=100, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=100, required=False)


class AttachLecturerForm(forms.Form):
    lecturer = forms.ModelChoiceField(
        label=_("Lecturer"), queryset=Lecturer.objects.filter(user=None)
    )
    user = forms.ModelChoiceField(
        label=_("Account"), queryset=get_user_model().objects.all()
    )


class OwnContactForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20)
    email = forms.EmailField(label=_("Email"), required=False)


class LecturerProfileForm(WagtailAdminModelForm):
    """What a lecturer keeps of his own public profile (not his forums, not
    his account)."""

    class Meta:
        model = Lecturer
        fields = ["name", "title", "unit", "photo", "biography", "fields"]
        widgets = {"fields": forms.CheckboxSelectMultiple}


def profile_values(cleaned: dict) -> dict:
    """The account form's values that the account services take."""
    names = (
        "real_name",
        "mobile",
        "unit_forum",
        "unit_name",
        "position",
        "rank",
        "email",
    )
    return {name: cleaned.get(name, "") for name in names} | {
        "unit_forum": cleaned.get("unit_forum"),
        "rank": cleaned.get("rank"),
    }
