"""The organisers' tables of a class as ledgers (台账): title, rows, totals.

What the admin page shows and what the spreadsheet carries come from the same
services, so the two always agree.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from courses.models import ClassPage
from courses.services import assessment, completion


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def results_table(class_page: ClassPage) -> Table:
    summary = assessment.summary(class_page)
    standings = completion.progress(class_page)
    return Table(
        slug="results",
        title=_("Test results: %(title)s") % {"title": class_page.title},
        headers=[_("Name"), _("Unit"), _("Attempts"), _("Best score (%)"), _("Passed")],
        rows=[
            [
                s.enrolment.trainee_name(),
                s.enrolment.trainee_unit(),
                s.attempts,
                s.best_score,
                _yes(s.passed),
            ]
            for s in standings
        ],
        totals=[_("Mean / pass rate"), "", "", summary.mean, f"{summary.pass_rate}%"],
    )


def questions_table(class_page: ClassPage) -> Table:
    summary = assessment.summary(class_page)
    return Table(
        slug="questions",
        title=_("Correct rate per question: %(title)s") % {"title": class_page.title},
        headers=[_("Question"), _("Answered"), _("Correct"), _("Correct rate (%)")],
        rows=[
            [q.question.text, q.answered, q.correct, q.rate] for q in summary.questions
        ],
    )


def completion_table(class_page: ClassPage) -> Table:
    standings = completion.progress(class_page)
    return Table(
        slug="completion",
        title=_("Completion: %(title)s") % {"title": class_page.title},
        headers=[
            _("Name"),
            _("Unit"),
            _("Lessons"),
            _("Attended"),
            _("On leave"),
            _("Absent"),
            _("Attendance rate (%)"),
            _("Best score (%)"),
            _("Completes"),
            _("Why not"),
            _("Certificate"),
        ],
        rows=[
            [
                s.enrolment.trainee_name(),
                s.enrolment.trainee_unit(),
                s.lessons,
                s.attended,
                s.on_leave,
                s.absent,
                s.rate,
                s.best_score,
                _yes(s.completes),
                "；".join(s.reasons),
                s.certificate.number if s.certificate else "",
            ]
            for s in standings
        ],
        totals=[
            _("Total"),
            len(standings),
            *[""] * 6,
            sum(1 for s in standings if s.completes),
            "",
            "",
        ],
    )


TABLES = {
    "results": results_table,
    "questions": questions_table,
    "completion": completion_table,
}
