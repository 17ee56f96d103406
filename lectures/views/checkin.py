"""Check-in for trainees (`checkin/`) and the organiser's screen (`checkin/screen/`)."""

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone

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
    return TemplateResponse(
        request,
        "lectures/checkin.html",
        {"page": session, "attendance": attendance},
    )


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
