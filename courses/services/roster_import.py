"""调训 by roster: trainees named by username or mobile, one per line or row.

Every line is resolved before anything is written; one unknown name and
nobody is assigned, with each bad line reported by its number.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from lectures.services.trainee_import import ImportFileError, read_rows

HEADERS = {"用户名", "手机", "手机号", "username", "mobile", "mobile phone"}


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
        if lines and lines[0].name.lower() in HEADERS:
            lines = lines[1:]
        return lines
    return [
        Line(number, raw.strip())
        for number, raw in enumerate((text or "").splitlines(), start=1)
        if raw.strip()
    ]


def resolve(lines: list[Line]) -> list:
    """The active users the lines name, in order, or every bad line reported."""
    names = {line.name for line in lines}
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(username__in=names) | Q(trainee__mobile__in=names))
    )
    by_name = {}
    for user in users.select_related("trainee"):
        by_name[user.username] = user
        profile = getattr(user, "trainee", None)
        if profile is not None:
            by_name[profile.mobile] = user
    bad = [
        _("line %(n)d: no trainee “%(name)s”")
        % {"n": line.number, "name": line.name[:40]}
        for line in lines
        if line.name not in by_name
    ]
    if bad:
        raise RosterImportError(_("Nobody was assigned."), bad[:50])
    return list({by_name[line.name].pk: by_name[line.name] for line in lines}.values())
