"""Pages a person uses for his own account: password change (and the first
one), the one-time set-password link, reset by email, contact details."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from people.forms import OwnContactForm
from people.services import accounts, passwords
from people.services.errors import PeopleError


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, clearing the first-login flag once he has his own."""

    template_name = "registration/password_change_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["first"] = bool(self.request.session.get(passwords.SESSION_FLAG))
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.password_set_by_owner(self.request.user)
        self.request.session.pop(passwords.SESSION_FLAG, None)
        return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The administrator's one-time link: works once, for 72 hours."""

    token_generator = passwords.set_password_tokens
    template_name = "registration/set_password.html"
    success_url = reverse_lazy("set_password_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.password_set_by_owner(form.user)
        return response


class EmailResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.password_set_by_owner(form.user)
        return response


@login_required
def my_account(request):
    """His own mobile and email; unit and rank shown, changed by his unit."""
    profile = getattr(request.user, "trainee", None)
    initial = {"mobile": profile.mobile if profile else "", "email": request.user.email}
    form = OwnContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and profile is not None and form.is_valid():
        try:
            accounts.update_own_contact(
                request.user,
                mobile=form.cleaned_data["mobile"],
                email=form.cleaned_data["email"],
            )
        except PeopleError as error:
            form.add_error("mobile", error.message)
        else:
            messages.success(request, _("Your contact details have been saved."))
            return redirect("my_account")
    return render(request, "people/my_account.html", {"form": form, "profile": profile})
