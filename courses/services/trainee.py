"""What /me/ shows of a trainee's classes: standing, score, certificate."""

from courses.models import Enrolment, EnrolmentStatus
from courses.services.completion import progress_of_trainee

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
