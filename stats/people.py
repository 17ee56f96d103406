"""The lecturers' and the trainees' reports: querysets the admin lists,
paginates and exports, each row's figures a subquery over the same rows the
network report counts.

* **Lecturers**: held sessions of the selection he gave (a session with two
  lecturers counts for both) and the person-times they reached, by the one
  counting rule; evaluation scores come from `quality`.
* **Trainees** (学时台账): each trainee's study hours in a calendar year as
  the study-hours record counts them (`records.services.ledger`: sessions,
  lessons and approved training elsewhere, capped per source) against his
  rank's yearly quota; who is short, and by how much. Active accounts
  only, as in the coverage report: a cadre who has left is not asked for
  hours. The ledger is folded in Python, so the rows are a list (of the
  whole selection, in one query), not a queryset.
"""

from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from lectures.counting import with_person_times
from lectures.models import ForumPage, Lecturer, TraineeProfile
from lectures.models.tree import below
from records.services.ledger import (
    KEPT_HOURS,
    LedgerRules,
    with_year_hours,
    year_ledger,
)
from stats.query import ReportQuery

TENTH = Decimal("0.1")


def lecturer_rows(query: ReportQuery):
    """Lecturers who gave a held session of the selection, busiest first."""
    held = query.sessions().held().filter(lecturers=OuterRef("pk")).order_by()
    given = held.values("lecturers").annotate(n=Count("pk")).values("n")
    reached = (
        with_person_times(held)
        .values("lecturers")
        .annotate(n=Sum("people"))
        .values("n")
    )
    return (
        Lecturer.objects.filter(Exists(held))
        .annotate(
            sessions_given=Coalesce(Subquery(given), 0),
            person_times=Coalesce(Subquery(reached), 0),
        )
        .order_by("-sessions_given", "-person_times", "name", "pk")
    )


def trainee_rows(
    year: int,
    forum: ForumPage | None,
    *,
    rules: LedgerRules | None = None,
    short: bool = False,
) -> list[TraineeProfile]:
    """Trainees with an active account of the units below `forum` (all when
    None), fewest hours first, each with his ledger's `hours`, `rank_name`,
    `quota` and `short_by` (of the whole year's quota); only those short if
    `short`. One query, however many trainees (the kept hours joined)."""
    rules = rules or LedgerRules.for_default_site()
    profiles = TraineeProfile.objects.filter(user__is_active=True)
    if forum is not None:
        profiles = profiles.filter(below(forum.path, "unit_forum__path"))
    kept = {f"kept_{n}": F(name) for n, name in enumerate(KEPT_HOURS)}
    rows = list(
        with_year_hours(profiles, year, "user__")
        .select_related("unit_forum", "rank")
        .annotate(**kept)
    )
    for row in rows:
        rank = row.rank
        book = year_ledger(
            year,
            rules,
            row.user_id,
            row.rank_id,
            rank.name if rank else None,
            rank.yearly_hours if rank else None,
            [getattr(row, name) for name in kept],
        )
        row.ledger = book
        # To a tenth, as every study-hours figure is shown.
        row.hours = Decimal(book.total).quantize(TENTH)
        row.rank_name = book.rank_name
        row.quota = book.quota
        row.short_by = max(book.quota - row.hours, Decimal(0))
    if short:
        rows = [row for row in rows if row.short_by]
    rows.sort(key=lambda row: (row.hours, row.real_name, row.pk))
    return rows


def trainee_totals(rows: list[TraineeProfile]) -> dict:
    """How many trainees, how many short of their quota."""
    return {
        "trainees": len(rows),
        "short": sum(1 for row in rows if row.short_by),
    }
