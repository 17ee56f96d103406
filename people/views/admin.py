"""The people pages of the admin: accounts, a forum's people, a password
slip, a lecturer's own profile. One view per action; each parses a form,
calls a service, and turns a refusal into a message with nothing changed."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from lectures.models import ForumPage, Lecturer, TraineeProfile
from people import rules
from people.forms import (
    AccountCreateForm,
    AccountEditForm,
    AddLecturerForm,
    AppointForm,
    AttachLecturerForm,
    CreateAndAppointForm,
    FindAccountForm,
    LecturerProfileForm,
    RemoveForm,
    profile_values,
)
from people.services import accounts, appointments, passwords
from people.services.errors import PeopleError
from training_site.actions import form_action


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _profile(request, pk: int) -> TraineeProfile:
    profile = get_object_or_404(
        TraineeProfile.objects.select_related("user", "unit_forum"), pk=pk
    )
    _require(rules.can_manage_user(request.user, profile.user))
    return profile


# Accounts ---------------------------------------------------------------------


def account_create(request):
    _require(rules.may_manage_accounts(request.user))
    form = AccountCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.create_account(
                request.user,
                **profile_values(data),
                username=data["username"],
                initial_password=data["initial_password"],
            )
        except PeopleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Account %(name)s created.") % {"name": user.username}
            )
            return redirect("people_account_edit", user.trainee.pk)
    return TemplateResponse(
        request,
        "people/admin/account_form.html",
        {"form": form, "title": _("Add an account")},
    )


def account_edit(request, pk: int):
    profile = _profile(request, pk)
    user = profile.user
    initial = {
        "real_name": profile.real_name,
        "mobile": profile.mobile,
        "unit_forum": profile.unit_forum,
        "unit_name": profile.unit_name,
        "position": profile.position,
        "rank": profile.rank,
        "email": user.email,
        "is_active": user.is_active,
    }
    form = AccountEditForm(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():
        values = profile_values(form.cleaned_data)
        if request.user.pk != user.pk:
            values["is_active"] = form.cleaned_data["is_active"]
        try:
            accounts.update_account(request.user, profile, **values)
        except PeopleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Account saved."))
            return redirect("people_account_edit", profile.pk)
    return TemplateResponse(
        request,
        "people/admin/account_form.html",
        {
            "form": form,
            "profile": profile,
            "title": _("Account of %(name)s") % {"name": profile.real_name},
            "can_reset": rules.can_reset_password(request.user, user),
            "has_password": user.has_usable_password(),
        },
    )


@never_cache
def account_reset_password(request, pk: int):
    """GET: what will happen; POST: the slip, shown this once."""
    profile = _profile(request, pk)
    _require(rules.can_reset_password(request.user, profile.user))
    context = {"profile": profile}
    if request.method == "POST":
        try:
            link = passwords.issue_set_password_link(request.user, profile.user)
        except PeopleError as error:
            messages.error(request, error.message)
            return redirect("people_account_edit", profile.pk)
        context.update(link=request.build_absolute_uri(link.path), link_obj=link)
        response = TemplateResponse(request, "people/admin/password_slip.html", context)
        response["Cache-Control"] = "no-store"
        return response
    return TemplateResponse(
        request, "people/admin/password_reset_confirm.html", context
    )


# A forum's people -------------------------------------------------------------


def _forum(request, pk: int) -> ForumPage:
    forum = get_object_or_404(ForumPage, pk=pk).specific
    _require(rules.may_appoint(request.user, forum))
    return forum


def _people_page(request, forum, **forms):
    User = get_user_model()
    find = FindAccountForm(request.GET or None)
    context = {
        "forum": forum,
        "administrators": list(
            User.objects.filter(groups=forum.admin_group_id)
            .select_related("trainee")
            .order_by("username")
        ),
        "lecturers": list(
            forum.lecturers.select_related("user", "user__trainee").order_by("name")
        ),
        "unattached": list(
            Lecturer.objects.filter(forums=forum, user=None).order_by("name")
        ),
        "find_form": find,
        "found": find.results(request.user),
        "roles": appointments.Role.choices,
        "create_form": forms.get("create_form")
        or CreateAndAppointForm(actor=request.user),
        "lecturer_form": forms.get("lecturer_form") or AddLecturerForm(),
    }
    return TemplateResponse(request, "people/admin/forum_people.html", context)


def forum_people(request, pk: int):
    return _people_page(request, _forum(request, pk))


def _back(forum):
    return redirect("people_forum", forum.pk)


def _told(template, user, role, forum) -> str:
    return template % {
        "name": appointments.display_name(user),
        "role": appointments.Role(role).label,
        "forum": forum.title,
    }


def _appointment(form_class):
    """An appointment's action on the forum's people page (`form_action`)."""
    return form_action(
        form_class,
        load=_forum,
        back=lambda forum: reverse("people_forum", args=[forum.pk]),
        refusals=(PeopleError,),
        incomplete=gettext_lazy("Choose an account and a role."),
    )


@_appointment(AppointForm)
def forum_appoint(request, forum, data):
    user, role = data["user"], data["role"]
    appointments.appoint(request.user, forum, user, role)
    told = _told(_("%(name)s is now %(role)s of %(forum)s."), user, role, forum)
    messages.success(request, told)


@_appointment(RemoveForm)
def forum_remove(request, forum, data):
    user, role = data["user"], data["role"]
    appointments.remove(request.user, forum, user, role)
    told = _told(_("%(name)s is no longer %(role)s of %(forum)s."), user, role, forum)
    messages.success(request, told)


@require_POST
def forum_create_and_appoint(request, pk: int):
    forum = _forum(request, pk)
    form = CreateAndAppointForm(request.POST, actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = accounts.create_account(
                    request.user,
                    **profile_values(data),
                    username=data["username"],
                    initial_password=data["initial_password"],
                )
                appointments.appoint(request.user, forum, user, data["role"])
        except PeopleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Account %(name)s created and appointed.") % {"name": user.username},
            )
            return _back(forum)
    return _people_page(request, forum, create_form=form)


@require_POST
def forum_add_lecturer(request, pk: int):
    forum = _forum(request, pk)
    form = AddLecturerForm(request.POST)
    if form.is_valid():
        try:
            appointments.add_lecturer(request.user, forum, **form.cleaned_data)
        except PeopleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Lecturer added."))
            return _back(forum)
    return _people_page(request, forum, lecturer_form=form)


@require_POST
def forum_attach_lecturer(request, pk: int):
    forum = _forum(request, pk)
    form = AttachLecturerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a lecturer and an account."))
        return _back(forum)
    try:
        appointments.attach_lecturer(
            request.user, form.cleaned_data["lecturer"], form.cleaned_data["user"]
        )
    except PeopleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Lecturer attached to the account."))
    return _back(forum)


# A lecturer's profile -----------------------------------------------------------


def lecturer_profile(request, pk: int):
    """A lecturer's public profile, for himself and his forums' administrators."""
    lecturer = get_object_or_404(Lecturer, pk=pk)
    _require(rules.can_edit_lecturer(request.user, lecturer))
    form = LecturerProfileForm(
        request.POST or None, request.FILES or None, instance=lecturer
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profile saved."))
        return redirect("people_lecturer_profile", lecturer.pk)
    return TemplateResponse(
        request,
        "people/admin/lecturer_profile.html",
        {"form": form, "lecturer": lecturer},
    )


def my_lecturer_profile(request):
    lecturer = rules.own_lecturer_profile(request.user)
    if lecturer is None:
        raise PermissionDenied
    return redirect("people_lecturer_profile", lecturer.pk)
