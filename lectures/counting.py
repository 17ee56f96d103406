"""The counting rules, written once: every report, page and template that
counts people reads them from here.

* **Attended**: present or late (`ATTENDED`); on leave and absent are on the
  roster but did not attend.
* **Person-times (人次)** of a held session: its attendance (present + late)
  if it kept a roster, else its declared head-count.
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
    "person_times",
    "rate",
    "with_person_times",
]


def attended(status: str | None) -> bool:
    """Whether an attendance status counts as having attended."""
    return status in ATTENDED


#: For templates and forms that show the statuses of who attended.
ATTENDED_LABELS = [AttendanceStatus(status).label for status in ATTENDED]


def with_person_times(sessions):
    """Annotate `people` (the counting rule), `on_roster` (everyone marked on
    its roster) and `attended` (present or late), from the roster counts."""
    return sessions.annotate(
        on_roster=Coalesce("roster_count__on_roster", 0),
        attended=Coalesce("roster_count__attended", 0),
    ).annotate(
        people=Case(
            When(on_roster__gt=0, then=F("attended")),
            default=Coalesce("headcount", 0),
            output_field=IntegerField(),
        )
    )


def person_times(sessions) -> int:
    """Person-times (人次) of the held sessions among `sessions`."""
    held = with_person_times(sessions.held().order_by())
    return held.aggregate(total=Sum("people"))["total"] or 0


def rate(part: int, whole: int) -> float | None:
    """A share in percent to one decimal; None when there is nothing to share."""
    return round(part * 100 / whole, 1) if whole else None
