"""Where a session belongs and which 第N期 it is (used as a session is saved)."""

from django.db.models import Max

from lectures.models.forums import ForumPage
from lectures.models.tree import ancestor_paths


def nearest_forum(path: str) -> ForumPage | None:
    """The closest forum above the node at `path`, in one query."""
    return (
        ForumPage.objects.filter(path__in=ancestor_paths(path))
        .order_by("-depth")
        .first()
    )


def assign_number(session) -> None:
    """Give a new session the next number of its forum.

    The forum row is locked first so two sessions created at the same moment
    cannot take the same number (SQLite serialises writers anyway; on
    PostgreSQL the row lock does it). A database constraint backs this up.
    """
    ForumPage.objects.select_for_update().filter(pk=session.forum_id).first()
    last = (
        type(session)
        .objects.filter(forum_id=session.forum_id)
        .aggregate(last=Max("number"))["last"]
    )
    session.number = (last or 0) + 1
