"""Organisers' pages for a class in the Wagtail admin.

One page per class with four tabs — enrolment, leave, test results and
completion — each a thin layer over `courses.services`. Only the class's
organisers (administrators of the subtree it sits in) get in.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from wagtail.admin import messages

from courses.exports import TABLES
from courses.models import (
    ClassPage,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
)
from courses.rules import classes_for, may_organise
from courses.services import assessment, completion, leave
from courses.services import enrolment as enrolment_service
from courses.services.roster_import import RosterImportError, read_lines, resolve
from lectures.services.errors import ServiceError
from training_site.actions import IdsField, form_action
from training_site.spreadsheets import sheet_response

TABS = (
    ("enrolment", gettext_lazy("Enrolment")),
    ("leave", gettext_lazy("Leave")),
    ("results", gettext_lazy("Test results")),
    ("completion", gettext_lazy("Completion")),
)


def _class_for(request, pk: int) -> ClassPage:
    class_page = get_object_or_404(ClassPage, pk=pk)
    if not may_organise(request.user, class_page):
        raise PermissionDenied
    return class_page


class AssignForm(forms.Form):
    usernames = forms.CharField(
        label=gettext_lazy("Usernames or mobile numbers, one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    file = forms.FileField(
        label=gettext_lazy("…or a roster file (.xlsx or .csv, first column)"),
        required=False,
    )


def class_list(request):
    classes = classes_for(request.user).order_by("-start_date")[:200]
    return TemplateResponse(
        request, "courses/admin/class_list.html", {"classes": classes}
    )


@require_safe
def manage(request, pk: int, tab: str = "enrolment"):
    """A class's tab; its actions are views of their own, each at its URL."""
    class_page = _class_for(request, pk)
    if tab not in dict(TABS):
        tab = "enrolment"
    export = request.GET.get("export")
    table = request.GET.get("table", tab)
    if export and table in TABLES:
        return _export(class_page, table, export)
    context = {
        "class_page": class_page,
        "tab": tab,
        "tabs": TABS,
        "assign_form": AssignForm(),
    }
    context.update(TAB_CONTEXT[tab](class_page))
    return TemplateResponse(request, "courses/admin/manage.html", context)


def _enrolment_context(class_page):
    rows = list(
        Enrolment.objects.filter(class_page=class_page)
        .select_related("user", "user__trainee")
        .order_by("status", "queued_at", "requested_at", "pk")
    )
    return {
        "pending": [e for e in rows if e.status == EnrolmentStatus.PENDING],
        "waiting": [e for e in rows if e.status == EnrolmentStatus.WAITING],
        "enrolled": [e for e in rows if e.status == EnrolmentStatus.ENROLLED],
        "others": [
            e
            for e in rows
            if e.status in (EnrolmentStatus.REJECTED, EnrolmentStatus.WITHDRAWN)
        ],
        "seats": enrolment_service.seats(class_page),
    }


def _leave_context(class_page):
    requests = list(
        LeaveRequest.objects.filter(class_page=class_page)
        .select_related("lesson", "user", "user__trainee")
        .order_by("status", "lesson__start", "pk")
    )
    for request in requests:
        request.can_decide = leave.may_decide(request)
    return {"leave_requests": requests}


def _results_context(class_page):
    assessment.close_expired(class_page)
    return {
        "summary": assessment.summary(class_page),
        "standings": completion.progress(class_page),
    }


def _completion_context(class_page):
    return {"standings": completion.progress(class_page)}


TAB_CONTEXT = {
    "enrolment": _enrolment_context,
    "leave": _leave_context,
    "results": _results_context,
    "completion": _completion_context,
}


class EnrolmentForm(forms.Form):
    enrolment = forms.IntegerField()
    reason = forms.CharField(required=False)


class LeaveDecisionForm(forms.Form):
    leave = forms.IntegerField()
    response = forms.CharField(required=False)


class ConfirmForm(forms.Form):
    user = IdsField(required=False)


def _class_action(form_class, tab: str):
    """An organiser's action on a class; back to `tab`."""
    return form_action(
        form_class,
        load=_class_for,
        back=lambda class_page: reverse("courses_manage", args=[class_page.pk, tab]),
        refusals=(ServiceError, RosterImportError),
    )


@_class_action(EnrolmentForm, "enrolment")
def approve(request, class_page, data):
    enrolment_service.approve(class_page, data["enrolment"], by=request.user)
    messages.success(request, _("Application approved."))


@_class_action(EnrolmentForm, "enrolment")
def reject(request, class_page, data):
    enrolment_service.reject(
        class_page, data["enrolment"], by=request.user, reason=data["reason"]
    )
    messages.success(request, _("Application rejected; the trainee is told."))


@_class_action(AssignForm, "enrolment")
def assign(request, class_page, data):
    lines = read_lines(data["usernames"], data["file"])
    if not lines:
        raise RosterImportError(_("Name at least one trainee."))
    done = enrolment_service.assign(class_page, resolve(lines), by=request.user)
    messages.success(
        request, _("%(n)d trainee(s) assigned to the class.") % {"n": len(done)}
    )


def _decide_leave(approve: bool):
    def decide(request, class_page, data):
        leave.decide(
            class_page,
            data["leave"],
            approve=approve,
            by=request.user,
            response=data["response"],
        )
        messages.success(request, _("Leave request decided."))

    return _class_action(LeaveDecisionForm, "leave")(decide)


approve_leave = _decide_leave(True)
refuse_leave = _decide_leave(False)


@_class_action(ConfirmForm, "completion")
def confirm(request, class_page, data):
    issued = completion.confirm(class_page, data["user"], by=request.user)
    messages.success(
        request,
        _("Completion confirmed; %(n)d certificate(s) issued.") % {"n": len(issued)},
    )


def _export(class_page, name: str, fmt: str):
    return sheet_response(
        TABLES[name](class_page), f"class-{class_page.pk}-{name}", fmt
    )
