"""What /me/ shows of a trainee's classes: standing, score, certificate."""

from datetime import datetime

from django.utils import timezone

from courses.models import Enrolment, EnrolmentStatus
from courses.services.completion import progress_of_trainee
from courses.services.lessons import next_lesson_start
from training_site.dates import day_after

SHOWN = 20
# What a row and the standing read of the class: its link, dates, test
# window and completion rules (not its introduction or other settings).
CLASS_FIELDS = (
    "title",
    "url_path",
    "content_type",
    "path",
    "depth",
    "start_date",
    "end_date",
    "min_attendance_rate",
    "questions",
    "test_opens",
    "test_closes",
)


def my_classes(user, *, now=None) -> list[dict]:
    """The classes he applied to or is in, newest first, with his standing,
    in a fixed number of queries however many there are."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("class_page")
        .only(
            *(f.name for f in Enrolment._meta.concrete_fields),
            *(f"class_page__{name}" for name in CLASS_FIELDS),
        )
        .order_by("-class_page__start_date", "pk")[:SHOWN]
    )
    standing = progress_of_trainee(user, enrolments, now=now)
    return [
        {
            "enrolment": e,
            "standing": standing.get(e.class_page_id),
            "rejected": e.status == EnrolmentStatus.REJECTED,
        }
        for e in enrolments
    ]


def classes_change_at(rows: list[dict], *, now=None) -> list[datetime]:
    """When `my_classes`' rows read differently by the clock alone: a class
    begins or ends, its test window opens or closes, the next lesson of a
    class he is in starts (and counts)."""
    now = now or timezone.now()
    classes = [row["enrolment"].class_page for row in rows]
    moments = [
        moment
        for c in classes
        for moment in (c.begins_at, day_after(c.end_date), c.test_opens, c.test_closes)
    ]
    enrolled = [row["enrolment"].class_page for row in rows if row["standing"]]
    if enrolled:
        moments.append(next_lesson_start(enrolled, now))
    return moments
