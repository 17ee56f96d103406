"""`/me/`: the trainee's own page, and his calendar behind a signed link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from lectures.events import session_calendar
from lectures.models import ParticipationSettings
from lectures.services import trainee_page
from training_site.actions import post_by_member
from training_site.ical import calendar_response


@login_required
def me(request):
    settings = ParticipationSettings.for_request(request)
    context = trainee_page.overview(
        request.user, evaluation_days=settings.evaluation_window_days
    )
    context["profile"], token = trainee_page.heading(request.user)
    context["calendar_url"] = request.build_absolute_uri(
        reverse("lectures:my_calendar", args=[token])
    )
    context["webcal_url"] = "webcal://" + context["calendar_url"].split("://", 1)[1]
    # Other parts (study hours, training classes) add their own sections to this page.
    context["panels"] = [
        panel(request) for panel in hooks.get_hooks("trainee_page_panels")
    ]
    return render(request, "lectures/me.html", context)


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
