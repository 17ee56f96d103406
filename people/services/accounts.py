"""Accounts: a login (Django's user) and the person behind it (the trainee
profile: name, mobile, unit, rank, position).

Administrators create and edit the accounts of their subtree
(`people.rules`); the person himself keeps his mobile and email on /me/. An
account with participation rows is never deleted, only deactivated.
"""

import re

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lectures.models import ForumPage, Rank, TraineeProfile
from people.rules import assignable_units, can_manage_user, manages_everyone
from people.services.errors import PeopleError

MOBILE = re.compile(r"^1\d{10}$")


def normalise_mobile(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def check_mobile(mobile: str, *, exclude_user=None) -> str:
    """The mobile, normalised; refused if malformed or someone else's."""
    mobile = normalise_mobile(mobile)
    if not MOBILE.match(mobile):
        raise PeopleError(
            "mobile_invalid",
            _("“%(mobile)s” is not an 11-digit mobile number.") % {"mobile": mobile},
        )
    holders = TraineeProfile.objects.filter(mobile=mobile)
    if exclude_user is not None:
        holders = holders.exclude(user=exclude_user)
    if holders.exists():
        raise PeopleError(
            "mobile_taken",
            _("The mobile %(mobile)s already belongs to another account.")
            % {"mobile": mobile},
        )
    User = get_user_model()
    others = User.objects.filter(username=mobile)
    if exclude_user is not None:
        others = others.exclude(pk=exclude_user.pk)
    if others.exists():
        raise PeopleError(
            "mobile_taken",
            _("The mobile %(mobile)s is another account's user name.")
            % {"mobile": mobile},
        )
    return mobile


def check_unit(actor, unit_forum: ForumPage | None) -> None:
    if unit_forum is None:
        if not manages_everyone(actor):
            raise PeopleError(
                "unit_required", _("Choose the unit (forum) the account belongs to.")
            )
        return
    if not assignable_units(actor).filter(pk=unit_forum.pk).exists():
        raise PeopleError(
            "unit_outside",
            _("%(unit)s is outside the forums you administer.")
            % {"unit": unit_forum.title},
        )


@transaction.atomic
def create_account(
    actor,
    *,
    real_name: str,
    mobile: str,
    unit_forum: ForumPage | None,
    unit_name: str = "",
    position: str = "",
    rank: Rank | None = None,
    email: str = "",
    username: str = "",
    initial_password: str = "",
):
    """A new account in the actor's subtree; its user name is the mobile
    unless one is given. With an initial password the person must set his
    own at first login; without one the administrator gives him a one-time
    set-password link (`people.services.passwords`)."""
    check_unit(actor, unit_forum)
    mobile = check_mobile(mobile)
    User = get_user_model()
    username = (username or mobile).strip()
    if User.objects.filter(username=username).exists():
        raise PeopleError(
            "username_taken",
            _("The user name %(name)s is taken.") % {"name": username},
        )
    user = User(username=username, email=email.strip(), first_name=real_name)
    if initial_password:
        user.set_password(initial_password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
            TraineeProfile.objects.create(
                user=user,
                real_name=real_name,
                mobile=mobile,
                unit_forum=unit_forum,
                unit_name=unit_name,
                position=position,
                rank=rank,
                must_change_password=bool(initial_password),
            )
    except IntegrityError as error:  # a concurrent twin took the mobile
        raise PeopleError(
            "mobile_taken", _("The mobile or user name was just taken.")
        ) from error
    log(instance=user, action="people.account.created", user=actor)
    return user


@transaction.atomic
def update_account(actor, profile: TraineeProfile, **values) -> TraineeProfile:
    """Change the person's facts (name, mobile, unit, rank, position, email,
    active); refused outside the actor's subtree."""
    if not can_manage_user(actor, profile.user):
        raise PeopleError("outside", _("This account is outside your subtree."))
    if "unit_forum" in values:
        check_unit(actor, values["unit_forum"])
    if "mobile" in values:
        values["mobile"] = check_mobile(values["mobile"], exclude_user=profile.user)
    user = profile.user
    for name in ("email", "is_active"):
        if name in values:
            setattr(user, name, values.pop(name))
    if "real_name" in values:
        user.first_name = values["real_name"]
    for name, value in values.items():
        setattr(profile, name, value)
    user.save()
    profile.save()
    log(instance=user, action="people.account.changed", user=actor)
    return profile


def set_active(actor, user, active: bool) -> None:
    """Deactivate (or reactivate) an account: it keeps its records."""
    if actor.pk == user.pk or not can_manage_user(actor, user):
        raise PeopleError("outside", _("You cannot change this account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = "people.account.activated" if active else "people.account.deactivated"
    log(instance=user, action=action, user=actor)


@transaction.atomic
def update_own_contact(user, *, mobile: str, email: str) -> None:
    """The person keeps his own mobile and email; unit and rank are his
    unit's administrators' to change."""
    profile = TraineeProfile.objects.select_for_update().get(user=user)
    profile.mobile = check_mobile(mobile, exclude_user=user)
    profile.save(update_fields=["mobile"])
    user.email = email.strip()
    user.save(update_fields=["email"])
    log(instance=user, action="people.account.contact_changed", user=user)
