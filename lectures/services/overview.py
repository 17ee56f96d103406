"""What the public home and forum pages show, each in a fixed number of queries."""

from django.core.paginator import Paginator
from django.db.models import Count

from lectures.counting import person_times
from lectures.models import ForumLevel, ForumPage, SessionPage

UPCOMING_ON_HOME = 8
RECORDS_ON_HOME = 6
UPCOMING_ON_FORUM = 10
RECORDS_PER_PAGE = 12


def forum_counts(forums=None) -> dict[str, int]:
    """Live forums by level, every level present (zero when none)."""
    forums = ForumPage.objects.live() if forums is None else forums
    rows = forums.order_by().values("level").annotate(n=Count("pk"))
    counts = dict.fromkeys(ForumLevel.values, 0)
    counts.update({row["level"]: row["n"] for row in rows})
    return counts


def network_overview() -> dict:
    sessions = SessionPage.objects.live().lectures()
    return {
        "forum_counts": forum_counts(),
        "levels": ForumLevel,
        "held_count": sessions.held().count(),
        "person_times": person_times(sessions),
        "upcoming": list(
            sessions.upcoming().for_listing().order_by("start")[:UPCOMING_ON_HOME]
        ),
        "recent_records": list(
            sessions.held().for_listing().order_by("-start")[:RECORDS_ON_HOME]
        ),
    }


def forum_overview(forum: ForumPage, request) -> dict:
    sessions = SessionPage.objects.live().lectures().in_subtree(forum)
    subforums = forum.get_children().live().type(ForumPage).specific()
    records = Paginator(
        sessions.held().for_listing().order_by("-start"), RECORDS_PER_PAGE
    )
    return {
        "subforums": list(subforums),
        "upcoming": list(
            sessions.upcoming().for_listing().order_by("start")[:UPCOMING_ON_FORUM]
        ),
        "records": records.get_page(request.GET.get("page")),
        "held_count": sessions.held().count(),
        "person_times": person_times(sessions),
        "subtree_counts": forum_counts(ForumPage.objects.live().in_subtree(forum)),
        "levels": ForumLevel,
    }
