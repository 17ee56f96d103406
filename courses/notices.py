"""The training classes' kinds of notice (registered by CoursesConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from training_site.notify.registry import Kind, register_kind

KINDS = [
    Kind(
        "courses.enrolment.enrolled",
        _("Class enrolment approved"),
        _("Enrolled: %(title)s"),
        _("You are enrolled in %(title)s (from %(start)s)."),
        _("You are enrolled in %(title)s, from %(start)s."),
    ),
    Kind(
        "courses.enrolment.waiting",
        _("Class enrolment on the waiting list"),
        _("Waiting list: %(title)s"),
        _("Your application to %(title)s is accepted; you are on the waiting list."),
        _("%(title)s: you are on the waiting list."),
    ),
    Kind(
        "courses.enrolment.rejected",
        _("Class enrolment rejected"),
        _("Not accepted: %(title)s"),
        _("Your application to %(title)s was not accepted: %(reason)s"),
        _("Your application to %(title)s was not accepted: %(reason)s"),
    ),
    Kind(
        "courses.enrolment.assigned",
        _("Assigned to a class (调训)"),
        _("Assigned to %(title)s"),
        _("You have been assigned to the training class %(title)s (from %(start)s)."),
        _("You are assigned to %(title)s, from %(start)s."),
    ),
    Kind(
        "courses.leave.approved",
        _("Leave approved"),
        _("Leave approved: %(lesson)s"),
        _("Your leave from %(lesson)s is approved."),
        _("Your leave from %(lesson)s is approved."),
    ),
    Kind(
        "courses.leave.refused",
        _("Leave refused"),
        _("Leave refused: %(lesson)s"),
        _("Your leave from %(lesson)s is refused. %(response)s"),
        _("Your leave from %(lesson)s is refused. %(response)s"),
    ),
]


def register() -> None:
    for kind in KINDS:
        register_kind(kind)
