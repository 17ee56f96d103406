"""Importing the trainee roster (花名册): every row or none, every bad row named.

The organisation department sends a spreadsheet (xlsx, or csv from any
Excel: UTF-8 or GB18030). Rows are checked first, all of them; only when
none is wrong are the accounts created or updated, in one transaction.
A row is matched to a trainee by mobile: a known mobile updates his name,
unit, position and rank (his account name stays), a new one creates an
account, so the same roster imported twice changes nothing. Each column's
check is its cleaner below; the reading, collecting, classifying and
all-or-nothing writing are the shell's importer (`training_site.importing`).

The rank (职级) is required on every row and must be one of the district's
ranks (admin → 讲坛网络 → 职级), by name: a missing or unknown rank refuses
its row, naming the ranks there are.
"""

import io
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lectures.models import ForumPage, Rank, TraineeProfile
from training_site.importing import (
    CREATED,
    UPDATED,
    Column,
    Importer,
    ImportReport,
    Row,
    differs,
    filter_in,
)
from training_site.tabular import HEADERS

MOBILE = re.compile(r"^1\d{10}$")
USERNAME_VALIDATOR = UnicodeUsernameValidator()

COLUMNS = (
    Column("real_name", "name", required=True),
    Column("mobile", "mobile", required=True),
    Column("unit", "unit"),
    Column("other_unit", "other_unit"),
    Column("position", "position"),
    Column("rank", "rank", required=True),
    Column("username", "username"),
)
TEMPLATE_HEADERS = [column.title for column in COLUMNS]


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "学员名单"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(["张三", "13800000000", "城关镇", "", "科员", "一般干部", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _at_most(value: str, limit: int, column: str) -> str:
    if len(value) > limit:
        raise ValidationError(
            _("%(column)s is longer than %(n)d characters")
            % {"column": HEADERS[column][0], "n": limit}
        )
    return value


class TraineeImporter(Importer):
    """One trainee (an account and its profile) per row."""

    name = "trainee import"
    columns = COLUMNS

    def __init__(self, *, initial_password: str | None = None):
        self.initial_password = initial_password
        self.seen_mobiles: dict[str, int] = {}
        self.seen_usernames: dict[str, int] = {}

    key_label = _("mobile")

    def prepare(self, rows: list[Row]) -> None:
        """Units, trainees and account names as they are now, in three queries."""
        units = {row.raw["unit"] for row in rows if row.raw["unit"]}
        forums = ForumPage.objects.filter(
            Q(unit_name__in=units) | Q(title__in=units) | Q(slug__in=units)
        )
        self.forums = {}
        for forum in forums:
            for key in (forum.unit_name, forum.title, forum.slug):
                self.forums.setdefault(key, forum)
        self.ranks = {rank.name: rank for rank in Rank.objects.all()}
        mobiles = [row.raw["mobile"] for row in rows]
        self.profiles = {
            profile.mobile: profile
            for profile in filter_in(
                TraineeProfile.objects.select_related("user"), "mobile", mobiles
            )
        }
        self.taken_mobiles = set(self.profiles)
        usernames = [row.raw["username"] or row.raw["mobile"] for row in rows]
        self.taken_usernames = set(
            filter_in(
                get_user_model().objects.values_list("username", flat=True),
                "username",
                usernames,
            )
        )

    def clean_real_name(self, value: str, row: Row) -> str:
        if not value:
            raise ValidationError(_("the name is missing"))
        if len(value) > 50:
            raise ValidationError(_("the name is longer than 50 characters"))
        return value

    def clean_mobile(self, value: str, row: Row) -> str:
        first = self.seen_mobiles.setdefault(value, row.line)
        if not MOBILE.match(value):
            raise ValidationError(
                _("“%(mobile)s” is not an 11-digit mobile number") % {"mobile": value}
            )
        if first != row.line:
            raise ValidationError(
                _("mobile %(mobile)s is repeated from line %(line)d")
                % {"mobile": value, "line": first}
            )
        return value

    def clean_unit(self, value: str, row: Row) -> ForumPage | None:
        if value and value not in self.forums:
            raise ValidationError(_("unknown unit “%(unit)s”") % {"unit": value[:50]})
        if not value and not row.raw["other_unit"]:
            raise ValidationError(_("the unit is missing"))
        return self.forums.get(value)

    def clean_other_unit(self, value: str, row: Row) -> str:
        return _at_most(value, 100, "other_unit")

    def clean_position(self, value: str, row: Row) -> str:
        return _at_most(value, 100, "position")

    def clean_rank(self, value: str, row: Row) -> Rank:
        """One of the district's ranks (admin → 讲坛网络 → 职级), by its name;
        every trainee has one."""
        known = "、".join(self.ranks)
        if not value:
            raise ValidationError(
                _("the rank is missing; the ranks are: %(ranks)s") % {"ranks": known}
            )
        if value not in self.ranks:
            raise ValidationError(
                _("unknown rank “%(rank)s”; the ranks are: %(ranks)s")
                % {"rank": value[:50], "ranks": known}
            )
        return self.ranks[value]

    def clean_username(self, value: str, row: Row) -> str:
        """The account name: the one given, else the mobile; valid, free, once.

        A mobile's own problems (malformed, repeated) are reported with the
        mobile; here only that an account, not a trainee, has it as its name
        already. A known trainee keeps his account name.
        """
        mobile = row.raw["mobile"]
        if mobile in self.taken_mobiles:
            return self.profiles[mobile].user.get_username()
        if not value:
            if MOBILE.match(mobile) and mobile in self.taken_usernames:
                raise ValidationError(
                    _("an account is already called %(mobile)s; give a user name")
                    % {"mobile": mobile}
                )
            return mobile
        problems = []
        try:
            USERNAME_VALIDATOR(value)
            valid = len(value) <= 150
        except ValidationError:
            valid = False
        if not valid:
            problems.append(
                _("user name “%(name)s”: letters, digits and @.+-_ only, at most 150")
                % {"name": value[:50]}
            )
        first = self.seen_usernames.setdefault(value, row.line)
        if value in self.taken_usernames:
            problems.append(_("user name “%(name)s” is taken") % {"name": value[:50]})
        elif first != row.line:
            problems.append(
                _("user name “%(name)s” is repeated from line %(line)d")
                % {"name": value[:50], "line": first}
            )
        if problems:
            raise ValidationError(problems)
        return value

    def key_of(self, row: Row) -> str:
        return row.cleaned["mobile"]

    def existing(self, row: Row) -> TraineeProfile | None:
        return self.profiles.get(row.cleaned["mobile"])

    @staticmethod
    def values(row: Row) -> dict:
        data = row.cleaned
        return {
            "real_name": data["real_name"],
            "unit_forum_id": data["unit"].pk if data["unit"] else None,
            "unit_name": data["other_unit"],
            "position": data["position"],
            "rank": data["rank"],
        }

    def changed(self, row: Row, instance: TraineeProfile) -> bool:
        return differs(instance, self.values(row))

    def write(self, rows: list[Row]) -> None:
        """New accounts and profiles in bulk, changed profiles in one update."""
        User = get_user_model()
        new = [row for row in rows if row.outcome == CREATED]
        # One hash for everyone given the same initial password (each sets his
        # own at first login); hashing it per account would take minutes.
        password = make_password(self.initial_password or None)
        users = User.objects.bulk_create(
            [
                User(
                    username=row.cleaned["username"],
                    password=password if self.initial_password else make_password(None),
                )
                for row in new
            ],
            batch_size=500,
        )
        TraineeProfile.objects.bulk_create(
            [
                TraineeProfile(
                    user=user,
                    mobile=row.cleaned["mobile"],
                    # An initial password is everyone's: each sets his own first.
                    must_change_password=bool(self.initial_password),
                    **self.values(row),
                )
                for user, row in zip(users, new, strict=True)
            ],
            batch_size=500,
        )
        changed = [row for row in rows if row.outcome == UPDATED]
        for row in changed:
            for name, value in self.values(row).items():
                setattr(row.instance, name, value)
        TraineeProfile.objects.bulk_update(
            [row.instance for row in changed],
            ["real_name", "unit_forum", "unit_name", "position", "rank"],
            batch_size=500,
        )


def import_trainees(
    name: str, content: bytes, *, initial_password: str | None = None
) -> ImportReport:
    """Check every row; create or update all the trainees, or none if any row
    is wrong."""
    return TraineeImporter(initial_password=initial_password).run(name, content)
