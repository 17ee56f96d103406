"""Register and cancel: parse, call the service, say what happened."""

from django.contrib import messages
from django.utils.translation import gettext as _

from lectures.models import RegistrationStatus
from lectures.services import registration as service
from training_site.actions import post_by_member, redirect_back


@post_by_member
def register(request, session):
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
    return redirect_back(request, session.get_url(request))


@post_by_member
def cancel(request, session):
    try:
        service.cancel(session, request.user)
    except service.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect_back(request, session.get_url(request))
