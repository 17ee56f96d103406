"""Who may see which statistics: every permission rule of the reports.

Built on the network's own rules (`lectures.rules`): a report covers the
subtrees its viewer administers, never more, and a subtree outside them is
refused by name rather than silently widened or narrowed.
"""

from django.utils.translation import gettext as _

from lectures.models import ForumPage
from lectures.models.tree import below_any
from lectures.rules import administered_forums, administered_paths, can_administer
from lectures.services.errors import ServiceError


class ScopeError(ServiceError):
    """A report was asked about a subtree the user may not see, or none."""


def reportable_forums(user):
    """Live forums whose figures the user may see: his subtrees (all for
    superusers)."""
    forums = ForumPage.objects.live()
    if user.is_superuser:
        return forums
    return forums.filter(below_any(administered_paths(user)))


def may_see_reports(user) -> bool:
    """Superusers and anyone who administers part of the network (cached on
    the user: the admin menu asks several times a request)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_may_see_reports", None)
    if cached is None:
        # One query: every page of the admin asks, through the menu.
        cached = user.is_superuser or administered_forums(user).exists()
        user._may_see_reports = cached
    return cached


def default_scope(user) -> ForumPage | None:
    """The subtree a report shows when none is asked for.

    Superusers see the whole network (None); everyone else the highest forum
    he administers. A user who administers no forum gets a refusal.
    """
    if user.is_superuser:
        return None
    forum = (
        ForumPage.objects.live()
        .filter(path__in=administered_paths(user))
        .order_by("depth", "path")
        .first()
    )
    if forum is None:
        raise ScopeError(
            "no_forum", _("You administer no forum, so there are no statistics.")
        )
    return forum


def check_scope(user, forum: ForumPage | None) -> ForumPage | None:
    """The subtree to report on: `forum` if the user may see it, else a refusal.

    Never silently widened or narrowed: a forum outside the user's subtrees
    is refused by name, and no forum means his default subtree.
    """
    if forum is None:
        return default_scope(user)
    if not can_administer(user, forum):
        raise ScopeError(
            "outside",
            _(
                "You may only see the statistics of the forums you administer; "
                "“%(title)s” is not one of them."
            )
            % {"title": forum.title},
        )
    return forum
