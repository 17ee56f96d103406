"""调训 by roster: trainees named by username or mobile, one per line or row.

Every line is resolved before anything is written; one unknown name and
nobody is assigned, with each bad line reported by its number. The lines
are cleaned by the shell's importer (`training_site.importing`), one column
whose cleaner finds the trainee.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from training_site.importing import Column, Importer, Row
from training_site.tabular import ImportFileError, is_header, read_rows


class RosterImportError(Exception):
    def __init__(self, message: str, lines: list[str] | None = None):
        super().__init__(message)
        self.message = message if not lines else message + " " + "；".join(lines)


@dataclass(frozen=True)
class Line:
    number: int
    name: str


def read_lines(text: str = "", upload=None) -> list[Line]:
    """Names from the pasted text, or from the first column of a file."""
    if upload is not None:
        try:
            rows = read_rows(upload.name, upload.read())
        except ImportFileError as error:
            raise RosterImportError(str(error)) from error
        lines = [
            Line(number, row[0].strip())
            for number, row in enumerate(rows, start=1)
            if row and row[0].strip()
        ]
        if lines and is_header(lines[0].name, "username", "mobile"):
            lines = lines[1:]
        return lines
    return [
        Line(number, raw.strip())
        for number, raw in enumerate((text or "").splitlines(), start=1)
        if raw.strip()
    ]


class RosterResolver(Importer):
    """Each line's trainee; nothing is written here (the assignment is the
    enrolment service's, in its own transaction)."""

    name = "class roster"
    columns = (Column("trainee", "username"),)

    def __init__(self):
        self.users: dict[int, object] = {}  # in order, each once

    def prepare(self, rows: list[Row]) -> None:
        names = {row.raw["trainee"] for row in rows}
        users = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(username__in=names) | Q(trainee__mobile__in=names))
        )
        self.by_name = {}
        for user in users.select_related("trainee"):
            self.by_name[user.username] = user
            profile = getattr(user, "trainee", None)
            if profile is not None:
                self.by_name[profile.mobile] = user

    def clean_trainee(self, value: str, row: Row):
        if value not in self.by_name:
            raise ValidationError(_("no trainee “%(who)s”") % {"who": value[:40]})
        return self.by_name[value]

    def save_row(self, row: Row) -> None:
        self.users.setdefault(row.cleaned["trainee"].pk, row.cleaned["trainee"])


def resolve(lines: list[Line]) -> list:
    """The active users the lines name, in order, or every bad line reported."""
    resolver = RosterResolver()
    report = resolver.run_rows(
        [Row(line.number, {"trainee": line.name}) for line in lines]
    )
    if not report.ok:
        raise RosterImportError(
            _("Nobody was assigned."),
            [
                _("line %(line)d: %(message)s")
                % {"line": error.line, "message": error.message}
                for error in report.errors[:50]
            ],
        )
    return list(resolver.users.values())
