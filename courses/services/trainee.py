"""What /me/ shows of a trainee's classes: standing, score, certificate."""

from courses.models import Enrolment, EnrolmentStatus
from courses.services.completion import progress_of_trainee

SHOWN = 20


def my_classes(user, *, now=None) -> list[dict]:
    """The classes he applied to or is in, newest first, with his standing,
    in a fixed number of queries however many there are."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("class_page")
        .order_by("-class_page__start_date", "pk")[:SHOWN]
    )
    standing = progress_of_trainee(user, enrolments, now=now)
    return [
        {"enrolment": e, "standing": standing.get(e.class_page_id)} for e in enrolments
    ]
