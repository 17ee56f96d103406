"""Register and cancel: parse, call the service, say what happened."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from lectures.models import RegistrationStatus
from lectures.services import registration as service


def _guard(request, session):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(session.get_url(request))
    return None


def register(request, session):
    if refusal := _guard(request, session):
        return refusal
    try:
        registration = service.register(session, request.user)
    except service.RegistrationError as error:
        messages.error(request, error.message)
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("You are registered. See you there."))
        else:
            messages.info(
                request,
                _("The session is full; you are number %(n)d on the waiting list.")
                % {"n": service.waiting_position(registration)},
            )
    return redirect(session.get_url(request))


def cancel(request, session):
    if refusal := _guard(request, session):
        return refusal
    try:
        service.cancel(session, request.user)
    except service.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(session.get_url(request))
