"""A trainee asks for leave from one lesson of his class."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.services import leave as service
from training_site.actions import post_by_member, run_action


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=service.MAX_REASON, strip=True
    )


@post_by_member
def request_leave(request, class_page, lesson_id):
    def ask(data):
        lesson = service.lesson_of(class_page, lesson_id)
        service.request_leave(class_page, lesson, request.user, data["reason"])
        messages.success(
            request, _("Your leave request is sent to the class's organisers.")
        )

    run_action(request, LeaveForm, ask, refusals=(service.LeaveError,))
    return redirect(class_page.get_url(request))
