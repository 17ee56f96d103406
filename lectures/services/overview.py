"""What the public home and forum pages show, each in a fixed number of queries.

Their figures — sessions held and person-times of a subtree — are summed from
the rows the database keeps per forum × day (`DayFigures`), not from the
subtree's sessions (52,000 a year at 100× the seed); the same rows tell the
list of records how many there are, so it is paginated without counting them.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from lectures.models import DayFigures, ForumLevel, ForumPage, SessionPage
from lectures.models.tree import below
from lectures.services.registration import attach_windows

UPCOMING_ON_HOME = 8
RECORDS_ON_HOME = 6
UPCOMING_ON_FORUM = 10
RECORDS_PER_PAGE = 12
#: A district forum has thousands of forums below it at the scale of a
#: province: its page lists them a page at a time (`?forums=`).
SUBFORUMS_PER_PAGE = 100
#: On SQLite, a subtree that has held more sessions than this is read along
#: the sessions' indexes by start, a smaller one by its range of paths
#: (`subtree_lists`).
LARGE_SUBTREE = 2000


def annotate_listing(sessions) -> list:
    """What a list of session cards shows beyond the rows: the registration
    window of each (`registration_window`) and, for a class's lesson, the
    class it belongs to (`host_title`). Two queries at most, whatever the
    length of the list."""
    sessions = list(sessions)
    attach_windows(sessions)
    lessons = [session for session in sessions if session.is_lesson]
    titles = {}
    if lessons:
        parents = {session.path[: -Page.steplen] for session in lessons}
        titles = dict(
            Page.objects.filter(path__in=parents).values_list("path", "title")
        )
    for session in lessons:
        session.host_title = titles.get(session.path[: -Page.steplen], "")
    return sessions


TIER_FIGURES = {
    ForumLevel.DISTRICT: _("District forums"),
    ForumLevel.UNIT: _("Town / unit forums"),
    ForumLevel.VILLAGE: _("Village / community forums"),
}


def tier_figures(counts: dict[str, int], *, own: str | None = None) -> list:
    """(label, count) of the tiers a page's figures show: none that is zero,
    and not a forum's own tier (a town's page counts its villages, not
    "1 town forum" and "0 district forums")."""
    return [
        (TIER_FIGURES[level], n) for level, n in counts.items() if n and level != own
    ]


def forum_counts(below_page: Page | None = None) -> dict[str, int]:
    """Live forums by level, at or below `below_page` (None: the network),
    every level present (zero when none); one query.

    Counted in Wagtail's page table by page type, each tier being a type of
    its own: the index on (type, path, live) that migration 0020 adds
    answers it alone, where the forums' own table joined to the pages read
    every forum of the subtree twice (30 ms for the district at 100×)."""
    by_type = {
        ContentType.objects.get_for_model(model).pk: model.forum_level
        for model in ForumPage.__subclasses__()
    }
    pages = Page.objects.filter(content_type__in=by_type, live=True)
    if below_page is not None:
        pages = pages.filter(below(below_page.path))
    rows = pages.order_by().values("content_type").annotate(n=Count("pk"))
    counts = dict.fromkeys(ForumLevel.values, 0)
    for row in rows:
        counts[by_type[row["content_type"]]] += row["n"]
    return counts


def held_figures(forum: ForumPage | None = None) -> tuple[int, int]:
    """(sessions held, person-times) of the published lectures at or below
    `forum` (None: the whole network), by the counting rule
    (`lectures.counting`), summed from the kept rows; one query."""
    rows = DayFigures.objects.order_by()
    if forum is not None:
        rows = rows.filter(below(forum.path, "forum_path"))
    sums = rows.aggregate(held=Sum("held"), people=Sum("participants"))
    return sums["held"] or 0, sums["people"] or 0


def subtree_lists(forum: ForumPage, held_count: int) -> tuple:
    """(coming up, records) of a forum: its live lectures not held, the
    soonest first, and held, the latest first, each read the cheaper way.

    PostgreSQL's planner, with its statistics, chooses between the
    subtree's range of paths and the sessions' indexes by start by itself.
    SQLite has no statistics and chooses by the query's shape, wrongly for
    one size of subtree or the other. So, on SQLite only:
    - a subtree that has held more than `LARGE_SUBTREE` sessions (its kept
      count, already read) finds its next sessions along the index of
      sessions not held, testing each row's path (`tested_in_subtree`):
      by the range it would read every session it ever held and sort them
      (the district at 100×: 66,000 pages, 100 ms, for ten); its records
      come along the (status, start) index, which it then takes anyway;
    - a smaller one is read by its range, its held sessions tested row by
      row (`held_by_row`): along the (status, start) index SQLite would
      walk every session held in the network to find a village's last
      twelve (60–100 ms at 100×)."""
    sessions = SessionPage.objects.live().lectures()
    ranged = sessions.in_subtree(forum)
    if connection.vendor != "sqlite":
        coming, held = ranged.next_first(), ranged.held()
    elif held_count > LARGE_SUBTREE:
        coming, held = sessions.tested_in_subtree(forum).next_first(), ranged.held()
    else:
        coming, held = ranged.next_first(), ranged.held_by_row()
    return coming.for_listing(), held.for_listing().order_by("-start")


class CountedPaginator(Paginator):
    """A paginator told how many items there are (by the kept rows), which
    it would otherwise count."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count


def network_overview() -> dict:
    sessions = SessionPage.objects.live().lectures()
    held_count, people = held_figures()
    return {
        "tier_figures": tier_figures(forum_counts()),
        "levels": ForumLevel,
        "held_count": held_count,
        "person_times": people,
        "upcoming": list(sessions.next_first().for_listing()[:UPCOMING_ON_HOME]),
        "recent_records": list(
            sessions.held().for_listing().order_by("-start")[:RECORDS_ON_HOME]
        ),
    }


def forum_overview(forum: ForumPage, request) -> dict:
    # Listed by title and URL path (linked with `{% path_url %}`), without
    # building each forum's page.
    subforums = Paginator(
        forum.get_children()
        .live()
        .type(ForumPage)
        .order_by("path")
        .values("title", "url_path"),
        SUBFORUMS_PER_PAGE,
    )
    held_count, people = held_figures(forum)
    upcoming, held = subtree_lists(forum, held_count)
    records = CountedPaginator(held, RECORDS_PER_PAGE, count=held_count)
    return {
        "subforums": subforums.get_page(request.GET.get("forums")),
        "upcoming": list(upcoming[:UPCOMING_ON_FORUM]),
        "records": records.get_page(request.GET.get("page")),
        "held_count": held_count,
        "person_times": people,
        "tier_figures": tier_figures(forum_counts(forum), own=forum.level),
        "levels": ForumLevel,
    }
