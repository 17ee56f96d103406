"""The organiser's roster (考勤台账): marks, walk-ins, closing, the sign-in sheet."""

import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from wagtail.log_actions import log

from lectures.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    OtherAttendees,
    Registration,
    SessionPage,
    TraineeProfile,
)
from lectures.services.errors import ServiceError
from training_site.tabular import (
    header_index,
    is_header,
    read_rows,
    without_control_characters,
)

MARK_ACTION = "lectures.attendance.marked"
WALK_IN_ACTION = "lectures.attendance.walk_in"
OTHERS_ACTION = "lectures.attendance.others"
#: More than this many attendees not on the roster is a typing mistake.
MAX_OTHERS = 100_000


class RosterError(ServiceError):
    """Why a roster change was refused."""


@dataclass
class RosterRow:
    user_id: int
    name: str
    unit: str
    position: str
    mobile: str
    registered: bool
    attendance: Attendance | None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""


def roster(session: SessionPage) -> list[RosterRow]:
    """Everyone confirmed or recorded for the session, in three queries."""
    registered = set(
        Registration.objects.confirmed()
        .filter(session=session)
        .values_list("user_id", flat=True)
    )
    attendance = {a.user_id: a for a in Attendance.objects.filter(session=session)}
    people = registered | set(attendance)
    profiles = {
        p.user_id: p
        for p in TraineeProfile.objects.filter(user_id__in=people).select_related(
            "unit_forum", "user"
        )
    }
    rows = []
    for user_id in people:
        profile = profiles.get(user_id)
        rows.append(
            RosterRow(
                user_id=user_id,
                name=profile.real_name if profile else str(user_id),
                unit=profile.unit_display if profile else "",
                position=profile.position if profile else "",
                mobile=profile.mobile if profile else "",
                registered=user_id in registered,
                attendance=attendance.get(user_id),
            )
        )
    return sorted(rows, key=lambda row: (row.unit, row.name))


@transaction.atomic
def mark(
    session: SessionPage, user_id: int, status: str, *, reason: str = "", by
) -> Attendance:
    """Record one trainee's attendance as the organiser saw it."""
    if status not in AttendanceStatus.values:
        raise RosterError("status", _("Unknown attendance status."))
    if status == AttendanceStatus.ON_LEAVE and not reason.strip():
        raise RosterError("reason", _("Give the reason for the leave."))
    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        raise RosterError("user", _("There is no such trainee."))
    attendance, _created = Attendance.objects.select_for_update().get_or_create(
        session=session,
        user_id=user_id,
        defaults={"status": status, "method": CheckInMethod.ROSTER},
    )
    attendance.status = status
    attendance.leave_reason = reason.strip()[:200] if status == "on_leave" else ""
    attendance.save()
    log(instance=attendance, action=MARK_ACTION, user=by)
    return attendance


@transaction.atomic
def mark_many(session: SessionPage, marks: dict[int, tuple[str, str]], *, by) -> int:
    """Record several marks in one save: all of them or, if one is refused
    (a leave without its reason, say), none. Rows whose mark and reason are
    unchanged are left alone and leave no log entry. Returns how many changed.
    """
    current = {
        a.user_id: (a.status, a.leave_reason)
        for a in Attendance.objects.filter(session=session, user_id__in=marks)
    }
    names = dict(
        TraineeProfile.objects.filter(user_id__in=marks).values_list(
            "user_id", "real_name"
        )
    )
    changed = 0
    for user_id, (status, reason) in marks.items():
        if not status or current.get(user_id) == (status, reason.strip()):
            continue
        try:
            mark(session, user_id, status, reason=reason, by=by)
        except RosterError as error:
            raise RosterError(
                error.code,
                _("%(name)s: %(problem)s")
                % {"name": names.get(user_id, user_id), "problem": error.message},
            ) from error
        changed += 1
    return changed


def matching(rows: list[RosterRow], query: str) -> list[RosterRow]:
    """The rows whose name, unit or mobile holds `query`."""
    query = query.strip()
    if not query:
        return rows
    return [
        row
        for row in rows
        if query in row.name or query in row.unit or row.mobile.startswith(query)
    ]


def others_count(session: SessionPage) -> int:
    """The attendees not on the roster recorded for the session (0: none)."""
    found = OtherAttendees.objects.filter(session=session).values_list(
        "count", flat=True
    )
    return next(iter(found), 0)


@transaction.atomic
def record_others(session: SessionPage, count: int, *, by) -> OtherAttendees:
    """Record how many came who are not registered cadres (群众, other units):
    counted, not named; they add to the session's person-times."""
    if not 0 <= count <= MAX_OTHERS:
        raise RosterError(
            "others",
            _("The number of other attendees must be from 0 to %(max)s.")
            % {"max": f"{MAX_OTHERS:,}"},
        )
    others, _created = OtherAttendees.objects.select_for_update().get_or_create(
        session=session, defaults={"count": count}
    )
    if others.count != count:
        others.count = count
        others.save(update_fields=["count", "updated_at"])
    log(instance=others, action=OTHERS_ACTION, user=by, data={"count": count})
    return others


def find_trainees(query: str, limit: int = 20):
    query = query.strip()
    if len(query) < 2:
        return TraineeProfile.objects.none()
    return TraineeProfile.objects.filter(
        Q(real_name__icontains=query) | Q(mobile__startswith=query)
    ).select_related("unit_forum")[:limit]


def add_walk_in(session: SessionPage, user_id: int, *, by) -> Attendance:
    attendance = mark(session, user_id, AttendanceStatus.PRESENT, by=by)
    log(instance=attendance, action=WALK_IN_ACTION, user=by)
    return attendance


@transaction.atomic
def close(session: SessionPage, *, by) -> int:
    """Registered people with no mark become absent; returns how many."""
    marked = Attendance.objects.filter(session=session).values("user_id")
    missing = (
        Registration.objects.confirmed()
        .filter(session=session)
        .exclude(user_id__in=marked)
        .values_list("user_id", flat=True)
    )
    rows = [
        Attendance(
            session=session,
            user_id=user_id,
            status=AttendanceStatus.ABSENT,
            method=CheckInMethod.ROSTER,
        )
        for user_id in missing
    ]
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    for attendance in Attendance.objects.filter(
        session=session, user_id__in=[row.user_id for row in rows]
    ):
        log(instance=attendance, action=MARK_ACTION, user=by)
    log(instance=session, action="lectures.roster.closed", user=by)
    return len(rows)


def sign_in_sheet(session: SessionPage) -> bytes:
    """The printable 签到表: registered trainees, a column to sign."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sign-in sheet")[:31]
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    headers = [
        _("No."),
        _("Name"),
        _("Unit"),
        _("Position"),
        _("Mobile"),
        _("Signature"),
    ]
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"] = _("Sign-in sheet: %(title)s") % {"title": session.title}
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    when = timezone.localtime(session.start).strftime("%Y-%m-%d %H:%M")
    sheet["A2"] = f"{when}  {session.venue}"
    sheet.append(headers)
    registered = [row for row in roster(session) if row.registered]
    for number, row in enumerate(registered, start=1):
        sheet.append([number, row.name, row.unit, row.position, row.mobile, ""])
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in row:
            cell.border = border
    for column, width in zip("ABCDEF", (6, 12, 24, 14, 14, 18), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class BulkReport:
    marked: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _bulk_lines(text: str | None, upload) -> list[tuple[int, list[str]]]:
    """(line number, cells) from pasted text or an uploaded sheet.

    A sheet is read below its header row (the one naming 姓名 or 手机号码);
    when it has a 签名 column, only signed rows count — so the sign-in sheet
    printed from here can be filled on paper, typed in and uploaded.
    """
    if upload is None:
        lines = (text or "").splitlines()
        return [
            (n, re.split(r"[\s,，;；]+", line.strip()))
            for n, line in enumerate(lines, start=1)
            if line.strip()
        ]
    # No control characters (a NUL fails PostgreSQL's lookups): a sheet
    # that holds them is still read, without them.
    rows = [
        [without_control_characters(cell) for cell in row]
        for row in read_rows(upload.name, upload.read())
    ]
    index = next(
        (
            i
            for i, row in enumerate(rows)
            if any(is_header(cell, "name", "mobile") for cell in row)
        ),
        None,
    )
    if index is None:
        return [(n, row) for n, row in enumerate(rows, start=1) if any(row)]
    header = rows[index]
    name_at = header_index(header, "name")
    mobile_at = header_index(header, "mobile")
    signed_at = header_index(header, "signature")
    picked = []
    for n, row in enumerate(rows[index + 1 :], start=index + 2):

        def cell(at, row=row):
            return row[at].strip() if at is not None and at < len(row) else ""

        if signed_at is not None and not cell(signed_at):
            continue
        cells = [cell(name_at), cell(mobile_at)]
        if any(cells):
            picked.append((n, cells))
    return picked


def bulk_entry(session: SessionPage, *, by, text: str | None = None, upload=None):
    """Mark everyone on a filled sign-in sheet present: all lines or none.

    A line names a trainee by mobile (best) or by a name that is unique.
    """
    report = BulkReport()
    wanted: dict[int, int] = {}
    for line, cells in _bulk_lines(text, upload):
        cells = [cell.strip() for cell in cells if cell and cell.strip()]
        mobiles = [cell for cell in cells if re.fullmatch(r"1\d{10}", cell)]
        names = [cell for cell in cells if cell not in mobiles]
        if mobiles:
            found = list(
                TraineeProfile.objects.filter(mobile=mobiles[0]).values_list(
                    "user_id", flat=True
                )
            )
            what = mobiles[0]
        elif names:
            found = list(
                TraineeProfile.objects.filter(real_name=names[0]).values_list(
                    "user_id", flat=True
                )[:2]
            )
            what = names[0]
        else:
            found, what = [], ""
        if not found:
            report.errors.append((line, _("no trainee “%(who)s”") % {"who": what[:30]}))
        elif len(found) > 1:
            report.errors.append(
                (line, _("“%(who)s” is not unique; give the mobile") % {"who": what})
            )
        elif found[0] in wanted.values():
            report.errors.append((line, _("%(who)s is listed twice") % {"who": what}))
        else:
            wanted[line] = found[0]
    if report.errors or not wanted:
        if not wanted and not report.errors:
            report.errors.append((0, _("The sheet names nobody.")))
        return report
    with transaction.atomic():
        for user_id in wanted.values():
            attendance, _created = Attendance.objects.get_or_create(
                session=session,
                user_id=user_id,
                defaults={
                    "status": AttendanceStatus.PRESENT,
                    "method": CheckInMethod.BULK,
                },
            )
            if attendance.status != AttendanceStatus.PRESENT:
                attendance.status = AttendanceStatus.PRESENT
                attendance.save(update_fields=["status", "updated_at"])
            log(instance=attendance, action=MARK_ACTION, user=by)
            report.marked += 1
    return report
