"""The organisers' tables of a class as ledgers (台账): title, rows, totals.

What the admin page shows and what the spreadsheet carries come from the same
services, so the two always agree. Each table is a `Sheet` (the shell's one
table type), with the class's organiser and dates as its second title line.
"""

from django.utils.translation import gettext as _

from courses.models import ClassPage
from courses.services import assessment, completion
from training_site.formatting import percent, yes_no
from training_site.spreadsheets import Sheet


def _subtitle(class_page: ClassPage) -> str:
    return f"{class_page.organiser} · {class_page.start_date} – {class_page.end_date}"


def results_table(class_page: ClassPage) -> Sheet:
    summary = assessment.summary(class_page)
    standings = completion.progress(class_page)
    return Sheet(
        subtitle=_subtitle(class_page),
        title=_("Test results: %(title)s") % {"title": class_page.title},
        headers=[_("Name"), _("Unit"), _("Attempts"), _("Best score (%)"), _("Passed")],
        rows=[
            [
                s.enrolment.trainee_name(),
                s.enrolment.trainee_unit(),
                s.attempts,
                s.best_score,
                yes_no(s.passed),
            ]
            for s in standings
        ],
        totals=[
            _("Mean / pass rate"),
            "",
            "",
            summary.mean,
            percent(summary.pass_rate),
        ],
    )


def questions_table(class_page: ClassPage) -> Sheet:
    summary = assessment.summary(class_page)
    return Sheet(
        subtitle=_subtitle(class_page),
        title=_("Correct rate per question: %(title)s") % {"title": class_page.title},
        headers=[_("Question"), _("Answered"), _("Correct"), _("Correct rate (%)")],
        rows=[
            [q.question.text, q.answered, q.correct, q.rate] for q in summary.questions
        ],
    )


def completion_table(class_page: ClassPage) -> Sheet:
    standings = completion.progress(class_page)
    return Sheet(
        subtitle=_subtitle(class_page),
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
                yes_no(s.completes),
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
