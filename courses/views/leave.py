"""A trainee asks for leave from one lesson of his class."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.services import leave as service
from courses.views.enrolment import guard


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=service.MAX_REASON, strip=True
    )


def request_leave(request, class_page, lesson_id):
    if refusal := guard(request, class_page):
        return refusal
    form = LeaveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(class_page.get_url(request))
    try:
        lesson = service.lesson_of(class_page, lesson_id)
        service.request_leave(
            class_page, lesson, request.user, form.cleaned_data["reason"]
        )
    except service.LeaveError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your leave request is sent to the class's organisers.")
        )
    return redirect(class_page.get_url(request))
