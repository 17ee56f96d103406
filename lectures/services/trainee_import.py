"""Importing the trainee roster (花名册): every row or none, every bad row named.

The organisation department sends a spreadsheet (xlsx, or csv from any
Excel: UTF-8 or GB18030). Rows are checked first, all of them; only when
none is wrong are the accounts created, in one transaction.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from lectures.models import ForumPage, TraineeProfile

MAX_ROWS = 20_000
MOBILE = re.compile(r"^1\d{10}$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
USERNAME_VALIDATOR = UnicodeUsernameValidator()

# Column → the headers it may appear under (Chinese first, as organisers write).
COLUMNS = {
    "real_name": ("姓名", "name", "real name"),
    "mobile": ("手机号", "手机号码", "手机", "mobile"),
    "unit": ("单位", "所在单位", "unit"),
    "other_unit": ("其他单位", "other unit"),
    "position": ("职务", "position"),
    "rank": ("职级", "rank"),
    "username": ("用户名", "username"),
}
TEMPLATE_HEADERS = ["姓名", "手机号", "单位", "其他单位", "职务", "职级", "用户名"]


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportReport:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "学员名单"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(["张三", "13800000000", "城关镇", "", "科员", "一级科员", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_rows(name: str, content: bytes) -> list[list[str]]:
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a bad file
            raise ImportFileError(_("This is not a readable .xlsx file.")) from error
        rows = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in book.active.iter_rows(values_only=True)
        ]
    elif suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030."))
        try:
            # newline="" lets the csv module read \r, \n and \r\n endings alike.
            reader = csv.reader(io.StringIO(text, newline=""))
            rows = [[cell.strip() for cell in row] for row in reader]
        except csv.Error as error:
            raise ImportFileError(_("This CSV file cannot be read.")) from error
    else:
        raise ImportFileError(_("Upload an .xlsx or .csv file."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(_("At most %(n)d trainees per file.") % {"n": MAX_ROWS})
    return rows


def _header_map(header: list[str]) -> dict[str, int]:
    found = {}
    lowered = [cell.strip().lower() for cell in header]
    for key, names in COLUMNS.items():
        for index, cell in enumerate(lowered):
            if cell in names:
                found[key] = index
    missing = [COLUMNS[key][0] for key in ("real_name", "mobile") if key not in found]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": "、".join(missing)}
        )
    return found


def _forums_by_name(names: set[str]) -> dict[str, ForumPage]:
    forums = ForumPage.objects.filter(
        Q(unit_name__in=names) | Q(title__in=names) | Q(slug__in=names)
    )
    index = {}
    for forum in forums:
        for key in (forum.unit_name, forum.title, forum.slug):
            index.setdefault(key, forum)
    return index


def _has_control_characters(record: dict[str, str]) -> bool:
    return any(CONTROL_CHARACTERS.search(value) for value in record.values())


def _username_problems(record, taken: set[str], seen: dict[str, int], line: int):
    """The account name: the one given, else the mobile; valid, free, once.

    A mobile's own problems (malformed, repeated, a trainee's already) are
    reported with the mobile; here only that an account, not a trainee, has
    it as its name already.
    """
    given = record["username"]
    if not given:
        mobile = record["mobile"]
        if MOBILE.match(mobile) and mobile in taken:
            return [
                _("an account is already called %(mobile)s; give a user name")
                % {"mobile": mobile}
            ]
        return []
    problems = []
    try:
        USERNAME_VALIDATOR(given)
        valid = len(given) <= 150
    except ValidationError:
        valid = False
    if not valid:
        problems.append(
            _("user name “%(name)s”: letters, digits and @.+-_ only, at most 150")
            % {"name": given[:50]}
        )
    if given in taken:
        problems.append(_("user name “%(name)s” is taken") % {"name": given[:50]})
    elif given in seen:
        problems.append(
            _("user name “%(name)s” is repeated from line %(line)d")
            % {"name": given[:50], "line": seen[given]}
        )
    seen.setdefault(given, line)
    return problems


def import_trainees(
    name: str, content: bytes, *, initial_password: str | None = None
) -> ImportReport:
    """Check every row; create all the trainees, or none if any row is wrong."""
    rows = read_rows(name, content)
    if not rows:
        raise ImportFileError(_("The file is empty."))
    columns = _header_map(rows[0])

    def cell(row, key):
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    records = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in row):
            continue
        records.append((line, {key: cell(row, key) for key in COLUMNS}))

    report = ImportReport()
    # Rows with control characters are refused below; PostgreSQL cannot even
    # look up a value with a NUL in it, so they are left out of the lookups.
    printable = [r for _line, r in records if not _has_control_characters(r)]
    forums = _forums_by_name({r["unit"] for r in printable if r["unit"]})
    mobiles = [r["mobile"] for r in printable]
    usernames = [r["username"] or r["mobile"] for r in printable]
    User = get_user_model()
    taken_mobiles = set(
        TraineeProfile.objects.filter(mobile__in=mobiles).values_list(
            "mobile", flat=True
        )
    )
    taken_usernames = set(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    seen_mobiles: dict[str, int] = {}
    seen_usernames: dict[str, int] = {}
    for line, record in records:
        problems = []
        if not record["real_name"]:
            problems.append(_("the name is missing"))
        elif len(record["real_name"]) > 50:
            problems.append(_("the name is longer than 50 characters"))
        mobile = record["mobile"]
        if not MOBILE.match(mobile):
            problems.append(
                _("“%(mobile)s” is not an 11-digit mobile number") % {"mobile": mobile}
            )
        elif mobile in seen_mobiles:
            problems.append(
                _("mobile %(mobile)s is repeated from line %(line)d")
                % {"mobile": mobile, "line": seen_mobiles[mobile]}
            )
        elif mobile in taken_mobiles:
            problems.append(
                _("mobile %(mobile)s already belongs to a trainee") % {"mobile": mobile}
            )
        seen_mobiles.setdefault(mobile, line)
        if record["unit"] and record["unit"] not in forums:
            problems.append(
                _("unknown unit “%(unit)s”") % {"unit": record["unit"][:50]}
            )
        if not record["unit"] and not record["other_unit"]:
            problems.append(_("the unit is missing"))
        if mobile not in taken_mobiles:
            problems += _username_problems(
                record, taken_usernames, seen_usernames, line
            )
        if _has_control_characters(record):
            problems.append(_("the row contains control characters"))
        for key, limit in (("position", 100), ("rank", 50), ("other_unit", 100)):
            if len(record[key]) > limit:
                problems.append(
                    _("%(column)s is longer than %(n)d characters")
                    % {"column": COLUMNS[key][0], "n": limit}
                )
        report.errors += [RowError(line, problem) for problem in problems]
    if report.errors:
        return report

    with transaction.atomic():
        for _line, record in records:
            user = User(username=record["username"] or record["mobile"])
            if initial_password:
                user.set_password(initial_password)
            else:
                user.set_unusable_password()
            user.save()
            TraineeProfile.objects.create(
                user=user,
                real_name=record["real_name"],
                mobile=record["mobile"],
                unit_forum=forums.get(record["unit"]),
                unit_name=record["other_unit"],
                position=record["position"],
                rank=record["rank"],
                # An initial password is everyone's: each sets his own first.
                must_change_password=bool(initial_password),
            )
            report.created += 1
    return report
