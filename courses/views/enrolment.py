"""Enrol in and withdraw from a class: parse, call the service, say what happened."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import EnrolmentStatus
from courses.services import enrolment as service


def guard(request, page):
    """POST only, and logged in (else back here after logging in)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.get_url(request))
    return None


_SAID = {
    EnrolmentStatus.ENROLLED: gettext_lazy(
        "You are enrolled. Your lessons are in your calendar."
    ),
    EnrolmentStatus.PENDING: gettext_lazy(
        "Your application is sent; the organisers will decide and tell you."
    ),
    EnrolmentStatus.WAITING: gettext_lazy(
        "The class is full; you are on its waiting list."
    ),
}


def enrol(request, class_page):
    if refusal := guard(request, class_page):
        return refusal
    try:
        enrolment = service.enrol(class_page, request.user)
    except service.EnrolmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _SAID[enrolment.status])
    return redirect(class_page.get_url(request))


def withdraw(request, class_page):
    if refusal := guard(request, class_page):
        return refusal
    try:
        service.withdraw(class_page, request.user)
    except service.EnrolmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have withdrawn from the class."))
    return redirect(class_page.get_url(request))
