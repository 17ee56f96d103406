"""What every POST action shares: its guard, and its form.

An action (register, enrol, approve, mark…) is a view of its own, POST only,
whose Django form parses the input before a service is called; bad input is
a message and nothing changes.
"""

from collections.abc import Callable
from functools import partial, wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


def post_by_member(view):
    """POST only (else 405), by someone logged in: else to the login page,
    and back afterwards to the page acted on (the view's first argument
    after the request, if it is a page) or to this URL."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            page = args[0] if args and hasattr(args[0], "get_url") else None
            back = page.get_url(request) if page else request.get_full_path()
            return redirect_to_login(back)
        return view(request, *args, **kwargs)

    return guarded


def redirect_back(request, default: str):
    """To the page the form said to return to (its `next` field) when that is
    a path of this site, else to `default`: an action started from /me/ goes
    back to /me/, and nobody is sent elsewhere by a crafted form."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return redirect(target)
    return redirect(default)


def run_action(
    request,
    form_class: type[forms.Form],
    act: Callable[[dict], None],
    *,
    refusals: tuple[type[Exception], ...] = (),
    incomplete: str | None = None,
) -> bool:
    """Parse the POST with `form_class` and, if it is valid, `act` on its
    cleaned data. Invalid input (as `incomplete`, or each error) and a
    service's refusal (`refusals`: their `message`) become messages, and
    nothing is changed. Whether it was done."""
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        if incomplete is not None:
            messages.error(request, incomplete)
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return False
    try:
        act(form.cleaned_data)
    except refusals as error:
        messages.error(request, getattr(error, "message", str(error)))
        return False
    return True


def form_action(
    form_class: type[forms.Form],
    *,
    load: Callable,
    back: Callable[[object], str],
    refusals: tuple[type[Exception], ...],
    incomplete: str | None = None,
):
    """Make `act(request, target, cleaned_data)` an organiser's action view
    on `target`: POST only; `load(request, pk)` finds the target (and may
    refuse the user); bad input (`incomplete`, or a generic message) or a
    refusal is one message and nothing is changed; then to `back(target)`."""

    def decorate(act):
        @require_POST
        @wraps(act)
        def view(request, pk: int):
            target = load(request, pk)
            run_action(
                request,
                form_class,
                partial(act, request, target),
                refusals=refusals,
                incomplete=incomplete
                or _("The form was incomplete; nothing was changed."),
            )
            return redirect(back(target))

        return view

    return decorate


class IdsField(forms.Field):
    """A list of row ids posted under one name (checkboxes of a table)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": forms.IntegerField.default_error_messages["invalid"]
    }

    def to_python(self, value) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from error
