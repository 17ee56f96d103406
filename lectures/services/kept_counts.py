"""The counts the database keeps (`RosterCount`, `RatingCount`,
`AttendeeCount`), and a recount of each."""

from django.db.models import Count, Q, Sum

from lectures.models import (
    ATTENDED,
    Attendance,
    AttendeeCount,
    RatingCount,
    RatingTally,
    RosterCount,
)

Counts = dict[int, tuple[int, int]]


def recount_rosters() -> Counts:
    """{session id: (on the roster, present or late)} counted from the rows."""
    rows = (
        Attendance.objects.order_by()
        .values("session")
        .annotate(
            on_roster=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED))
        )
        .values_list("session", "on_roster", "attended")
    )
    return {session: (on_roster, attended) for session, on_roster, attended in rows}


def recount_ratings() -> Counts:
    """{session id: (ratings, satisfied ratings)} summed from the tallies."""
    rows = (
        RatingTally.objects.order_by()
        .values("session")
        .annotate(rated=Sum("count"), satisfied=Sum("count", filter=Q(satisfied=True)))
        .values_list("session", "rated", "satisfied")
    )
    return {session: (rated, satisfied or 0) for session, rated, satisfied in rows}


def _drift(kept: dict, counted: dict, zero=(0, 0)) -> dict:
    """{id: (kept, counted)} wherever they differ; missing is `zero`."""
    return {
        key: (kept.get(key, zero), counted.get(key, zero))
        for key in kept.keys() | counted.keys()
        if kept.get(key, zero) != counted.get(key, zero)
    }


def roster_drift() -> dict[int, tuple[tuple, tuple]]:
    """Wherever the kept roster counts are wrong: {session id: (kept, counted)}."""
    kept = RosterCount.objects.values_list("session", "on_roster", "attended")
    return _drift({s: (a, b) for s, a, b in kept}, recount_rosters())


def rating_drift() -> dict[int, tuple[tuple, tuple]]:
    """Wherever the kept rating counts are wrong: {session id: (kept, counted)}."""
    kept = RatingCount.objects.values_list("session", "rated", "satisfied")
    return _drift({s: (a, b) for s, a, b in kept}, recount_ratings())


def attendee_drift() -> dict[int, tuple[int, int]]:
    """Wherever a person's kept count is wrong: {user id: (kept, counted)}."""
    counted = dict(
        Attendance.objects.attended()
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values_list("user", "n")
    )
    kept = dict(AttendeeCount.objects.values_list("user", "attended"))
    return _drift(kept, counted, zero=0)
