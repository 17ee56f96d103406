"""Who may record, see and decide on training elsewhere: every permission
predicate of `records`.

A trainee records his own. His unit's administrators — whoever manages his
account (`people.rules.managed_accounts`: the district everyone, a town
its town and villages) — see, approve, adjust and refuse it, and record
hours for the cadres they manage; nobody decides on his own.
"""

from django.db.models import QuerySet

from people.rules import managed_accounts, may_manage_accounts
from records.models import ExternalTraining


def may_review_any(user) -> bool:
    """Opens the admin's list of training elsewhere."""
    return may_manage_accounts(user)


def reviewable(user) -> QuerySet[ExternalTraining]:
    """The training elsewhere of the cadres the user manages."""
    if not may_review_any(user):
        return ExternalTraining.objects.none()
    return ExternalTraining.objects.filter(user__trainee__in=managed_accounts(user))


def can_review(user, training: ExternalTraining) -> bool:
    return (
        training.user_id != user.pk and reviewable(user).filter(pk=training.pk).exists()
    )


def can_record_own(user) -> bool:
    """A cadre (an account with a trainee profile) records his own."""
    return user.is_authenticated and hasattr(user, "trainee")


def files_visible(user) -> QuerySet:
    """The cadres (profiles) whose training file the user may open: those
    whose account he manages."""
    if not may_review_any(user):
        return managed_accounts(user).none()
    return managed_accounts(user)
