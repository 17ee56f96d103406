"""The roster counts the database keeps (`RosterCount`), checked by a recount."""

from django.db.models import Count, Q

from lectures.models import ATTENDED, Attendance, RosterCount


def recount() -> dict[int, tuple[int, int]]:
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


def drift() -> dict[int, tuple[tuple[int, int], tuple[int, int]]]:
    """{session id: (kept, counted)} wherever the kept counts are wrong."""
    counted = recount()
    kept = {
        session: (on_roster, attended)
        for session, on_roster, attended in RosterCount.objects.values_list(
            "session", "on_roster", "attended"
        )
    }
    return {
        session: (kept.get(session, (0, 0)), counted.get(session, (0, 0)))
        for session in kept.keys() | counted.keys()
        if kept.get(session, (0, 0)) != counted.get(session, (0, 0))
    }
