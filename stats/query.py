"""What a report is asked about: a period, a subtree, a field, a category, a tier.

One `ReportQuery` answers every way of asking — the admin pages, their
spreadsheets, `lecture_stats` and the dashboard — so the same selection is
always the same rows. Whose subtree may be asked about is `stats.rules`.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from lectures.models import Category, Field, ForumPage, SessionPage
from training_site.dates import day_after, day_start


@dataclass(frozen=True)
class ReportQuery:
    """A selection of the forum network's sessions and forums.

    `start` None means from the first session; `end` None means today. Dates
    are days in Asia/Shanghai, both included. `forum` is a subtree (the forum
    and everything below it); `level` keeps the forums of one tier and the
    sessions they hold.
    """

    start: date | None = None
    end: date | None = None
    forum: ForumPage | None = None
    field: Field | None = None
    category: Category | None = None
    level: str | None = None

    @property
    def last_day(self) -> date:
        return self.end or timezone.localdate()

    @property
    def bounds(self):
        """[start, end] as aware datetimes: midnight to the midnight after `end`."""
        lower = day_start(self.start) if self.start else None
        return lower, day_after(self.last_day)

    def sessions(self):
        """The network's own sessions (not class lessons) of the selection,
        whatever their status, starting within the period."""
        sessions = SessionPage.objects.live().lectures()
        if self.forum is not None:
            sessions = sessions.in_subtree(self.forum)
        if self.field is not None:
            sessions = sessions.filter(field=self.field)
        if self.category is not None:
            sessions = sessions.filter(category=self.category)
        if self.level:
            sessions = sessions.filter(forum__level=self.level)
        return sessions.starting_between(*self.bounds)

    def subtree_forums(self):
        """Live forums of the subtree, whatever their tier or founding day."""
        forums = ForumPage.objects.live()
        if self.forum is not None:
            forums = forums.in_subtree(self.forum)
        return forums

    def forums(self):
        """Live forums of the selection founded by the period's last day
        (`selects_forum` says the same of one forum)."""
        forums = self.subtree_forums().filter(
            Q(founded_on__isnull=True) | Q(founded_on__lte=self.last_day)
        )
        if self.level:
            forums = forums.filter(level=self.level)
        return forums

    def selects_forum(self, level: str, founded_on: date | None) -> bool:
        """Whether a forum of the subtree is one of `forums()`."""
        if self.level and level != self.level:
            return False
        return founded_on is None or founded_on <= self.last_day

    def describe(self) -> dict:
        """The filters besides the period, for JSON and spreadsheet titles."""
        return {
            "forum": (
                {
                    "slug": self.forum.slug,
                    "title": self.forum.title,
                    "level": self.forum.level,
                }
                if self.forum
                else None
            ),
            "field": self.field.slug if self.field else None,
            "category": self.category.slug if self.category else None,
            "level": self.level or None,
        }
