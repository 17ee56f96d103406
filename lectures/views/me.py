"""`/me/`: the trainee's own page, and his calendar behind a signed link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from lectures.events import session_calendar
from lectures.models import ParticipationSettings
from lectures.services import trainee_page
from training_site.actions import post_by_member
from training_site.ical import calendar_response
from training_site.personal_pages import changes_at, keeping, personal_page


@login_required
def me(request):
    # His page, header and all, is kept until his rows, a session or the
    # clock change it (training_site/personal_pages.py).
    return personal_page(
        request,
        "me",
        lambda: render_to_string("lectures/me.html", {"body": _body(request)}, request),
    )


def _body(request) -> str:
    settings = ParticipationSettings.for_request(request)
    context = trainee_page.overview(
        request.user, evaluation_days=settings.evaluation_window_days
    )
    moments = context.pop("changes_at")
    if keeping(request):
        changes_at(
            request,
            *moments,
            *trainee_page.evaluation_moments(
                request.user, settings.evaluation_window_days, timezone.now()
            ),
        )
    context["profile"], token = trainee_page.heading(request.user)
    context["calendar_path"] = reverse("lectures:my_calendar", args=[token])
    # Other parts (study hours, training classes) add their own sections to
    # this page; whatever of theirs follows the clock says so (`changes_at`).
    context["panels"] = [
        panel(request) for panel in hooks.get_hooks("trainee_page_panels")
    ]
    return render_to_string("lectures/includes/me_body.html", context, request)


@post_by_member
def reset_calendar(request):
    trainee_page.reset_calendar(request.user)
    messages.success(
        request, _("Your calendar link has been reset; the old one no longer works.")
    )
    return redirect("lectures:me")


def my_calendar(request, token: str):
    user = trainee_page.user_for_calendar_token(token)
    if user is None:
        raise Http404
    sessions = trainee_page.calendar_sessions(user)
    body = session_calendar(sessions, _("My cadre lectures"), request)
    response = calendar_response(body, "my-lectures.ics")
    response["Cache-Control"] = "private, no-store"
    return response
