"""The lecture network's kinds of notice, and what the notification service
needs to know about its people: their mobiles, and who administers whom.

Registered by `LecturesConfig.ready`; services call
`notify(users, "lectures.…", context)` by name.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lectures.models import ForumLevel, ForumPage, TraineeProfile
from lectures.models.tree import below_any
from lectures.rules import administered_paths
from training_site.notify.models import Channel
from training_site.notify.registry import (
    Kind,
    register_kind,
    register_mobiles,
    register_recipient_scope,
)

IN_APP_AND_EMAIL = (Channel.EMAIL,)

KINDS = [
    Kind(
        "lectures.registration.confirmed",
        _("Registration confirmed"),
        _("Registered: %(title)s"),
        _("Your seat is confirmed.\n%(title)s\n%(when)s, %(venue)s"),
        channels=IN_APP_AND_EMAIL,
    ),
    Kind(
        "lectures.registration.waiting",
        _("Put on the waiting list"),
        _("On the waiting list: %(title)s"),
        _(
            "The session is full; you are number %(position)s on the waiting "
            "list and will be told if a seat becomes free.\n%(title)s\n"
            "%(when)s, %(venue)s"
        ),
        channels=IN_APP_AND_EMAIL,
    ),
    Kind(
        "lectures.registration.promoted",
        _("Promoted from the waiting list"),
        _("A seat is yours: %(title)s"),
        _(
            "A seat has become free and you have moved up from the waiting list.\n"
            "%(title)s\n%(when)s, %(venue)s"
        ),
        _("A seat is yours: %(title)s, %(when)s, %(venue)s."),
    ),
    Kind(
        "lectures.session.cancelled",
        _("Session cancelled"),
        _("Cancelled: %(title)s"),
        _(
            "The session you registered for is cancelled.\n"
            "%(title)s\n%(when)s, %(venue)s"
        ),
        _("Cancelled: %(title)s (%(when)s, %(venue)s)."),
    ),
    Kind(
        "lectures.session.postponed",
        _("Session postponed"),
        _("Postponed: %(title)s"),
        _(
            "The session you registered for is postponed; a new date will be "
            "announced.\n%(title)s\nwas %(when)s, %(venue)s"
        ),
        _("Postponed: %(title)s (was %(when)s); a new date will follow."),
    ),
    Kind(
        "lectures.session.changed",
        _("Session time or venue changed"),
        _("Changed: %(title)s"),
        _(
            "The session you registered for has changed.\n%(title)s\n"
            "now %(when)s, %(venue)s\n(before: %(was_when)s, %(was_venue)s)"
        ),
        _("Changed: %(title)s is now %(when)s, %(venue)s."),
    ),
    Kind(
        "lectures.reminder",
        _("Reminder the day before"),
        _("Reminder: %(title)s tomorrow"),
        _("%(title)s\n%(when)s, %(venue)s\nPlease arrive on time to check in."),
        _("Reminder: %(title)s, %(when)s, %(venue)s. Please arrive on time."),
    ),
    Kind(
        "lectures.evaluation.waiting",
        _("Evaluation waiting"),
        _("Please evaluate: %(title)s"),
        _(
            "Thank you for attending %(title)s (%(when)s). Your anonymous "
            "evaluation helps the lecturers; it is open until %(until)s."
        ),
        channels=IN_APP_AND_EMAIL,
    ),
    Kind(
        "lectures.approval.requested",
        _("Approval requested"),
        _("To approve: %(title)s"),
        _("%(submitter)s submitted %(title)s for approval (%(forum)s)."),
        channels=IN_APP_AND_EMAIL,
    ),
    Kind(
        "lectures.approval.approved",
        _("Approved"),
        _("Approved: %(title)s"),
        _("%(title)s was approved by %(by)s and is published. %(comment)s"),
        channels=IN_APP_AND_EMAIL,
    ),
    Kind(
        "lectures.approval.rejected",
        _("Changes requested"),
        _("Not approved: %(title)s"),
        _("%(by)s asked for changes to %(title)s: %(comment)s"),
        channels=IN_APP_AND_EMAIL,
    ),
]


def session_context(session) -> dict:
    """What every session notice names, in the site's time zone."""
    return {
        "title": session.title,
        "when": timezone.localtime(session.start).strftime("%Y-%m-%d %H:%M"),
        "venue": session.venue,
    }


def administered_people(user):
    """Whose deliveries an administrator sees: trainees of the units in his
    subtrees (None — everyone — for the district, whose subtree is all)."""
    paths = administered_paths(user)
    if not paths:
        return get_user_model().objects.none()
    if ForumPage.objects.filter(path__in=paths, level=ForumLevel.DISTRICT).exists():
        return None
    return get_user_model().objects.filter(
        below_any(paths, "trainee__unit_forum__path")
    )


def register() -> None:
    for kind in KINDS:
        register_kind(kind)
    register_mobiles(TraineeProfile)
    register_recipient_scope(administered_people)
