"""The lecturers' and the trainees' reports: querysets the admin lists,
paginates and exports, each row's figures a subquery over the same rows the
network report counts.

* **Lecturers**: held sessions of the selection he gave (a session with two
  lecturers counts for both) and the person-times they reached, by the one
  counting rule; evaluation scores come from `quality`.
* **Trainees**: study hours credited in a calendar year (as on /me/) against
  the yearly quota; who is short, and by how much.
"""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from lectures.counting import with_person_times
from lectures.models import ForumPage, Lecturer, TraineeProfile
from lectures.models.tree import below
from lectures.services.trainee_page import year_attendance
from stats.query import ReportQuery

HOURS = DecimalField(max_digits=8, decimal_places=1)


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


def trainee_rows(year: int, forum: ForumPage | None, quota: Decimal, *, short=False):
    """Trainees of the units below `forum` (all when None) with their hours."""
    hours = (
        year_attendance(year)
        .filter(user=OuterRef("user"))
        .order_by()
        .values("user")
        .annotate(total=Sum("session__study_hours"))
        .values("total")
    )
    profiles = TraineeProfile.objects.select_related("unit_forum")
    if forum is not None:
        profiles = profiles.filter(below(forum.path, "unit_forum__path"))
    profiles = profiles.annotate(
        hours=Coalesce(Subquery(hours, output_field=HOURS), Value(Decimal(0)))
    )
    if short:
        profiles = profiles.filter(hours__lt=quota)
    return profiles.order_by("hours", "real_name", "pk")


def trainee_totals(rows, quota: Decimal) -> dict:
    """How many trainees, how many short of the quota, in one query."""
    return rows.order_by().aggregate(
        trainees=Count("pk"), short=Count("pk", filter=Q(hours__lt=quota))
    )
