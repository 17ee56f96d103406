"""The network's sessions summed per forum × day × field × category, kept by
the database, for the reports and the forum pages."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lectures.models.forums import ForumLevel


class DayFigures(models.Model):
    """The published lectures (not class lessons) a forum holds on one day
    (in Asia/Shanghai) with one field and one category, and what they add
    to the figures (`lectures.counting`): sessions by status, person-times
    (cadres and others), roster size and attendance, study hours offered
    and credited (in tenths, summed exactly), and the ratings that may be
    shown.

    Kept by the database itself: triggers (migration 0018) recompute a
    row from its sessions whenever one of them, its page's `live` flag, its
    roster count, its other attendees, its rating count or its evaluation's
    responses change — whatever makes the change, in the same transaction —
    and copy the forum's path when a forum moves. The network report and the
    forum pages sum these rows instead of joining a year's sessions to five
    tables (52,000 sessions at 100× the seed). A day rather than a month, so
    that any period of days is answered exactly; at 100× there are about as
    many rows as sessions, but each is one narrow row without a join.
    `lectures.services.kept_counts.figures_drift` compares them with the
    sessions themselves. Unique participants are no sum of these rows (one
    person comes to many sessions): see `VisitGaps`.

    On SQLite a migration that remakes one of the tables the triggers sit
    on (`lectures_sessionpage`, `wagtailcore_page`, the kept counts, the
    evaluations — Django remakes a table for most `AlterField`s) drops
    their triggers with the old table: such a migration must create them
    again (migration 0018's statements); `tests/stats/test_kept_figures.py`
    fails until it does."""

    forum = models.ForeignKey(
        "lectures.ForumPage",
        verbose_name=_("forum"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    #: The forum's page path and tier, copied so that a subtree and its
    #: breakdowns are read from this table alone.
    forum_path = models.CharField(_("forum path"), max_length=255)
    level = models.CharField(_("level"), max_length=10, choices=ForumLevel.choices)
    day = models.DateField(_("day"))
    month = models.CharField(_("month"), max_length=7)
    #: 0 for a session without a field or category (so that the key is equal
    #: to itself in SQL, which NULL is not).
    field_id = models.PositiveBigIntegerField(_("field"))
    category_id = models.PositiveBigIntegerField(_("category"))
    sessions = models.PositiveIntegerField(_("sessions"))
    held = models.PositiveIntegerField(_("held"))
    cancelled = models.PositiveIntegerField(_("cancelled"))
    postponed = models.PositiveIntegerField(_("postponed"))
    participants = models.PositiveIntegerField(_("person-times"))
    others = models.PositiveIntegerField(_("other attendees"))
    roster_size = models.PositiveIntegerField(_("on the roster"))
    roster_attended = models.PositiveIntegerField(_("present or late"))
    hours_offered = models.BigIntegerField(_("study hours offered, in tenths"))
    hours_credited = models.BigIntegerField(_("study hours credited, in tenths"))
    satisfied = models.PositiveIntegerField(_("satisfied ratings"))
    rated = models.PositiveIntegerField(_("ratings"))

    class Meta:
        verbose_name = _("day figures")
        verbose_name_plural = _("day figures")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "day", "field_id", "category_id"],
                name="day_figures_key",
            )
        ]
        indexes = [
            models.Index(fields=["day"], name="day_figures_day"),
            models.Index(fields=["forum_path", "day"], name="day_figures_subtree"),
        ]

    def __str__(self):
        return f"{self.forum_id} {self.day}: {self.held}"


class MonthFigures(models.Model):
    """`DayFigures` summed over the whole network per month × tier × field ×
    category: what a report of the whole network reads for its months,
    fields and categories, the days only at a period's ends (a year at 100×
    the seed: 2,000 rows and a few days' worth, against 51,000 day rows).

    Kept by the database from `DayFigures` alone (migration 0023's
    triggers on that table): a day row added adds its sums to its month's
    row, a day row removed takes them away, a changed one both, and the
    row goes when no day row is left (`days`). `DayFigures` rows are
    themselves rewritten in the transaction that changes a session, so
    these follow in it too. `lectures.services.kept_counts.month_figures_drift`
    compares them with the day rows. A migration that makes SQLite remake
    `lectures_dayfigures` drops the triggers with it and must create them
    again."""

    month = models.CharField(_("month"), max_length=7)
    level = models.CharField(_("level"), max_length=10, choices=ForumLevel.choices)
    #: As in `DayFigures`: 0 for none.
    field_id = models.PositiveBigIntegerField(_("field"))
    category_id = models.PositiveBigIntegerField(_("category"))
    #: How many `DayFigures` rows this one sums.
    days = models.BigIntegerField(_("day rows"))
    sessions = models.BigIntegerField(_("sessions"))
    held = models.BigIntegerField(_("held"))
    cancelled = models.BigIntegerField(_("cancelled"))
    postponed = models.BigIntegerField(_("postponed"))
    participants = models.BigIntegerField(_("person-times"))
    others = models.BigIntegerField(_("other attendees"))
    roster_size = models.BigIntegerField(_("on the roster"))
    roster_attended = models.BigIntegerField(_("present or late"))
    hours_offered = models.BigIntegerField(_("study hours offered, in tenths"))
    hours_credited = models.BigIntegerField(_("study hours credited, in tenths"))
    satisfied = models.BigIntegerField(_("satisfied ratings"))
    rated = models.BigIntegerField(_("ratings"))

    class Meta:
        verbose_name = _("month figures")
        verbose_name_plural = _("month figures")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "level", "field_id", "category_id"],
                name="month_figures_key",
            )
        ]

    def __str__(self):
        return f"{self.month} {self.level}: {self.held}"


#: The previous visit of a person's first visit: before every day.
FIRST_VISIT = date(1, 1, 1)


class PersonDay(models.Model):
    """A day (in Asia/Shanghai) on which a person was present or late at a
    held, published lecture (not a class lesson), and at how many: the
    attendance the reports count as his, one row per person and day.

    Kept by the database (migration 0020's triggers): an attendance row
    added, removed or changed (its status, person or session), a session's
    start, status or kind changed, its page published or unpublished — in
    the same transaction, whatever makes the change. The row goes when its
    count reaches 0. Its only use is to keep `VisitGaps`;
    `lectures.services.kept_counts.visits_drift` recounts both. As with
    `DayFigures`, a migration that makes SQLite remake the attendance,
    session or page table drops the triggers on it and must create them
    again; `tests/stats/test_kept_participants.py` fails until it does."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        # Attendance protects a person from deletion: his rows are gone
        # (through the triggers) before he can be.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the key's index begins with it
        related_name="+",
    )
    day = models.DateField(_("day"))
    sessions = models.PositiveIntegerField(_("sessions attended"))

    class Meta:
        verbose_name = _("day attended")
        verbose_name_plural = _("days attended")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="person_day_key")
        ]

    def __str__(self):
        return f"{self.user_id} {self.day}: {self.sessions}"


class VisitGaps(models.Model):
    """How many people came on `day` (a `PersonDay`) whose visit before it
    was on `previous` (`FIRST_VISIT` for a first visit).

    The unique participants of the whole network in any period [a, b] are a
    sum of these rows: each person who came in [a, b] is counted once, on
    his first day there — the one day in [a, b] whose previous visit is
    before a (`stats.participants`). Kept by triggers on `PersonDay`: a day
    added to a person's days is counted with the day before it, and the day
    after it (if any) now follows it; a day removed, the reverse. About
    63,000 rows for a year at 100× the seed, against 600,000 attended rows."""

    day = models.DateField(_("day"))
    previous = models.DateField(_("previous visit"))
    people = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("visit gaps")
        verbose_name_plural = _("visit gaps")
        constraints = [
            models.UniqueConstraint(fields=["day", "previous"], name="visit_gaps_key")
        ]

    def __str__(self):
        return f"{self.day} after {self.previous}: {self.people}"
