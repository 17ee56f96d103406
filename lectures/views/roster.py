"""The roster in the Wagtail admin: mark attendance, add walk-ins, print the sheet."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from lectures.models import AttendanceStatus, SessionPage
from lectures.rules import may_organise
from lectures.services import roster as service
from training_site.tabular import ImportFileError


def _session_for(request, pk: int) -> SessionPage:
    session = get_object_or_404(SessionPage, pk=pk)
    if not may_organise(request.user, session):
        raise PermissionDenied
    return session


def roster_view(request, pk: int):
    session = _session_for(request, pk)
    if request.method == "POST":
        return _act(request, session)
    query = request.GET.get("q", "")[:50]
    rows = service.roster(session)
    return TemplateResponse(
        request,
        "lectures/admin/roster.html",
        {
            "session": session,
            "rows": rows,
            "statuses": AttendanceStatus.choices,
            "query": query,
            "candidates": service.find_trainees(query),
            "summary": [
                (label, sum(1 for row in rows if row.status == value))
                for value, label in AttendanceStatus.choices
            ],
        },
    )


def _act(request, session):
    action = request.POST.get("action")
    try:
        user_id = int(request.POST.get("user", "0") or 0)
    except ValueError:
        user_id = 0
    try:
        if action == "mark" and user_id:
            service.mark(
                session,
                user_id,
                request.POST.get("status", ""),
                reason=request.POST.get("reason", ""),
                by=request.user,
            )
            messages.success(request, _("Attendance saved."))
        elif action == "walk_in" and user_id:
            service.add_walk_in(session, user_id, by=request.user)
            messages.success(request, _("Walk-in added."))
        elif action == "bulk":
            report = service.bulk_entry(
                session,
                by=request.user,
                text=request.POST.get("lines", "")[:200_000],
                upload=request.FILES.get("sheet"),
            )
            if report.errors:
                messages.error(
                    request,
                    _("Nothing marked: %(problems)s")
                    % {
                        "problems": "；".join(
                            _("line %(line)d: %(message)s")
                            % {"line": line, "message": message}
                            for line, message in report.errors[:50]
                        )
                    },
                )
            else:
                messages.success(
                    request, _("%(n)d trainees marked present.") % {"n": report.marked}
                )
        elif action == "close":
            count = service.close(session, by=request.user)
            messages.success(
                request, _("%(n)d registered trainees marked absent.") % {"n": count}
            )
        else:
            messages.error(request, _("Nothing to do."))
    except service.RosterError as error:
        messages.error(request, error.message)
    except ImportFileError as error:
        messages.error(request, str(error))
    return redirect("lectures_roster", pk=session.pk)


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
