"""Check-in for trainees (`checkin/`) and the organiser's screen (`checkin/screen/`)."""

from uuid import uuid4

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lectures.models import Attendance, CheckInMethod, Registration
from lectures.rules import may_organise
from lectures.services import checkin as service

GRANT_KEY = "checkin_grant"
GRANT_SECONDS = 10 * 60


def trainee_checkin(request, session):
    """Scan (GET with ?t=) or type the code (POST); always as the logged-in user."""
    token = request.GET.get("t")
    if token and not request.user.is_authenticated:
        # Logging in takes longer than a token lives: remember that this
        # browser showed a valid token, for a few minutes, in its own session.
        try:
            service.verify_token(session, token)
        except service.CheckInError as error:
            messages.error(request, error.message)
        else:
            request.session[GRANT_KEY] = {
                "session": session.pk,
                "token": token,
                "until": timezone.now().timestamp() + GRANT_SECONDS,
            }
        return redirect_to_login(session.get_url(request) + "checkin/")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())

    attendance = None
    grant = request.session.pop(GRANT_KEY, None)
    try:
        if token:
            attendance = service.check_in(
                session, request.user, method=CheckInMethod.QR, token=token
            )
        elif grant and _grant_is_good(grant, session):
            attendance = _check_in_with_grant(session, request.user)
        elif request.method == "POST":
            attendance = service.check_in(
                session,
                request.user,
                method=CheckInMethod.CODE,
                code=request.POST.get("code", "")[:20],
            )
    except service.CheckInError as error:
        messages.error(request, error.message)
    if attendance is None:
        attendance = Attendance.objects.filter(
            session=session, user=request.user
        ).first()
    return HttpResponse(_checkin_page(request, session, attendance))


#: The check-in page's frames kept by this process (see _checkin_page).
_FRAMES: dict[tuple, tuple[str, str, str]] = {}
#: Where the trainee's own parts go in a frame.
_SLOTS = (f"<!--messages-{uuid4().hex}-->", f"<!--result-{uuid4().hex}-->")


def _checkin_page(request, session, attendance) -> str:
    """The check-in page: its frame (the same for everyone at this session,
    kept per process) around the trainee's messages and result. Rendering
    the whole page was a sixth of a check-in's CPU."""
    # Keyed by what it shows (and the language, time zone and host it is
    # shown in), so an edited session renders a new one.
    key = (
        get_language(),
        timezone.get_current_timezone_name(),
        request.get_host(),
        session.pk,
        session.url_path,
        session.title,
        session.start,
        session.venue,
    )
    frame = _FRAMES.get(key)
    if frame is None:
        if len(_FRAMES) >= 256:
            _FRAMES.clear()
        frame = _FRAMES[key] = _frame(session, session.get_url(request))
    head, middle, tail = frame
    messages_html = ""
    if len(messages.get_messages(request)):
        messages_html = render_to_string(
            "lectures/checkin_messages.html", request=request
        )
    return f"{head}{messages_html}{middle}{_result(request, attendance)}{tail}"


def _result(request, attendance) -> str:
    """His check-in (in a rush, nearly always done): one translated line,
    written here — the template's `blocktrans` cost as much as the rest of
    the page; the form (no check-in yet) from its template."""
    if attendance is not None and attendance.checked_in_at:
        line = _("Checked in at %(when)s (%(status)s).") % {
            "when": escape(date_format(localtime(attendance.checked_in_at), "H:i")),
            "status": escape(attendance.get_status_display()),
        }
        return f'    <p class="done" role="status">✓ {line}</p>\n'
    return render_to_string("lectures/checkin_form.html", {}, request)


def _frame(session, page_url: str) -> tuple[str, str, str]:
    """The frame, split at its slots."""
    html = render_to_string(
        "lectures/checkin.html",
        {
            "title": session.title,
            "start": session.start,
            "venue": session.venue,
            "page_url": page_url,
            "messages_slot": mark_safe(_SLOTS[0]),
            "result_slot": mark_safe(_SLOTS[1]),
        },
    )
    head, rest = html.split(_SLOTS[0])
    middle, tail = rest.split(_SLOTS[1])
    return head, middle, tail


def _grant_is_good(grant: dict, session) -> bool:
    return (
        grant.get("session") == session.pk
        and grant.get("until", 0) > timezone.now().timestamp()
    )


def _check_in_with_grant(session, user):
    # The token was verified before login; check the window and rules again
    # with a fresh token of our own, so the same service decides everything.
    fresh = service.current_credentials(session).token
    return service.check_in(session, user, method=CheckInMethod.QR, token=fresh)


def _status(request, session) -> dict:
    credentials = service.current_credentials(session)
    url = request.build_absolute_uri(
        session.get_url(request) + f"checkin/?t={credentials.token}"
    )
    return {
        "qr": segno.make(url, error="m").svg_data_uri(scale=6, border=2),
        "code": credentials.code,
        "rotates_in": credentials.rotates_in,
        "checked_in": Attendance.objects.filter(session=session)
        .exclude(checked_in_at=None)
        .count(),
        "registered": Registration.objects.filter(session=session).confirmed().count(),
    }


def screen(request, session):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_organise(request.user, session):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "lectures/checkin_screen.html",
        {
            "page": session,
            "status": _status(request, session),
            "status_url": session.get_url(request) + "checkin/status/",
        },
    )


def screen_status(request, session):
    if not may_organise(request.user, session):
        raise PermissionDenied
    response = JsonResponse(_status(request, session))
    response["Cache-Control"] = "no-store"
    return response
