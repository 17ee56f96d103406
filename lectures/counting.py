"""The counting rules, written once: every report, page and template that
counts people reads them from here.

* **Attended**: present or late (`ATTENDED`); on leave and absent are on the
  roster but did not attend.
* **Person-times (人次)** of a held session: its cadres and its others.
  *Cadres*: its attendance (present + late) if it kept a roster, else its
  declared head-count (a village's session counted by head). *Others*: the
  attendees who are not registered cadres (群众, other units), a count the
  organiser enters on the roster page (`OtherAttendees`) — for either kind of
  session, 0 when none was entered. Reports show the two apart.
* **Unique participants**: people on the rosters (present or late); a
  head-count cannot tell who came twice (`stats.participants`).
* **Attendance rate (到课率)**: present + late ÷ everyone on the roster
  (present, late, on leave, absent), over held sessions that kept a roster.
* **Study hours credited**: each roster attendee earns the session's hours.
* **Active forum**: held at least one session of the selection in the
  period; the others are *not reporting* (未报送).
"""

from django.db.models import Case, F, IntegerField, Sum, When
from django.db.models.functions import Coalesce

from lectures.models import ATTENDED, AttendanceStatus

__all__ = [
    "ATTENDED",
    "attended",
    "cadre_times",
    "other_times",
    "person_times",
    "person_times_apart",
    "rate",
    "with_person_times",
]


def attended(status: str | None) -> bool:
    """Whether an attendance status counts as having attended."""
    return status in ATTENDED


#: For templates and forms that show the statuses of who attended.
ATTENDED_LABELS = [AttendanceStatus(status).label for status in ATTENDED]


def cadre_times():
    """A session's cadres, as an expression over the session: its roster's
    attendees (kept in its `RosterCount`) if it kept one, else its head-count."""
    return Case(
        When(roster_count__on_roster__gt=0, then=F("roster_count__attended")),
        default=Coalesce("headcount", 0),
        output_field=IntegerField(),
    )


def other_times():
    """A session's attendees who are not registered cadres, as an expression."""
    return Coalesce("other_attendees__count", 0)


def with_person_times(sessions):
    """Annotate `people` (the counting rule), its parts `cadres` and `others`,
    `on_roster` (everyone marked on its roster) and `attended` (present or
    late), from the roster counts."""
    return sessions.annotate(
        on_roster=Coalesce("roster_count__on_roster", 0),
        attended=Coalesce("roster_count__attended", 0),
        cadres=cadre_times(),
        others=other_times(),
    ).annotate(people=F("cadres") + F("others"))


def person_times_apart(sessions) -> tuple[int, int]:
    """(cadres, others) of the held sessions among `sessions`; one query."""
    held = with_person_times(sessions.held().order_by())
    sums = held.aggregate(all_cadres=Sum("cadres"), all_others=Sum("others"))
    return sums["all_cadres"] or 0, sums["all_others"] or 0


def person_times(sessions) -> int:
    """Person-times (人次) of the held sessions among `sessions`."""
    return sum(person_times_apart(sessions))


def rate(part: int, whole: int) -> float | None:
    """A share in percent to one decimal; None when there is nothing to share."""
    return round(part * 100 / whole, 1) if whole else None
