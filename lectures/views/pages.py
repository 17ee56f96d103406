"""What the network's public pages show: the home page, a forum, a session.

Each builder is registered for its page type (`training_site.page_context`)
and called by the page's `get_context`; loaded by `LecturesConfig.ready`.
"""

from lectures.models import ForumPage, SessionPage, SessionStatus
from lectures.rules import may_organise
from lectures.services.overview import (
    annotate_listing,
    forum_overview,
    network_overview,
)
from lectures.services.registration import standing
from training_site.models import HomePage
from training_site.page_context import context_for


@context_for(HomePage)
def home_page_context(page, request) -> dict:
    context = network_overview()
    annotate_listing(context["upcoming"])
    return context


@context_for(ForumPage)
def forum_page_context(forum, request) -> dict:
    context = forum_overview(forum, request)
    annotate_listing(context["upcoming"])
    context["feed_url"] = forum.get_url(request) + "feed.ics"
    return context


@context_for(SessionPage)
def session_page_context(session, request) -> dict:
    url = session.get_url(request)
    context = {
        "lecturer_list": list(session.lecturers.all()),
        "materials": list(session.materials.select_related("document")),
        "photos": list(session.photos.select_related("image")),
        "event_url": url + "event.ics",
        "checkin_url": url + "checkin/",
        "registration_url": url + "register/",
        "cancel_url": url + "cancel/",
        "evaluation_url": url + "evaluate/"
        if session.has_ended and not session.is_cancelled
        else None,
    }
    context.update(registration_context(session, request))
    return context


def registration_context(session, request) -> dict:
    """The visitor's standing (the registration service decides what he may
    do), and whether he organises the session."""
    user = request.user
    mine, taken = standing(session, user)
    return {
        "organiser": user.is_authenticated and may_organise(user, session),
        "seats": taken,
        "standing": mine,
        "scheduled": session.status == SessionStatus.SCHEDULED,
    }
