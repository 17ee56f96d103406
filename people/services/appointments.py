"""Appointing a forum's administrators and lecturers, and removing them.

The forum's two groups (`lectures.services.groups`) stay the mechanism
underneath: an administrator is a member of the administrators' group; a
lecturer has a `Lecturer` profile naming the forum, whose signal puts his
login in the lecturers' group. Every appointment and removal is logged on
the forum (who, whom, when) and the person is told.
"""

from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from lectures.models import ForumPage, Lecturer
from people.rules import (
    can_appoint,
    can_edit_lecturer,
    can_manage_user,
    can_remove,
    may_appoint,
)
from people.services.errors import PeopleError
from training_site.notify.service import notify


class Role(TextChoices):
    ADMINISTRATOR = "administrator", gettext_lazy("Administrator")
    LECTURER = "lecturer", gettext_lazy("Lecturer")


def display_name(user) -> str:
    profile = getattr(user, "trainee", None)
    return profile.real_name if profile else (user.get_full_name() or user.username)


def _log(forum, action, actor, user, role) -> None:
    log(
        instance=forum,
        action=action,
        user=actor,
        data={
            "user_id": user.pk,
            "username": user.get_username(),
            "name": display_name(user),
            "role": str(role),
        },
    )


def _context(forum: ForumPage, role: str, by) -> dict:
    name = getattr(getattr(by, "trainee", None), "real_name", "") if by else ""
    return {
        "forum": forum.title,
        "role": str(Role(role).label),
        "by": name or (by.get_username() if by else ""),
    }


def tell_appointed(user, forum: ForumPage, role: str, by) -> None:
    """The appointed person is told (his inbox, SMS, email), and it is kept
    in his account's history."""
    notify([user], "people.appointed", _context(forum, role, by))
    log(
        instance=user,
        action="people.told.appointed",
        user=by,
        data={"forum": forum.title, "role": str(Role(role).label)},
    )


def tell_removed(user, forum: ForumPage, role: str, by) -> None:
    """The removed person is told, and it is kept in his account's history."""
    notify([user], "people.removed", _context(forum, role, by))
    log(
        instance=user,
        action="people.told.removed",
        user=by,
        data={"forum": forum.title, "role": str(Role(role).label)},
    )


def is_administrator(forum: ForumPage, user) -> bool:
    return user.groups.filter(pk=forum.admin_group_id).exists()


def lectures_at(forum: ForumPage, user) -> bool:
    return Lecturer.objects.filter(user=user, forums=forum).exists()


@transaction.atomic
def appoint(actor, forum: ForumPage, user, role: str) -> None:
    """Make `user` an administrator or a lecturer of `forum`."""
    if not can_appoint(actor, forum, user):
        raise PeopleError(
            "outside",
            _("You may appoint only accounts of your subtree, in your forums."),
        )
    if not user.is_active:
        raise PeopleError("inactive", _("This account is deactivated."))
    if role == Role.ADMINISTRATOR:
        if is_administrator(forum, user):
            raise PeopleError("already", _("Already an administrator of this forum."))
        user.groups.add(forum.admin_group_id)
    elif role == Role.LECTURER:
        if lectures_at(forum, user):
            raise PeopleError("already", _("Already a lecturer of this forum."))
        lecturer = Lecturer.objects.filter(user=user).first()
        if lecturer is None:
            profile = getattr(user, "trainee", None)
            lecturer = Lecturer.objects.create(
                name=display_name(user),
                unit=profile.unit_display if profile else "",
                user=user,
            )
        lecturer.forums.add(forum)
    else:
        raise PeopleError("role", _("Unknown role."))
    _log(forum, "people.appointed", actor, user, role)
    tell_appointed(user, forum, role, actor)


@transaction.atomic
def remove(actor, forum: ForumPage, user, role: str) -> None:
    """Take `user` off the forum's administrators or lecturers."""
    if not can_remove(actor, forum, user):
        raise PeopleError("refused", _("You cannot remove this person here."))
    if role == Role.ADMINISTRATOR:
        if not is_administrator(forum, user):
            raise PeopleError("not_there", _("Not an administrator of this forum."))
        user.groups.remove(forum.admin_group_id)
    elif role == Role.LECTURER:
        lecturer = Lecturer.objects.filter(user=user, forums=forum).first()
        if lecturer is None:
            raise PeopleError("not_there", _("Not a lecturer of this forum."))
        lecturer.forums.remove(forum)
    else:
        raise PeopleError("role", _("Unknown role."))
    _log(forum, "people.removed", actor, user, role)
    tell_removed(user, forum, role, actor)


@transaction.atomic
def add_lecturer(actor, forum: ForumPage, *, name: str, title: str, unit: str):
    """A lecturer without an account yet (a visiting expert), for this forum."""
    if not may_appoint(actor, forum):
        raise PeopleError("refused", _("You do not administer this forum."))
    lecturer = Lecturer.objects.create(name=name, title=title, unit=unit)
    lecturer.forums.add(forum)
    log(instance=forum, action="people.lecturer_added", user=actor, data={"name": name})
    return lecturer


@transaction.atomic
def attach_lecturer(actor, lecturer: Lecturer, user) -> None:
    """Tie a lecturer's public profile to a login: he may then draft sessions
    in his forums and edit his own profile."""
    if not (can_edit_lecturer(actor, lecturer) and can_manage_user(actor, user)):
        raise PeopleError(
            "outside", _("You may attach only your lecturers to your accounts.")
        )
    if lecturer.user_id is not None:
        raise PeopleError("attached", _("This lecturer already has an account."))
    if Lecturer.objects.filter(user=user).exists():
        raise PeopleError("taken", _("This account is already another lecturer's."))
    lecturer.user = user
    lecturer.save()
    for forum in lecturer.forums.all():
        _log(forum, "people.appointed", actor, user, Role.LECTURER)
        tell_appointed(user, forum, Role.LECTURER, actor)
