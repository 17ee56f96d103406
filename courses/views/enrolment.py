"""Enrol in and withdraw from a class: parse, call the service, say what happened."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import EnrolmentStatus
from courses.services import enrolment as service
from training_site.actions import post_by_member

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


@post_by_member
def enrol(request, class_page):
    try:
        enrolment = service.enrol(class_page, request.user)
    except service.EnrolmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _SAID[enrolment.status])
    return redirect(class_page.get_url(request))


@post_by_member
def withdraw(request, class_page):
    try:
        service.withdraw(class_page, request.user)
    except service.EnrolmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have withdrawn from the class."))
    return redirect(class_page.get_url(request))
