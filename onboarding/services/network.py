"""The network as one workbook: forums, trainees, lecturers, past sessions.

`import_network` checks the sheets in that order inside one transaction
(`training_site.importing.WorkbookImport`): each sheet's rows are cleaned
column by column and classified against what exists (created, updated,
unchanged, matched by key: a forum's code, a trainee's mobile, a lecturer's
name and unit, a session's forum, start and title); a good sheet is
written so the next one can refer to its rows, and everything is rolled back
if any sheet has a problem, or when only a preview was asked for.

New pages are added in bulk the way `add_child` would (`PageBatch`), and
attendance as plain rows, so the seed's network (106 forums, 520 sessions,
20,000 attendance rows, 3,000 trainees) imports in seconds. An imported
session is an ordinary session page: the database's triggers keep its
roster counts, the counting rule (`lectures.counting`) counts it, and new
sessions take their forum's next 第N期 numbers in date order.

Nothing of participation is ever deleted here: a roster row missing from the
workbook stays; a row whose status differs is updated.

A past session may carry its evaluation results as the anonymous side keeps
them (`lectures.models.evaluations`): the table, the number of responses and,
per indicator, how many rated it at each level. They become the session's
envelope and rating tallies (whose triggers keep its `RatingCount`), never
receipts: nobody can be said to have evaluated. Given, they replace the
session's tallies; left empty, the session's evaluation stays as it is.
"""

import re
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page
from wagtail.search import index

from lectures.demo.builder import refresh_statistics
from lectures.demo.pages import PageBatch, bulk_add_objects
from lectures.demo.rows import insert_rows
from lectures.models import (
    Attendance,
    AttendanceStatus,
    Category,
    CheckInMethod,
    DistrictForumPage,
    EvaluationForm,
    EvaluationReceipt,
    Field,
    ForumLevel,
    ForumPage,
    Lecturer,
    OtherAttendees,
    RatingTally,
    SessionEvaluation,
    SessionPage,
    SessionStatus,
    TraineeProfile,
    UnitForumPage,
    UnitKind,
    VillageForumPage,
)
from lectures.models.evaluations import is_satisfied, level_points
from lectures.models.hosts import SessionKind
from lectures.services.groups import sync_lecturer_groups
from lectures.services.trainee_import import TraineeImporter
from training_site.importing import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    Row,
    Sheet,
    WorkbookImport,
    WorkbookReport,
    differs,
    filter_in,
)
from training_site.models import HomePage
from training_site.page_cache import invalidate_public_pages
from training_site.tabular import read_tables

#: The words a workbook may use for a tier, a kind of unit and a session's
#: status; the first of each is what the export and the template write.
TIERS = {
    ForumLevel.DISTRICT: ("大讲坛", "区级大讲坛", "区级", "district"),
    ForumLevel.UNIT: ("小讲坛", "镇街", "unit"),
    ForumLevel.VILLAGE: ("微讲坛", "村社区", "village"),
}
UNIT_KINDS = {
    UnitKind.DISTRICT: ("区", "district"),
    UnitKind.TOWN: ("镇", "乡镇", "town"),
    UnitKind.STREET: ("街道", "street"),
    UnitKind.DEPARTMENT: ("区直单位", "部门", "department"),
    UnitKind.VILLAGE: ("村", "village"),
    UnitKind.COMMUNITY: ("社区", "community"),
}
STATUSES = {
    SessionStatus.HELD: ("已举办", "已开讲", "held"),
    SessionStatus.CANCELLED: ("已取消", "cancelled"),
    SessionStatus.POSTPONED: ("已延期", "postponed"),
}
ROSTER_COLUMNS = {
    "present": AttendanceStatus.PRESENT,
    "late": AttendanceStatus.LATE,
    "on_leave": AttendanceStatus.ON_LEAVE,
    "absent": AttendanceStatus.ABSENT,
}
PAGE_MODELS = {
    ForumLevel.DISTRICT: DistrictForumPage,
    ForumLevel.UNIT: UnitForumPage,
    ForumLevel.VILLAGE: VillageForumPage,
}
PARENT_LEVEL = {
    ForumLevel.UNIT: ForumLevel.DISTRICT,
    ForumLevel.VILLAGE: ForumLevel.UNIT,
}
LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")
LECTURER_WITH_UNIT = re.compile(r"^(?P<name>[^（(]+)[（(](?P<unit>.*)[）)]$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
TIME_FORMATS = ("%H:%M:%S", "%H:%M")
#: 评价结果: "讲授水平:30/5/1/0；内容质量:28/6/2/0", each indicator's counts
#: by level, best first (满意/较满意/一般/不满意, or 5/4/3/2/1 points).
RATING_SEPARATORS = re.compile(r"[；;\n]+")
RATING_NAME = re.compile(r"^(?P<name>.+?)\s*[:：]\s*(?P<counts>[^:：]*)$")
MAX_COUNT = 1_000_000
WHOLE = re.compile(r"[0-9]{1,7}")


def count_in(text: str) -> int | None:
    """A whole number from 0 to `MAX_COUNT` in ASCII digits, else None."""
    if not WHOLE.fullmatch(text) or int(text) > MAX_COUNT:
        return None
    return int(text)


def words(mapping: dict) -> dict[str, str]:
    return {
        word.lower(): value for value, choices in mapping.items() for word in choices
    }


def first_word(mapping: dict, value: str) -> str:
    return mapping[value][0]


def items(value: str) -> list[str]:
    return [item for item in LIST_SEPARATORS.split(value) if item]


def parse_day(value: str) -> date:
    text = value.split(" ")[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": value[:30]}
    )


def parse_moment(value: str) -> datetime:
    """A date and time in the site's time zone ("2026-05-01 09:00")."""
    day_text, _sep, time_text = value.strip().partition(" ")
    day = parse_day(day_text)
    time_text = time_text.strip()
    for fmt in TIME_FORMATS:
        try:
            moment = datetime.strptime(time_text, fmt).time()
            break
        except ValueError:
            continue
    else:
        raise ValidationError(
            _("“%(value)s” is not a date and time (YYYY-MM-DD HH:MM)")
            % {"value": value[:30]}
        )
    return timezone.make_aware(datetime.combine(day, moment))


def moment_text(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def by_pk(objects) -> list:
    """Each object once, in the order of its primary key."""
    return sorted({obj.pk: obj for obj in objects}.values(), key=lambda o: o.pk)


def pks(objects) -> list[int]:
    return sorted(obj.pk for obj in objects)


def at_most(value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValidationError(
            _("“%(value)s…” is longer than %(n)d characters")
            % {"value": value[:20], "n": limit}
        )
    return value


class NetworkSheet(Importer):
    """A sheet of the network workbook; `book` is the import it belongs to."""

    book: "NetworkImport"

    def forum_named(self, value: str) -> ForumPage | None:
        """A forum by its code, title or unit name (in that order of trust)."""
        return self.book.forums.get(value)

    def unknown(self, kind: str, value: str) -> bool:
        """Whether `value` is unknown and not merely in a sheet left unwritten
        (whose own problems are reported there)."""
        return value not in self.book.pending[kind]


class ForumSheet(NetworkSheet):
    name = "network import: forums"
    key_label = gettext_lazy("code")
    columns = (
        Column("tier", "tier", required=True),
        Column("parent", "parent"),
        Column("title", "forum_title", required=True),
        Column("slug", "slug"),
        Column("unit_kind", "unit_kind", required=True),
        Column("unit_name", "unit_name"),
        Column("founded_on", "founded_on"),
        Column("contact_name", "contact_name"),
        Column("contact_phone", "contact_phone"),
        Column("address", "address"),
    )
    FIELDS = (
        "title",
        "slug",
        "unit_kind",
        "unit_name",
        "founded_on",
        "contact_name",
        "contact_phone",
        "address",
    )

    def prepare(self, rows: list[Row]) -> None:
        self.existing_forums = {
            forum.slug: forum for forum in ForumPage.objects.all().order_by("path")
        }
        self.district = next(
            (f for f in self.existing_forums.values() if f.level == "district"), None
        )
        self.parent_slugs = {
            forum.pk: forum.slug for forum in self.existing_forums.values()
        }
        self.paths = {forum.path: forum for forum in self.existing_forums.values()}
        # The sheet's own forums, by every name a row may give its parent.
        tiers = words(TIERS)
        self.in_sheet: dict[str, tuple[str, str]] = {}
        for row in rows:
            level = tiers.get(row.raw["tier"].lower())
            slug = row.raw["slug"] or slugify(row.raw["title"], allow_unicode=True)
            for name in (slug, row.raw["title"], row.raw["unit_name"]):
                if name:
                    self.in_sheet.setdefault(name, (slug, level))
        self.names = {}
        for forum in self.existing_forums.values():
            for name in (forum.slug, forum.title, forum.unit_name):
                self.names.setdefault(name, (forum.slug, forum.level))

    def clean_tier(self, value: str, row: Row) -> str:
        level = words(TIERS).get(value.lower())
        if level is None:
            raise ValidationError(
                _("unknown tier “%(value)s”: write 大讲坛, 小讲坛 or 微讲坛")
                % {"value": value[:20]}
            )
        return level

    def clean_title(self, value: str, row: Row) -> str:
        if not value:
            raise ValidationError(_("the forum's name is missing"))
        return at_most(value, 255)

    def clean_slug(self, value: str, row: Row) -> str:
        slug = value or slugify(row.raw["title"], allow_unicode=True)
        try:
            validate_unicode_slug(slug)
        except ValidationError as error:
            raise ValidationError(
                _("code “%(value)s”: letters, digits, - and _ only")
                % {"value": slug[:30]}
            ) from error
        return at_most(slug, 255)

    def clean_unit_kind(self, value: str, row: Row) -> str:
        kind = words(UNIT_KINDS).get(value.lower())
        if kind is None:
            raise ValidationError(
                _("unknown kind of unit “%(value)s”") % {"value": value[:20]}
            )
        return kind

    def clean_unit_name(self, value: str, row: Row) -> str:
        return at_most(value or row.raw["title"], 100)

    def clean_founded_on(self, value: str, row: Row) -> date | None:
        return parse_day(value) if value else None

    def clean_contact_name(self, value: str, row: Row) -> str:
        return at_most(value, 50)

    def clean_contact_phone(self, value: str, row: Row) -> str:
        return at_most(value, 30)

    def clean_address(self, value: str, row: Row) -> str:
        return at_most(value, 200)

    def clean_row(self, row: Row) -> None:
        data = row.cleaned
        level = data["tier"]
        model = PAGE_MODELS[level]
        if data["unit_kind"] not in model.allowed_unit_kinds:
            raise ValidationError(
                _("a %(tier)s cannot be a unit of this kind")
                % {"tier": first_word(TIERS, level)}
            )
        existing = self.existing_forums.get(data["slug"])
        if level == ForumLevel.DISTRICT:
            data["parent"] = None
            if existing is None and self.district is not None:
                existing = self.district
        else:
            data["parent"] = self.parent_of(row, level)
        if existing is not None:
            if existing.level != level:
                raise ValidationError(
                    _(
                        "the forum “%(slug)s” is a %(tier)s already; "
                        "a tier cannot change"
                    )
                    % {"slug": data["slug"], "tier": first_word(TIERS, existing.level)}
                )
            parent = self.paths.get(existing.path[: -Page.steplen])
            if level != ForumLevel.DISTRICT and parent.slug != data["parent"]:
                raise ValidationError(
                    _(
                        "the forum “%(slug)s” is under “%(parent)s”; the import does "
                        "not move forums (move it in the page tree)"
                    )
                    % {"slug": data["slug"], "parent": parent.title}
                )
        row.cleaned["existing"] = existing

    def parent_of(self, row: Row, level: str) -> str:
        """The parent's code, checked to be of the tier above."""
        name = row.raw["parent"]
        wanted = PARENT_LEVEL[level]
        if not name:
            if level == ForumLevel.UNIT and self.district is not None:
                return self.district.slug
            in_sheet = [v for v in self.in_sheet.values() if v[1] == wanted]
            if level == ForumLevel.UNIT and in_sheet:
                return in_sheet[0][0]
            raise ValidationError(_("the parent forum is missing"))
        found = self.names.get(name) or self.in_sheet.get(name)
        if found is None:
            raise ValidationError(
                _("unknown parent forum “%(name)s”") % {"name": name[:50]}
            )
        slug, parent_level = found
        if parent_level != wanted:
            raise ValidationError(
                _("a %(tier)s must be under a %(parent)s; “%(name)s” is a %(found)s")
                % {
                    "tier": first_word(TIERS, level),
                    "parent": first_word(TIERS, wanted),
                    "name": name[:50],
                    "found": first_word(TIERS, parent_level) if parent_level else "?",
                }
            )
        return slug

    def key_of(self, row: Row) -> str:
        return row.cleaned["slug"]

    def existing(self, row: Row) -> ForumPage | None:
        return row.cleaned["existing"]

    def values(self, row: Row) -> dict:
        return {name: row.cleaned[name] for name in self.FIELDS}

    def changed(self, row: Row, instance: ForumPage) -> bool:
        return differs(instance, self.values(row))

    @staticmethod
    def update(forum: ForumPage, values: dict) -> ForumPage:
        """Change a forum as the workbook says.

        A forum with nothing below it yet (the district that `setup_network`
        made, before the rest of its network is imported) takes a new code
        by a plain update: no URL below it ever existed, and Page.save()
        would have Wagtail redirect every page that the import adds below it
        once the transaction commits — 6,000 at 10× the seed, more than
        SQLite's largest query. Otherwise the page is saved as the admin
        would, redirects and all.
        """
        for name, value in values.items():
            setattr(forum, name, value)
        if forum.numchild or values["slug"] == ForumPage.objects.get(pk=forum.pk).slug:
            forum.save()
            return forum
        parent_path = forum.url_path.rstrip("/").rsplit("/", 1)[0] + "/"
        forum.url_path = parent_path + forum.slug + "/"
        forum.draft_title = forum.title
        type(forum).objects.filter(pk=forum.pk).update(
            **values, url_path=forum.url_path, draft_title=forum.title
        )
        index.insert_or_update_object(forum)
        return forum

    def write(self, rows: list[Row]) -> None:
        by_slug = dict(self.existing_forums)
        now = timezone.now()
        home = HomePage.objects.first()
        for level in (ForumLevel.DISTRICT, ForumLevel.UNIT, ForumLevel.VILLAGE):
            batch = PageBatch()
            for row in rows:
                if row.cleaned["tier"] != level or row.outcome == UNCHANGED:
                    continue
                if row.outcome == UPDATED:
                    forum = self.update(row.instance.specific, self.values(row))
                    by_slug[forum.slug] = forum
                    continue
                model = PAGE_MODELS[level]
                forum = model(
                    **self.values(row),
                    live=True,
                    first_published_at=now,
                    last_published_at=now,
                )
                forum.level = level
                if level == ForumLevel.DISTRICT:
                    forum = home.add_child(instance=forum)
                else:
                    batch.add(by_slug[row.cleaned["parent"]], forum)
                by_slug[forum.slug] = forum
            batch.flush()


class TraineeSheet(NetworkSheet, TraineeImporter):
    """The trainee roster's own columns and rules (`import_trainees`)."""

    name = "network import: trainees"

    def __init__(self):
        TraineeImporter.__init__(self)

    def clean_unit(self, value, row):
        if value and value not in self.forums and not self.unknown("forum", value):
            return None
        return super().clean_unit(value, row)


class LecturerSheet(NetworkSheet):
    name = "network import: lecturers"
    key_label = gettext_lazy("name and unit")
    columns = (
        Column("name", "name", required=True),
        Column("title", "lecturer_title"),
        Column("unit", "unit"),
        Column("fields", "fields"),
        Column("forums", "forums"),
        Column("mobile", "mobile"),
    )

    def prepare(self, rows: list[Row]) -> None:
        self.lecturers = {
            (lecturer.name, lecturer.unit): lecturer
            for lecturer in Lecturer.objects.prefetch_related("fields", "forums")
        }
        self.fields = self.book.taxonomy(Field)
        self.accounts = self.book.accounts(row.raw["mobile"] for row in rows)
        self.tied = {
            lecturer.user_id: lecturer
            for lecturer in self.lecturers.values()
            if lecturer.user_id
        }

    def clean_name(self, value: str, row: Row) -> str:
        if not value:
            raise ValidationError(_("the name is missing"))
        return at_most(value, 50)

    def clean_title(self, value: str, row: Row) -> str:
        return at_most(value, 100)

    def clean_unit(self, value: str, row: Row) -> str:
        return at_most(value, 100)

    def clean_fields(self, value: str, row: Row) -> list:
        found, unknown = [], []
        for name in items(value):
            (found if name in self.fields else unknown).append(name)
        if unknown:
            raise ValidationError(
                _("unknown field “%(names)s”") % {"names": "、".join(unknown)[:60]}
            )
        return by_pk(self.fields[name] for name in found)

    def clean_forums(self, value: str, row: Row) -> list:
        found, unknown = [], []
        for name in items(value):
            forum = self.forum_named(name)
            if forum is not None:
                found.append(forum)
            elif self.unknown("forum", name):
                unknown.append(name)
        if unknown:
            raise ValidationError(
                _("unknown forum “%(names)s”") % {"names": "、".join(unknown)[:60]}
            )
        return by_pk(found)

    def clean_mobile(self, value: str, row: Row):
        if not value:
            return None
        user = self.accounts.get(value)
        if user is None and self.unknown("mobile", value):
            raise ValidationError(
                _("no account has the mobile or user name “%(value)s”")
                % {"value": value[:30]}
            )
        return user

    def clean_row(self, row: Row) -> None:
        user = row.cleaned["mobile"]
        if user is None:
            return
        other = self.tied.get(user.pk)
        if other is not None and (other.name, other.unit) != self.key_of(row):
            raise ValidationError(
                _("the account “%(value)s” is the lecturer %(name)s's already")
                % {"value": row.raw["mobile"][:30], "name": other.name}
            )

    def key_of(self, row: Row) -> tuple:
        return (row.cleaned["name"], row.cleaned["unit"])

    def existing(self, row: Row) -> Lecturer | None:
        return self.lecturers.get(self.key_of(row))

    def changed(self, row: Row, instance: Lecturer) -> bool:
        data = row.cleaned
        user = data["mobile"]
        return (
            instance.title != data["title"]
            or pks(instance.fields.all()) != pks(data["fields"])
            or pks(instance.forums.all()) != pks(data["forums"])
            or (user is not None and instance.user_id != user.pk)
        )

    def write(self, rows: list[Row]) -> None:
        new = []
        for row in rows:
            data = row.cleaned
            if row.outcome == CREATED:
                lecturer = Lecturer(
                    name=data["name"],
                    title=data["title"],
                    unit=data["unit"],
                    user=data["mobile"],
                )
                lecturer.fields.set(data["fields"])
                lecturer.forums.set(data["forums"])
                new.append(lecturer)
            elif row.outcome == UPDATED:
                lecturer = row.instance
                lecturer.title = data["title"]
                if data["mobile"] is not None:
                    lecturer.user = data["mobile"]
                lecturer.fields.set(data["fields"])
                lecturer.forums.set(data["forums"])
                lecturer.save()
        bulk_add_objects(Lecturer, new)
        for lecturer in new:
            if lecturer.user_id:
                sync_lecturer_groups(lecturer)


class SessionSheet(NetworkSheet):
    name = "network import: past sessions"
    key_label = gettext_lazy("forum, start and title")
    columns = (
        Column("forum", "forum", required=True),
        Column("start", "start", required=True),
        Column("end", "end"),
        Column("title", "session_title", required=True),
        Column("lecturers", "lecturers"),
        Column("venue", "venue"),
        Column("field", "field"),
        Column("category", "category"),
        Column("study_hours", "study_hours"),
        Column("status", "status"),
        Column("headcount", "headcount"),
        *(Column(key, key) for key in ROSTER_COLUMNS),
        # Optional: the forum's own 第N期. Given, it is the row's key within
        # the forum (an export keeps an installation's numbers, and tells
        # apart two sessions of one forum with the same start and title);
        # without it a new session takes the forum's next number by date.
        Column("number", "number"),
        # Optional: how many came who are not registered cadres (counted
        # beside the roster, `OtherAttendees`); empty leaves it as it is.
        Column("others", "others"),
        # Optional: the evaluation results (the module's docstring).
        Column("evaluation_form", "evaluation_form"),
        Column("responses", "responses"),
        Column("ratings", "ratings"),
    )

    def prepare(self, rows: list[Row]) -> None:
        self.now = timezone.now()
        self.fields = self.book.taxonomy(Field)
        self.categories = self.book.taxonomy(Category)
        self.lecturers_by_name = defaultdict(list)
        for lecturer in Lecturer.objects.all():
            self.lecturers_by_name[lecturer.name].append(lecturer)
        mobiles = [
            mobile
            for row in rows
            for key in ROSTER_COLUMNS
            for mobile in items(row.raw[key])
        ]
        self.users = self.book.accounts(mobiles)
        forums = {
            forum.pk
            for row in rows
            if (forum := self.forum_named(row.raw["forum"])) is not None
        }
        sessions = list(
            SessionPage.objects.filter(
                forum_id__in=forums, kind=SessionKind.LECTURE
            ).prefetch_related("lecturers")
        )
        self.sessions = {}
        self.by_number = {}
        for s in sessions:
            self.sessions.setdefault((s.forum_id, s.start, s.title), s)
            if s.number:
                self.by_number[(s.forum_id, s.number)] = s
        self.rosters: dict[int, dict[int, str]] = defaultdict(dict)
        for session_id, user_id, status in filter_in(
            Attendance.objects.values_list("session_id", "user_id", "status"),
            "session_id",
            # Every session's, also a twin's that only its number finds.
            [s.pk for s in sessions],
        ):
            self.rosters[session_id][user_id] = status
        self.others = dict(
            filter_in(
                OtherAttendees.objects.values_list("session_id", "count"),
                "session_id",
                [s.pk for s in sessions],
            )
        )
        self.prepare_evaluations([s.pk for s in sessions])

    def prepare_evaluations(self, session_ids: list[int]) -> None:
        """The tables, and what the matched sessions keep of their evaluations."""
        self.forms = {
            form.name: form
            for form in EvaluationForm.objects.prefetch_related("indicators")
        }
        self.default_form = next(
            (form for form in self.forms.values() if form.is_default), None
        )
        self.envelopes = {
            e.session_id: (e.form_id, e.responses)
            for e in filter_in(
                SessionEvaluation.objects.all(), "session_id", session_ids
            )
        }
        self.tallies: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
        for session_id, indicator_id, level, count in filter_in(
            RatingTally.objects.values_list(
                "session_id", "indicator_id", "level", "count"
            ),
            "session_id",
            session_ids,
        ):
            self.tallies[session_id][(indicator_id, level)] = count
        self.receipts = Counter(
            filter_in(
                EvaluationReceipt.objects.values_list("session_id", flat=True),
                "session_id",
                session_ids,
            )
        )

    def clean_forum(self, value: str, row: Row) -> ForumPage | None:
        forum = self.forum_named(value)
        if forum is None and self.unknown("forum", value):
            raise ValidationError(_("unknown forum “%(name)s”") % {"name": value[:50]})
        return forum

    def clean_start(self, value: str, row: Row) -> datetime:
        return parse_moment(value)

    def clean_end(self, value: str, row: Row) -> datetime | None:
        return parse_moment(value) if value else None

    def clean_title(self, value: str, row: Row) -> str:
        if not value:
            raise ValidationError(_("the title is missing"))
        return at_most(value, 255)

    def clean_lecturers(self, value: str, row: Row) -> list[int]:
        found, problems = [], []
        for item in re.split(r"[、,，;；]+", value):
            item = item.strip()
            if not item:
                continue
            match = LECTURER_WITH_UNIT.match(item)
            name, unit = (
                (match["name"].strip(), match["unit"].strip())
                if match
                else (item, None)
            )
            candidates = self.lecturers_by_name.get(name, [])
            if unit is not None:
                candidates = [c for c in candidates if c.unit == unit]
            if len(candidates) == 1:
                found.append(candidates[0])
            elif not candidates:
                if self.unknown("lecturer", name):
                    problems.append(
                        _("unknown lecturer “%(name)s”") % {"name": item[:50]}
                    )
            else:
                problems.append(
                    _("several lecturers are called %(name)s: write %(name)s（unit）")
                    % {"name": name[:50]}
                )
        if problems:
            raise ValidationError(problems)
        return by_pk(found)

    def clean_venue(self, value: str, row: Row) -> str:
        return at_most(value, 200)

    def _named(self, value: str, found: dict, message: str):
        if not value:
            return None
        if value not in found:
            raise ValidationError(message % {"name": value[:50]})
        return found[value]

    def clean_field(self, value: str, row: Row) -> Field | None:
        return self._named(value, self.fields, _("unknown field “%(name)s”"))

    def clean_category(self, value: str, row: Row) -> Category | None:
        return self._named(value, self.categories, _("unknown category “%(name)s”"))

    def clean_study_hours(self, value: str, row: Row) -> Decimal:
        try:
            hours = Decimal(value or "0").quantize(Decimal("0.1"))
        except InvalidOperation:
            hours = None
        if hours is None or not Decimal(0) <= hours < Decimal(1000):
            raise ValidationError(
                _("study hours “%(value)s” is not a number from 0 to 999.9")
                % {"value": value[:20]}
            )
        return hours

    def clean_status(self, value: str, row: Row) -> str:
        if not value:
            return SessionStatus.HELD
        status = words(STATUSES).get(value.lower())
        if status is None:
            raise ValidationError(
                _("unknown status “%(value)s”: write 已举办, 已取消 or 已延期")
                % {"value": value[:20]}
            )
        return status

    def clean_headcount(self, value: str, row: Row) -> int | None:
        if not value:
            return None
        if not value.isdigit() or int(value) > 1_000_000:
            raise ValidationError(
                _("head-count “%(value)s” is not a whole number")
                % {"value": value[:20]}
            )
        return int(value)

    def _roster(self, value: str, row: Row) -> list[int]:
        found, unknown = [], []
        for mobile in items(value):
            user = self.users.get(mobile)
            if user is not None:
                found.append(user.pk)
            elif self.unknown("mobile", mobile):
                unknown.append(mobile)
        if unknown:
            raise ValidationError(
                _("unknown mobile %(mobiles)s")
                % {
                    "mobiles": "、".join(unknown[:5])
                    + ("…" if len(unknown) > 5 else "")
                }
            )
        return found

    clean_present = clean_late = clean_on_leave = clean_absent = _roster

    def clean_number(self, value: str, row: Row) -> int | None:
        if not value:
            return None
        if not value.isdigit() or not 0 < int(value) < 1_000_000:
            raise ValidationError(
                _("number “%(value)s” is not a whole number from 1")
                % {"value": value[:20]}
            )
        return int(value)

    def clean_others(self, value: str, row: Row) -> int | None:
        if not value:
            return None
        if count_in(value) is None:
            raise ValidationError(
                _("others “%(value)s” is not a whole number") % {"value": value[:20]}
            )
        return int(value)

    def others_changed(self, row: Row, session_id: int | None) -> bool:
        others = row.cleaned["others"]
        return others is not None and self.others.get(session_id, 0) != others

    def clean_evaluation_form(self, value: str, row: Row) -> EvaluationForm | None:
        if not value:
            return None
        if value not in self.forms:
            raise ValidationError(
                _("unknown evaluation form “%(name)s”") % {"name": value[:50]}
            )
        return self.forms[value]

    def clean_responses(self, value: str, row: Row) -> int | None:
        if not value:
            return None
        if count_in(value) is None:
            raise ValidationError(
                _("responses “%(value)s” is not a whole number") % {"value": value[:20]}
            )
        return int(value)

    def clean_ratings(self, value: str, row: Row) -> list[tuple[str, list[int]]]:
        """[(indicator, counts by level, best first)]; the table checks them."""
        found, problems = [], []
        for item in RATING_SEPARATORS.split(value):
            item = item.strip()
            if not item:
                continue
            match = RATING_NAME.match(item)
            counts = match["counts"].replace(" ", "").split("/") if match else []
            if not match or any(count_in(c) is None for c in counts):
                problems.append(
                    _(
                        "ratings “%(value)s”: write each indicator as "
                        "indicator:count/count/… (best level first)"
                    )
                    % {"value": item[:30]}
                )
                continue
            found.append((match["name"], [int(c) for c in counts]))
        if problems:
            raise ValidationError(problems)
        return found

    def clean_evaluation(self, row: Row) -> list[str]:
        """The row's evaluation as `write_evaluations` wants it, in
        row.cleaned["evaluation"] (None: leave the session's as it is); the
        problems found."""
        data = row.cleaned
        data["evaluation"] = None
        responses, ratings = data["responses"], data["ratings"]
        if responses is None:
            if ratings or data["evaluation_form"]:
                return [_("give the number of responses with the ratings")]
            return []
        if data["status"] != SessionStatus.HELD:
            return [_("only a held session has evaluation results")]
        form = data["evaluation_form"] or self.default_form
        if form is None:
            return [_("no default evaluation form: name the form")]
        indicators = {i.name: i for i in form.indicators.all()}
        problems = []
        tallies = {
            (indicator.pk, level): 0
            for indicator in indicators.values()
            for level in range(1, form.scale + 1)
        }
        seen = set()
        for name, counts in ratings:
            indicator = indicators.get(name)
            if indicator is None:
                problems.append(
                    _("the form “%(form)s” has no indicator “%(name)s”")
                    % {"form": form.name, "name": name[:50]}
                )
            elif name in seen:
                problems.append(
                    _("the indicator “%(name)s” is given twice") % {"name": name[:50]}
                )
            elif len(counts) != form.scale:
                problems.append(
                    _("“%(name)s”: give %(n)d counts, one a level, best first")
                    % {"name": name[:50], "n": form.scale}
                )
            elif sum(counts) > responses:
                problems.append(
                    _("“%(name)s” is rated more often than there are responses")
                    % {"name": name[:50]}
                )
            else:
                for level, count in zip(range(form.scale, 0, -1), counts, strict=True):
                    tallies[(indicator.pk, level)] = count
            seen.add(name)
        session = self.existing(row)
        kept = self.receipts.get(session.pk, 0) if session else 0
        if responses < kept:
            problems.append(
                _(
                    "%(n)d trainees have evaluated this session here already: "
                    "responses cannot be fewer"
                )
                % {"n": kept}
            )
        if not problems:
            data["evaluation"] = (form, responses, tallies)
        return problems

    def evaluation_changed(self, row: Row, session_id: int | None) -> bool:
        evaluation = row.cleaned["evaluation"]
        if evaluation is None:
            return False
        form, responses, tallies = evaluation
        return (
            self.envelopes.get(session_id) != (form.pk, responses)
            or self.tallies.get(session_id, {}) != tallies
        )

    def clean_row(self, row: Row) -> None:
        data = row.cleaned
        problems = []
        roster: dict[int, str] = {}
        for key, status in ROSTER_COLUMNS.items():
            for user_id in data[key]:
                if roster.setdefault(user_id, status) != status:
                    problems.append(_("a trainee is listed under two statuses"))
        data["roster"] = roster
        if roster and data["headcount"] is not None:
            problems.append(_("give either a head-count or the attendees, not both"))
        if data["status"] == SessionStatus.HELD and data["start"] > self.now:
            problems.append(_("a held session cannot start in the future"))
        if data["end"] is None:
            data["end"] = data["start"] + timedelta(
                hours=float(data["study_hours"]) or 2
            )
        if data["end"] <= data["start"]:
            problems.append(_("the session must end after it starts"))
        problems += self.clean_evaluation(row)
        if problems:
            raise ValidationError(list(dict.fromkeys(problems)))

    def key_of(self, row: Row) -> tuple | None:
        forum = row.cleaned["forum"]
        if forum is None:
            return None
        if row.cleaned["number"]:
            return (forum.pk, "No.", row.cleaned["number"])
        return (forum.pk, row.cleaned["start"], row.cleaned["title"])

    def existing(self, row: Row) -> SessionPage | None:
        forum = row.cleaned["forum"]
        if forum is None:
            return None
        if row.cleaned["number"]:
            return self.by_number.get((forum.pk, row.cleaned["number"]))
        return self.sessions.get(self.key_of(row))

    def values(self, row: Row) -> dict:
        data = row.cleaned
        return {
            "title": data["title"],
            "start": data["start"],
            "end": data["end"],
            "venue": data["venue"],
            "field_id": data["field"].pk if data["field"] else None,
            "category_id": data["category"].pk if data["category"] else None,
            "study_hours": data["study_hours"],
            "status": data["status"],
            "headcount": data["headcount"],
        }

    def roster_changes(self, row: Row, session_id: int | None) -> dict[int, str]:
        kept = self.rosters.get(session_id, {}) if session_id else {}
        return {
            user_id: status
            for user_id, status in row.cleaned["roster"].items()
            if kept.get(user_id) != status
        }

    def changed(self, row: Row, instance: SessionPage) -> bool:
        return (
            differs(instance, self.values(row))
            or pks(instance.lecturers.all()) != pks(row.cleaned["lecturers"])
            or bool(self.roster_changes(row, instance.pk))
            or self.others_changed(row, instance.pk)
            or self.evaluation_changed(row, instance.pk)
        )

    def write(self, rows: list[Row]) -> None:
        new = [row for row in rows if row.outcome == CREATED]
        changed = [row for row in rows if row.outcome == UPDATED]
        sessions = self._add(new)
        for row in changed:
            session = row.instance
            for name, value in self.values(row).items():
                setattr(session, name, value)
            session.lecturers.set(row.cleaned["lecturers"])
            session.save()
        pairs = [*zip(new, sessions, strict=True)] + [
            (row, row.instance) for row in changed
        ]
        additions, updates = [], defaultdict(list)
        for row, session in pairs:
            kept = self.rosters.get(session.pk, {})
            for user_id, status in self.roster_changes(row, session.pk).items():
                if user_id in kept:
                    updates[(session.pk, status)].append(user_id)
                else:
                    additions.append((session.pk, user_id, status))
        now = timezone.now()
        insert_rows(
            Attendance,
            [
                "session_id",
                "user_id",
                "status",
                "method",
                "checked_in_at",
                "leave_reason",
                "updated_at",
            ],
            [
                (session_id, user_id, status, CheckInMethod.ROSTER, None, "", now)
                for session_id, user_id, status in additions
            ],
        )
        for (session_id, status), user_ids in updates.items():
            Attendance.objects.filter(
                session_id=session_id, user_id__in=user_ids
            ).update(status=status, updated_at=now)
        self.write_others(pairs)
        self.write_evaluations(pairs)

    def write_others(self, pairs: list[tuple[Row, SessionPage]]) -> None:
        """The sessions' counts of other attendees, where the workbook gives one."""
        others = {
            session.pk: row.cleaned["others"]
            for row, session in pairs
            if self.others_changed(row, session.pk)
        }
        kept = set(
            filter_in(
                OtherAttendees.objects.values_list("session_id", flat=True),
                "session_id",
                list(others),
            )
        )
        OtherAttendees.objects.bulk_create(
            [
                OtherAttendees(session_id=pk, count=count)
                for pk, count in others.items()
                if pk not in kept
            ],
            batch_size=2000,
        )
        for pk in kept:
            OtherAttendees.objects.filter(session_id=pk).update(
                count=others[pk], updated_at=timezone.now()
            )

    def write_evaluations(self, pairs: list[tuple[Row, SessionPage]]) -> None:
        """Each given evaluation replaces its session's envelope and tallies
        (the triggers take the old tallies off its `RatingCount` and add the
        new); receipts are the sessions' own and stay."""
        wanted = {
            session.pk: row.cleaned["evaluation"]
            for row, session in pairs
            if self.evaluation_changed(row, session.pk)
        }
        if not wanted:
            return
        ids = list(wanted)
        for start in range(0, len(ids), 2000):
            chunk = ids[start : start + 2000]
            RatingTally.objects.filter(session_id__in=chunk).delete()
            SessionEvaluation.objects.filter(session_id__in=chunk).delete()
        SessionEvaluation.objects.bulk_create(
            [
                SessionEvaluation(session_id=pk, form=form, responses=responses)
                for pk, (form, responses, _tallies) in wanted.items()
            ],
            batch_size=2000,
        )
        weights = {
            i.pk: i.weight
            for form, _responses, _tallies in wanted.values()
            for i in form.indicators.all()
        }
        insert_rows(
            RatingTally,
            [
                "id",
                "session_id",
                "indicator_id",
                "level",
                "points",
                "weight",
                "satisfied",
                "count",
            ],
            [
                (
                    uuid.uuid4(),
                    session_id,
                    indicator_id,
                    level,
                    level_points(form.scale, level),
                    weights[indicator_id],
                    is_satisfied(form.scale, level),
                    count,
                )
                for session_id, (form, _responses, tallies) in wanted.items()
                for (indicator_id, level), count in sorted(tallies.items())
            ],
        )

    def _add(self, rows: list[Row]) -> list[SessionPage]:
        """New session pages, numbered per forum in date order after the last."""
        forums = {row.cleaned["forum"].pk: row.cleaned["forum"] for row in rows}
        last = dict(
            SessionPage.objects.filter(forum_id__in=forums)
            .values_list("forum_id")
            .annotate(last=Max("number"))
        )
        for row in rows:
            given, forum_id = row.cleaned["number"], row.cleaned["forum"].pk
            if given and given > (last.get(forum_id) or 0):
                last[forum_id] = given
        slugs = defaultdict(set)
        for parent_path, slug in _child_slugs([f.path for f in forums.values()]):
            slugs[parent_path].add(slug)
        batch = PageBatch()
        now = timezone.now()
        pages = {}
        for row in sorted(
            rows, key=lambda r: (r.cleaned["forum"].pk, r.cleaned["start"])
        ):
            data = row.cleaned
            forum = data["forum"]
            number = data["number"]
            if number is None:
                number = last[forum.pk] = (last.get(forum.pk) or 0) + 1
            slug = base = f"{timezone.localtime(data['start']):%Y%m%d-%H%M}"
            suffix = 1
            while slug in slugs[forum.path]:
                suffix += 1
                slug = f"{base}-{suffix}"
            slugs[forum.path].add(slug)
            session = SessionPage(
                slug=slug,
                forum=forum,
                number=number,
                lecturers=data["lecturers"],
                live=True,
                first_published_at=now,
                last_published_at=now,
                **self.values(row),
            )
            pages[id(row)] = batch.add(forum, session)
        batch.flush()
        return [pages[id(row)] for row in rows]


def _child_slugs(paths: list[str]) -> list[tuple[str, str]]:
    """(parent path, slug) of every page right below the given paths."""
    if not paths:
        return []
    depths = {len(path) // Page.steplen + 1 for path in paths}
    wanted = set(paths)
    return [
        (path[: -Page.steplen], slug)
        for path, slug in Page.objects.filter(depth__in=depths).values_list(
            "path", "slug"
        )
        if path[: -Page.steplen] in wanted
    ]


class NetworkImport(WorkbookImport):
    name = "network import"

    def __init__(self):
        self.forum_sheet = ForumSheet()
        self.trainee_sheet = TraineeSheet()
        self.lecturer_sheet = LecturerSheet()
        self.session_sheet = SessionSheet()
        self.sheets = (
            Sheet(SHEET_NAMES["forums"], self.forum_sheet),
            Sheet(SHEET_NAMES["trainees"], self.trainee_sheet),
            Sheet(SHEET_NAMES["lecturers"], self.lecturer_sheet),
            Sheet(SHEET_NAMES["sessions"], self.session_sheet),
        )
        for sheet in self.sheets:
            sheet.importer.book = self
        #: What sheets left unwritten hold, so later sheets do not call it unknown.
        self.pending: dict[str, set[str]] = defaultdict(set)
        self._forums = None

    @property
    def forums(self) -> dict[str, ForumPage]:
        """Every forum by code, title and unit name (read after the forums sheet
        is written)."""
        if self._forums is None:
            self._forums = {}
            for forum in ForumPage.objects.order_by("path"):
                for name in (forum.unit_name, forum.title, forum.slug):
                    self._forums[name] = forum
        return self._forums

    def taxonomy(self, model) -> dict:
        found = {}
        for item in model.objects.all():
            found[item.slug] = item
            found[item.name] = item
        return found

    def accounts(self, names) -> dict:
        """Active accounts by a trainee's mobile or by user name."""
        names = [name for name in names if name]
        found = {}
        for user in filter_in(
            get_user_model().objects.filter(is_active=True), "username", names
        ):
            found[user.username] = user
        for profile in filter_in(
            TraineeProfile.objects.select_related("user").filter(user__is_active=True),
            "mobile",
            names,
        ):
            found[profile.mobile] = profile.user
        return found

    def skipped(self, sheet: Sheet, rows: list[Row]) -> None:
        importer = sheet.importer
        if importer is self.forum_sheet:
            for row in rows:
                self.pending["forum"].update(
                    name
                    for name in (
                        row.raw["slug"],
                        row.raw["title"],
                        row.raw["unit_name"],
                    )
                    if name
                )
        elif importer is self.trainee_sheet:
            self.pending["mobile"].update(row.raw["mobile"] for row in rows)
            self.pending["mobile"].update(row.raw["username"] for row in rows)
        elif importer is self.lecturer_sheet:
            self.pending["lecturer"].update(row.raw["name"] for row in rows)
        self._forums = None

    def run(self, tables, *, commit):
        self._forums = None
        return super().run(tables, commit=commit, after_write=_after_write)


def _after_write() -> None:
    # Bulk inserts send no signals: forget what public pages showed.
    invalidate_public_pages()
    refresh_statistics()


SHEET_NAMES = {
    "forums": ("讲坛", "forums"),
    "trainees": ("学员", "trainees", "学员名单"),
    "lecturers": ("讲师", "lecturers"),
    "sessions": ("往期讲座", "past sessions", "sessions", "讲座"),
}


def import_network(files: list[tuple[str, bytes]], *, commit: bool) -> WorkbookReport:
    """Check a workbook (or one csv per sheet, named by the sheet); write it
    all with `commit`, or nothing. Raises `ImportFileError` for a file that
    cannot be read at all."""
    tables = {}
    for name, content in files:
        tables.update(read_tables(name, content))
    return NetworkImport().run(tables, commit=commit)
