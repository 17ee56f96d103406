"""Who may manage whose account, appoint whom where, edit which lecturer
profile and reset whose password: every permission predicate of `people`.

The forum tree decides, as everywhere else: an account belongs where its
profile's unit forum is (`TraineeProfile.unit_forum`). The district's
administrators manage every account; a town's administrators the accounts of
their town and its villages; a village's those of the village. Nobody
manages an account that holds more than he does (a superuser, or an
administrator of a forum outside his subtree), so no one can lift anyone
above his own powers — not by editing him, resetting his password or
appointing him.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from lectures.models import ForumLevel, ForumPage, Lecturer, TraineeProfile
from lectures.models.tree import below_any
from lectures.rules import can_administer


def _administered(user) -> list[tuple[str, str]]:
    """(path, level) of the forums the user administers, in one query; cached
    on the user for the request."""
    cached = getattr(user, "_people_administered", None)
    if cached is None:
        cached = user._people_administered = list(
            ForumPage.objects.administered_by(user).values_list("path", "level")
        )
    return cached


def manages_everyone(user) -> bool:
    """Superusers and the district's administrators."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(
        level == ForumLevel.DISTRICT for _path, level in _administered(user)
    )


# Every forum's administrators' group holds the organisers' permissions
# (`lectures.services.groups.ORGANISER_MODEL_PERMISSIONS`), its lecturers'
# group only the results': the permission cache, which the admin loads for its
# menu anyway, says who administers a forum without another query. The rows
# and objects themselves are decided by the subtree below.
ADMINISTRATORS_HOLD = "lectures.view_registration"
LECTURERS_HOLD = "lectures.view_sessionevaluation"


def may_manage_accounts(user) -> bool:
    """Opens the accounts list: whoever administers a forum."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(ADMINISTRATORS_HOLD)


def shows_own_lecturer_profile(user) -> bool:
    """The menu's 我的讲师资料: a lecturer who administers nothing (an
    administrator reaches his profile from his forum's people)."""
    return (
        user.is_authenticated
        and not user.is_superuser
        and user.has_perm(LECTURERS_HOLD)
        and not user.has_perm(ADMINISTRATORS_HOLD)
    )


def _scope(user, field: str) -> Q | None:
    """The rows whose `field` (a forum path) is in the user's subtrees;
    None means every row."""
    if manages_everyone(user):
        return None
    return below_any([path for path, _level in _administered(user)], field)


def managed_accounts(user) -> QuerySet[TraineeProfile]:
    """The profiles (accounts) the user manages."""
    profiles = TraineeProfile.objects.all()
    if not may_manage_accounts(user):
        return profiles.none()
    scope = _scope(user, "unit_forum__path")
    return profiles if scope is None else profiles.filter(scope)


def assignable_units(user) -> QuerySet[ForumPage]:
    """Forums an account managed by the user may belong to."""
    if not may_manage_accounts(user):
        return ForumPage.objects.none()
    scope = _scope(user, "path")
    forums = ForumPage.objects.all()
    return forums if scope is None else forums.filter(scope)


def holds_no_more_than(actor, user) -> bool:
    """Whether everything `user` administers is inside `actor`'s subtrees."""
    if actor.is_superuser:
        return True
    if user.is_superuser:
        return False
    if manages_everyone(actor):
        return True
    mine = [path for path, _level in _administered(actor)]
    return all(
        any(path.startswith(own) for own in mine)
        for path, _level in _administered(user)
    )


def can_manage_user(actor, user) -> bool:
    """Edit, deactivate, reset the password of, or appoint this account."""
    if not may_manage_accounts(actor) or not holds_no_more_than(actor, user):
        return False
    if manages_everyone(actor):
        return True
    profile = getattr(user, "trainee", None)
    return (
        profile is not None and managed_accounts(actor).filter(pk=profile.pk).exists()
    )


def can_reset_password(actor, user) -> bool:
    """An administrator of the person's subtree; his own goes through /me/."""
    return actor.pk != user.pk and can_manage_user(actor, user)


def may_appoint(actor, forum: ForumPage) -> bool:
    """Appoint administrators and lecturers of a forum, or remove them: its
    administrators and those above."""
    return can_administer(actor, forum)


def can_appoint(actor, forum: ForumPage, user) -> bool:
    return may_appoint(actor, forum) and can_manage_user(actor, user)


def can_remove(actor, forum: ForumPage, user) -> bool:
    """Not oneself: a forum is never left by its last hand by mistake."""
    return may_appoint(actor, forum) and actor.pk != user.pk


def appointable_accounts(actor) -> QuerySet:
    """Users the actor might appoint (what the search looks in)."""
    users = get_user_model().objects.filter(is_active=True, is_superuser=False)
    if manages_everyone(actor):
        return users
    return users.filter(trainee__in=managed_accounts(actor))


def can_edit_lecturer(user, lecturer: Lecturer) -> bool:
    """A lecturer edits his own public profile; the administrators of one of
    his forums (and above) edit it too; the district edits every lecturer."""
    if not user.is_authenticated:
        return False
    if manages_everyone(user) or lecturer.user_id == user.pk:
        return True
    return any(can_administer(user, forum) for forum in lecturer.forums.all())


def own_lecturer_profile(user) -> Lecturer | None:
    if not user.is_authenticated:
        return None
    return Lecturer.objects.filter(user=user).first()
