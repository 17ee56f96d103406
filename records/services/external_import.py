"""Hours earned elsewhere for a list of cadres at once (e.g. a 党校 class's
roster with its hours): every row checked first, all recorded or none, each
bad row named. Recorded by an administrator, they are approved at once —
for the cadres he manages only (`records.rules`).

One evidence file may go with the batch (the 调训通知, the class's list of
graduates): stored once, under a random name, when the rows are written,
and shown on each of them as a single recording's evidence is."""

import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from wagtail.log_actions import log

from records import rules
from records.models import ExternalKind, ExternalStatus, ExternalTraining
from records.models.external import evidence_path
from records.services.external import MAX_HOURS
from training_site.importing import Column, Importer, ImportReport, Row
from training_site.notify.service import notify

COLUMNS = (
    Column("mobile", "mobile", required=True),
    Column("kind", "training_kind", required=True),
    Column("title", "course", required=True),
    Column("organiser", "organiser", required=True),
    Column("start_date", "start_date", required=True),
    Column("end_date", "end_date", required=True),
    Column("hours", "hours", required=True),
)
DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "外部培训学时"
    sheet.append([column.title for column in COLUMNS])
    sheet.append(
        [
            "13800000000",
            "党校（行政学院）",
            "中青年干部培训班",
            "区委党校",
            "2026-03-02",
            "2026-03-20",
            "90",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _kinds() -> dict[str, str]:
    """A kind by its label (Chinese or English), its value or a short name."""
    found = {}
    for kind in ExternalKind:
        found[kind.value] = kind.value
        found[str(kind.label)] = kind.value
    found |= {
        "上级调训": "assigned",
        "调训": "assigned",
        "党校": "party_school",
        "行政学院": "party_school",
        "网络学院": "online",
        "网络": "online",
        "专题培训": "other",
        "其他": "other",
    }
    return found


def _date(value: str) -> date:
    match = DATE.match(value)
    try:
        return date(*map(int, match.groups())) if match else None
    except ValueError:
        return None


class ExternalImporter(Importer):
    """One approved course elsewhere per row, for a cadre the actor manages."""

    name = "external training import"
    columns = COLUMNS

    def __init__(self, actor, evidence: File | None = None):
        self.actor = actor
        self.kinds = _kinds()
        self.evidence = evidence
        self.evidence_name = ""

    def write(self, rows: list[Row]) -> None:
        """The evidence stored once, then every row pointing to it; the file
        goes again if the rows cannot be written."""
        if self.evidence is not None:
            self.evidence.seek(0)
            self.evidence_name = default_storage.save(
                evidence_path(None, self.evidence.name), self.evidence
            )
        try:
            super().write(rows)
        except Exception:
            if self.evidence_name:
                default_storage.delete(self.evidence_name)
            raise

    def prepare(self, rows: list[Row]) -> None:
        mobiles = [row.raw["mobile"] for row in rows]
        self.cadres = {
            profile.mobile: profile.user_id
            for profile in rules.files_visible(self.actor).filter(mobile__in=mobiles)
        }

    def clean_mobile(self, value: str, row: Row) -> int:
        if value not in self.cadres:
            raise ValidationError(
                _("no cadre you manage has the mobile “%(mobile)s”")
                % {"mobile": value[:20]}
            )
        return self.cadres[value]

    def clean_kind(self, value: str, row: Row) -> str:
        if value not in self.kinds:
            raise ValidationError(
                _("unknown kind “%(kind)s”; the kinds are: %(kinds)s")
                % {
                    "kind": value[:20],
                    "kinds": "、".join(str(k.label) for k in ExternalKind),
                }
            )
        return self.kinds[value]

    def clean_title(self, value: str, row: Row) -> str:
        if not value or len(value) > 200:
            raise ValidationError(_("the course is missing or over 200 characters"))
        return value

    def clean_organiser(self, value: str, row: Row) -> str:
        if not value or len(value) > 100:
            raise ValidationError(_("the organiser is missing or over 100 characters"))
        return value

    def clean_start_date(self, value: str, row: Row) -> date:
        day = _date(value)
        if day is None:
            raise ValidationError(
                _("“%(value)s” is not a date") % {"value": value[:20]}
            )
        return day

    def clean_end_date(self, value: str, row: Row) -> date:
        day = self.clean_start_date(value, row)
        start = _date(row.raw["start_date"])
        if start and day < start:
            raise ValidationError(_("The course ends before it starts."))
        if day > timezone.localdate():
            raise ValidationError(
                _("Record a course once it has ended (its last day is ahead).")
            )
        return day

    def clean_hours(self, value: str, row: Row) -> Decimal:
        try:
            hours = Decimal(value).quantize(Decimal("0.1"))
        except InvalidOperation:
            hours = None
        if hours is None or not Decimal(0) < hours <= MAX_HOURS:
            raise ValidationError(_("The hours must be more than 0 and at most 999.9."))
        return hours

    def save_row(self, row: Row) -> None:
        data = row.cleaned
        training = ExternalTraining.objects.create(
            user_id=data["mobile"],
            kind=data["kind"],
            title=data["title"],
            organiser=data["organiser"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            hours_claimed=data["hours"],
            hours=data["hours"],
            status=ExternalStatus.APPROVED,
            evidence=self.evidence_name,
            recorded_by=self.actor,
            decided_by=self.actor,
            decided_at=timezone.now(),
        )
        log(instance=training, action="records.external.approved", user=self.actor)
        notify(
            [training.user_id],
            "records.external.approved",
            {"title": training.title, "hours": training.hours},
            link="/me/",
        )


def import_external(
    actor, name: str, content: bytes, *, evidence: File | None = None
) -> ImportReport:
    """Check every row; record (approved) all, or none if any row is wrong;
    `evidence` (already checked: `records.forms`) shared by them all."""
    return ExternalImporter(actor, evidence).run(name, content)
