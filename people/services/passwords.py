"""Passwords people can look after: a first password of their own, and a
one-time set-password link from an administrator.

The link is Django's password-reset token with its own salt: it is signed
with the account's password hash and last login, so it works once (setting
the password changes the hash) and for `PASSWORD_RESET_TIMEOUT` (72 hours).
Issuing it makes the old password unusable at once. The link is shown to the
administrator once, to print as a slip; it is stored nowhere.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lectures.models import TraineeProfile
from people.rules import can_reset_password
from people.services.errors import PeopleError

SESSION_FLAG = "people_must_change_password"


class SetPasswordTokenGenerator(PasswordResetTokenGenerator):
    """Distinct from the e-mailed reset's tokens: one cannot stand for the other."""

    key_salt = "people.services.passwords.SetPasswordTokenGenerator"


set_password_tokens = SetPasswordTokenGenerator()


@dataclass
class SetPasswordLink:
    path: str
    expires_at: datetime


@transaction.atomic
def issue_set_password_link(actor, user) -> SetPasswordLink:
    """Invalidate the user's password and return a one-time link to set one."""
    if not can_reset_password(actor, user):
        raise PeopleError(
            "outside", _("You may reset passwords only in your own subtree.")
        )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    # He chooses the password himself through the link: nothing to force.
    TraineeProfile.objects.filter(user=user).update(must_change_password=False)
    log(instance=user, action="people.password.link_issued", user=actor)
    path = reverse(
        "set_password",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            set_password_tokens.make_token(user),
        ],
    )
    expires = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return SetPasswordLink(path=path, expires_at=expires)


def password_set_by_owner(user) -> None:
    """He has a password of his own now: no more first-login redirect."""
    TraineeProfile.objects.filter(user=user, must_change_password=True).update(
        must_change_password=False
    )


def must_change_password(user) -> bool:
    return TraineeProfile.objects.filter(user=user, must_change_password=True).exists()
