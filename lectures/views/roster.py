"""The roster in the Wagtail admin: mark attendance, add walk-ins, print the sheet."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from wagtail.admin import messages

from lectures.models import AttendanceStatus, SessionPage
from lectures.rules import may_organise
from lectures.services import roster as service
from training_site.actions import IdsField, form_action
from training_site.tabular import ImportFileError


def _session_for(request, pk: int) -> SessionPage:
    session = get_object_or_404(SessionPage, pk=pk)
    if not may_organise(request.user, session):
        raise PermissionDenied
    return session


@require_safe
def roster_view(request, pk: int):
    """The roster page; its actions are views of their own, each at its URL."""
    session = _session_for(request, pk)
    query = request.GET.get("q", "")[:50]
    find = request.GET.get("find", "")[:50]
    rows = service.roster(session)
    return TemplateResponse(
        request,
        "lectures/admin/roster.html",
        {
            "session": session,
            "rows": service.matching(rows, find),
            "find": find,
            "total": len(rows),
            "statuses": AttendanceStatus.choices,
            "query": query,
            "candidates": service.find_trainees(query),
            "others": service.others_count(session),
            "max_others": service.MAX_OTHERS,
            "summary": [
                (label, sum(1 for row in rows if row.status == value))
                for value, label in AttendanceStatus.choices
            ],
        },
    )


class UserForm(forms.Form):
    user = forms.IntegerField(min_value=1)


class MarkForm(UserForm):
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    reason = forms.CharField(required=False)


class TextsField(forms.Field):
    """Strings posted under one name, one per row of the table."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        return [str(item)[:200] for item in value or []]


class MarkManyForm(forms.Form):
    """The roster table as one form: each row's user, status and reason, in
    order; and, to mark the ticked rows alike, `picked` and `set_status`."""

    user = IdsField()
    status = TextsField(required=False)
    reason = TextsField(required=False)
    picked = IdsField(required=False)
    set_status = forms.ChoiceField(
        choices=[("", ""), *AttendanceStatus.choices], required=False
    )

    def clean(self):
        data = super().clean()
        users = data.get("user") or []
        statuses, reasons = data.get("status") or [], data.get("reason") or []
        if not (len(users) == len(statuses) == len(reasons)):
            raise forms.ValidationError(
                _("The form was incomplete; nothing was changed.")
            )
        marks = dict(zip(users, zip(statuses, reasons, strict=True), strict=True))
        if data.get("set_status"):
            for user_id in data.get("picked") or []:
                if user_id in marks:
                    marks[user_id] = (data["set_status"], marks[user_id][1])
        data["marks"] = marks
        return data


class BulkForm(forms.Form):
    lines = forms.CharField(required=False, max_length=200_000, strip=False)
    sheet = forms.FileField(required=False)


class OthersForm(forms.Form):
    count = forms.IntegerField(min_value=0, max_value=service.MAX_OTHERS)


def _roster_action(form_class, incomplete: str | None = None):
    """An organiser's action on the roster; back to the roster."""
    return form_action(
        form_class,
        load=_session_for,
        back=lambda session: reverse("lectures_roster", args=[session.pk]),
        refusals=(service.RosterError, ImportFileError),
        incomplete=incomplete,
    )


@_roster_action(MarkForm)
def mark(request, session, data):
    service.mark(
        session, data["user"], data["status"], reason=data["reason"], by=request.user
    )
    messages.success(request, _("Attendance saved."))


@_roster_action(MarkManyForm)
def mark_many(request, session, data):
    count = service.mark_many(session, data["marks"], by=request.user)
    messages.success(request, _("Attendance saved: %(n)d changed.") % {"n": count})


@_roster_action(UserForm)
def walk_in(request, session, data):
    service.add_walk_in(session, data["user"], by=request.user)
    messages.success(request, _("Walk-in added."))


@_roster_action(BulkForm)
def bulk(request, session, data):
    report = service.bulk_entry(
        session, by=request.user, text=data["lines"], upload=data["sheet"]
    )
    if report.errors:
        messages.error(
            request,
            _("Nothing marked: %(problems)s")
            % {
                "problems": "；".join(
                    _("line %(line)d: %(message)s") % {"line": line, "message": message}
                    for line, message in report.errors[:50]
                )
            },
        )
    else:
        messages.success(
            request, _("%(n)d trainees marked present.") % {"n": report.marked}
        )


@_roster_action(
    OthersForm,
    incomplete=gettext_lazy(
        "Enter the number of other attendees as a whole number from 0 to "
        "100,000; nothing was changed."
    ),
)
def others(request, session, data):
    service.record_others(session, data["count"], by=request.user)
    messages.success(
        request, _("Other attendees recorded: %(n)d.") % {"n": data["count"]}
    )


@_roster_action(forms.Form)
def close(request, session, data):
    count = service.close(session, by=request.user)
    messages.success(
        request, _("%(n)d registered trainees marked absent.") % {"n": count}
    )


def sheet_view(request, pk: int):
    session = _session_for(request, pk)
    response = HttpResponse(
        service.sign_in_sheet(session),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="sign-in-{session.pk}.xlsx"'
    )
    return response
