"""The kinds of notice of accounts and roles: someone appointed to a forum,
or removed from it. Registered by `PeopleConfig.ready`."""

from django.utils.translation import gettext_lazy as _

from training_site.notify.registry import Kind, register_kind

KINDS = [
    Kind(
        "people.appointed",
        _("Appointed to a forum"),
        _("Appointed: %(role)s of %(forum)s"),
        _("You have been appointed %(role)s of %(forum)s by %(by)s."),
        _("You have been appointed %(role)s of %(forum)s."),
    ),
    Kind(
        "people.removed",
        _("Removed from a forum"),
        _("No longer %(role)s of %(forum)s"),
        _("%(by)s has removed you as %(role)s of %(forum)s."),
        _("You are no longer %(role)s of %(forum)s."),
    ),
]


def register() -> None:
    for kind in KINDS:
        register_kind(kind)
