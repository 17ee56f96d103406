"""A cadre's training file (一人一档): everything he took part in, and the
year's hours against his quota by source — for the admin page, its print
view and its workbook, in a fixed number of queries however long his
history (the ledger's three, and one per list below)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Attempt, Certificate, Enrolment
from lectures.models import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    SessionKind,
    TraineeProfile,
)
from records.models import ExternalTraining
from records.services.ledger import LedgerRules, YearLedger, ledger
from training_site.spreadsheets import Column, Sheet


@dataclass(frozen=True)
class SessionRow:
    title: str
    start: datetime
    kind: str
    forum: str
    status: str
    study_hours: Decimal | None

    @property
    def day(self) -> str:
        return timezone.localtime(self.start).strftime("%Y-%m-%d")

    @property
    def kind_label(self) -> str:
        return SessionKind(self.kind).label

    @property
    def status_label(self) -> str:
        return AttendanceStatus(self.status).label

    @property
    def hours_earned(self) -> Decimal:
        return (self.study_hours or Decimal(0)) if self.status in ATTENDED else 0


@dataclass
class TrainingFile:
    profile: TraineeProfile
    year: int
    ledger: YearLedger
    sessions: list[SessionRow]
    classes: list[Enrolment]
    elsewhere: list[ExternalTraining]
    certificates: list[Certificate]
    tests: list[Attempt]


def training_file(profile: TraineeProfile, year: int, rules: LedgerRules):
    """His file; `profile` with `user`, `unit_forum` and `rank` loaded."""
    user = profile.user
    sessions = [
        SessionRow(*row)
        for row in Attendance.objects.filter(user=user)
        .order_by("-session__start")
        .values_list(
            "session__title",
            "session__start",
            "session__kind",
            "session__forum__title",
            "status",
            "session__study_hours",
        )
    ]
    return TrainingFile(
        profile=profile,
        year=year,
        ledger=ledger(user, year, rules=rules),
        sessions=sessions,
        classes=list(
            Enrolment.objects.filter(user=user)
            .select_related("class_page")
            .order_by("-class_page__start_date")
        ),
        elsewhere=list(ExternalTraining.objects.filter(user=user)),
        certificates=list(
            Certificate.objects.filter(user=user)
            .select_related("class_page")
            .order_by("-issued_on")
        ),
        tests=list(
            Attempt.objects.submitted()
            .filter(user=user)
            .select_related("class_page")
            .order_by("-submitted_at")
        ),
    )


def sheets(file: TrainingFile) -> list[Sheet]:
    """The workbook: the year's hours, sessions and lessons, elsewhere."""
    name = file.profile.real_name
    subtitle = f"{file.profile.unit_display} · {file.ledger.rank_name or '—'}"
    hours = Sheet.of(
        [
            Column(_("Source"), lambda row: str(row.label)),
            Column(_("Earned"), lambda row: row.earned),
            Column(_("Counted"), lambda row: row.counted),
            Column(_("Cap"), lambda row: row.cap),
        ],
        file.ledger.by_source(),
        title=_("%(name)s: study hours %(year)s") % {"name": name, "year": file.year},
        subtitle=subtitle
        + " · "
        + _("quota %(quota)s, counted %(total)s")
        % {"quota": file.ledger.quota, "total": file.ledger.total},
        name=_("Study hours"),
    )
    sessions = Sheet.of(
        [
            Column(_("Date"), lambda row: row.day),
            Column(_("Session"), lambda row: row.title),
            Column(_("Kind"), lambda row: str(row.kind_label)),
            Column(_("Forum or class"), lambda row: row.forum or ""),
            Column(_("Status"), lambda row: str(row.status_label)),
            Column(_("Study hours"), lambda row: row.hours_earned),
        ],
        file.sessions,
        title=_("%(name)s: sessions and lessons") % {"name": name},
        subtitle=subtitle,
        name=_("Sessions"),
    )
    elsewhere = Sheet.of(
        [
            Column(_("Kind"), lambda t: str(t.get_kind_display())),
            Column(_("Course"), lambda t: t.title),
            Column(_("Organiser"), lambda t: t.organiser),
            Column(_("Start date"), lambda t: t.start_date.isoformat()),
            Column(_("End date"), lambda t: t.end_date.isoformat()),
            Column(_("Hours claimed"), lambda t: t.hours_claimed),
            Column(_("Hours approved"), lambda t: t.hours),
            Column(_("Status"), lambda t: str(t.get_status_display())),
        ],
        file.elsewhere,
        title=_("%(name)s: training elsewhere") % {"name": name},
        subtitle=subtitle,
        name=_("Training elsewhere"),
    )
    return [hours, sessions, elsewhere]
