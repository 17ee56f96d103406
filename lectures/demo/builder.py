"""Builds the demo network at the seed's size (or N times it), deterministically.

The seed reports: 1 district 大讲坛, 57 小讲坛, 48 微讲坛, 520+ sessions held in
about a year and nearly 20,000 person-times. Every figure here is chosen so
that a fresh database shows exactly that; `--scale N` multiplies forums,
lecturers and sessions for benchmarks.
"""

import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from wagtail import hooks

from lectures.demo import data
from lectures.demo.pages import PageBatch, bulk_add_objects
from lectures.demo.rows import insert_rows
from lectures.models import (
    Attendance,
    AttendanceStatus,
    Category,
    CheckInMethod,
    DistrictForumPage,
    Field,
    ForumPage,
    Lecturer,
    OtherAttendees,
    Rank,
    Registration,
    RegistrationStatus,
    SessionPage,
    SessionStatus,
    TraineeProfile,
    UnitForumPage,
    VillageForumPage,
)
from training_site.models import HomePage
from training_site.page_cache import invalidate_public_pages

DEMO_USERNAMES = (
    "demo_admin",
    "demo_town",
    "demo_village",
    "demo_lecturer",
    "demo_trainee",
)

# Held sessions per tier and their typical head-count, per unit of scale:
# 52×112 + 312×32 + 156×24 ≈ 19,550 planned; the spread lands near 19,900.
HELD_PLAN = {"district": (52, 112), "unit": (312, 32), "village": (156, 24)}
UPCOMING_PER_SCALE = 40
UPCOMING_DAYS = 56
HISTORY_DAYS = 365
TRAINEES_PER_SCALE = 3000
# District and town/unit sessions keep a roster (签到表); village sessions
# declare a head-count.
ROSTER_LEVELS = {"district", "unit"}
POSITIONS = ("科员", "副科长", "科长", "副主任", "主任", "村（社区）干部", "办事员")
# Ranks of the cadres of towns and district units, as often as they come
# (a village's cadres are 村（社区）干部); six, as the draws were before.
RANKS = ("一般干部", "一般干部", "乡科级副职", "乡科级正职", "一般干部", "县处级")
VILLAGE_RANK = "村（社区）干部"
SESSION_TIMES = (time(9, 0), time(14, 30), time(19, 0))
# Pages and participation rows are written every this many sessions, so a
# build at 100× never holds two million rows in memory.
FLUSH_EVERY = 2000
#: Every this many held sessions, a town session also records people who are
#: not registered cadres.
OTHERS_EVERY = 6


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or "demo1234"


def database_is_empty() -> bool:
    return not ForumPage.objects.exists()


@dataclass
class DemoSummary:
    forums: dict[str, int] = field(default_factory=dict)
    lecturers: int = 0
    trainees: int = 0
    sessions_held: int = 0
    sessions_upcoming: int = 0
    person_times: int = 0


def refresh_statistics() -> None:
    """Let PostgreSQL's planner know the tables were just filled (it would
    otherwise plan for empty tables until autovacuum's next round, and some
    reports would take minutes). SQLite plans well without statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@dataclass
class DemoBuilder:
    scale: int = 1
    seed: int = 2026
    progress: Callable[[Iterator, int, str], Iterator] = lambda items, total, desc: (
        items
    )
    now: datetime = field(default_factory=timezone.now)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.today = timezone.localdate(self.now)
        self.summary = DemoSummary()
        self._slug_counter = 0
        # (session, user, status, confirmed_at) and (session, user, status,
        # method, checked_in_at, leave_reason), written by _flush().
        self.registrations: list[tuple] = []
        self.attendances: list[tuple] = []
        # (session, how many came who are not registered cadres).
        self.others: list[tuple] = []
        self.pages = PageBatch()
        self._numbers: dict[int, int] = {}

    # Entry point -----------------------------------------------------------

    @transaction.atomic
    def build(self) -> DemoSummary:
        self.fields = self._taxonomy(Field, data.FIELDS)
        self.categories = self._taxonomy(Category, data.CATEGORIES)
        self.district = self._district()
        self.units, self.villages = self._network()
        self.lecturers = self._lecturers()
        self.trainees = self._trainees()
        self._held_sessions()
        self._upcoming_sessions()
        self._flush()
        self._accounts()
        self._flush()
        # Other parts (evaluations, training classes) add their demo data
        # through the `build_demo` hook, so this module never imports them.
        for extend in hooks.get_hooks("build_demo"):
            extend(self)
        self._flush()
        # Bulk inserts send no signals: forget what public pages showed.
        invalidate_public_pages()
        refresh_statistics()
        self.summary.forums = {
            "district": 1,
            "unit": len(self.units),
            "village": len(self.villages),
        }
        return self.summary

    def _flush(self) -> None:
        """Write pending pages, then the participation rows that refer to them."""
        self.pages.flush()
        insert_rows(
            Registration,
            ["session_id", "user_id", "status", "confirmed_at", "created_at"],
            [(s.pk, u.pk, st, at, self.now) for s, u, st, at in self.registrations],
        )
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
            [(s.pk, u.pk, *rest, self.now) for s, u, *rest in self.attendances],
        )
        insert_rows(
            OtherAttendees,
            ["session_id", "count", "updated_at"],
            [(s.pk, count, self.now) for s, count in self.others],
        )
        self.registrations, self.attendances, self.others = [], [], []

    # Network -----------------------------------------------------------------

    def _taxonomy(self, model, pairs):
        objects = {}
        for order, (slug, name) in enumerate(pairs):
            obj, _ = model.objects.update_or_create(
                slug=slug, defaults={"name": name, "sort_order": order}
            )
            objects[slug] = obj
        return objects

    def _forum_fields(self, spec: dict, copy: int) -> dict:
        suffix = "" if copy == 0 else f"（{copy + 1}）"
        slug = spec["slug"] if copy == 0 else f"{spec['slug']}-{copy + 1}"
        founded = date(2019, 1, 1) + timedelta(days=self.rng.randrange(0, 5 * 365))
        return {
            "title": spec["title"] + suffix,
            "slug": slug,
            "unit_kind": spec["unit_kind"],
            "unit_name": spec["unit_name"] + suffix,
            "introduction": f"<p>{spec['unit_name']}{suffix}干部讲坛立足本地实际，"
            "分层次、分领域、分类别组织干部学习。</p>",
            "contact_name": self.rng.choice(data.TRAINEE_SURNAMES) + "老师",
            "contact_phone": f"0571-8{self.rng.randrange(1000000, 9999999)}",
            "founded_on": founded,
            "live": True,
            "first_published_at": self.now,
            "last_published_at": self.now,
        }

    def _district(self) -> DistrictForumPage:
        home = HomePage.objects.get()
        district = DistrictForumPage(**self._forum_fields(data.DISTRICT, 0))
        district.founded_on = date(2018, 6, 1)
        return home.add_child(instance=district)

    def _network(self):
        units, villages = [], []
        unit_specs = [(spec, copy) for copy in range(self.scale) for spec in data.UNITS]
        by_slug = {}
        for spec, copy in self.progress(unit_specs, len(unit_specs), "小讲坛"):
            unit = self._forum(self.district, UnitForumPage, spec, copy)
            by_slug[(spec["slug"], copy)] = unit
            units.append(unit)
        self.pages.flush()
        village_specs = [
            (spec, copy) for copy in range(self.scale) for spec in data.VILLAGES
        ]
        for spec, copy in self.progress(village_specs, len(village_specs), "微讲坛"):
            parent = by_slug[(spec["parent"], copy)]
            villages.append(self._forum(parent, VillageForumPage, spec, copy))
        self.pages.flush()
        return units, villages

    def _forum(self, parent, model, spec: dict, copy: int) -> ForumPage:
        forum = model(**self._forum_fields(spec, copy))
        forum.level = model.forum_level  # what ForumPage.save() would set
        return self.pages.add(parent, forum)

    def _lecturers(self) -> list[Lecturer]:
        lecturers = []
        forums = [self.district, *self.units]
        for copy in range(self.scale):
            for spec in data.LECTURERS:
                suffix = "" if copy == 0 else str(copy + 1)
                lecturer = Lecturer(
                    name=spec["name"] + suffix,
                    title=spec["title"],
                    unit=spec["unit"],
                    biography=f"<p>{spec['name']}，{spec['title']}，长期从事"
                    f"{self.fields[spec['fields'][0]].name}方面的研究与教学。</p>",
                )
                lecturer.fields.set([self.fields[slug] for slug in spec["fields"]])
                lecturer.forums.set([self.rng.choice(forums)])
                lecturers.append(lecturer)
        # No user accounts yet, so no lecturers' groups to join (the save
        # signal would find nothing to do).
        bulk_add_objects(Lecturer, lecturers)
        self.summary.lecturers = len(lecturers)
        return lecturers

    def _trainees(self) -> list:
        """Cadres across the units, written as plain rows (one password hash
        for all): 300,000 accounts and profiles at 100×."""
        User = get_user_model()
        password = make_password(demo_password())
        units = [*self.units, *self.villages]
        total = TRAINEES_PER_SCALE * self.scale
        insert_rows(
            User,
            [
                "username",
                "password",
                "last_name",
                "first_name",
                "email",
                "is_superuser",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            [
                (
                    f"t{13900000000 + n}",
                    password,
                    self.rng.choice(data.TRAINEE_SURNAMES),
                    self.rng.choice(data.TRAINEE_GIVEN),
                    "",
                    False,
                    False,
                    True,
                    self.now,
                )
                for n in range(total)
            ],
        )
        users = list(User.objects.filter(username__startswith="t139").order_by("pk"))
        ranks = demo_ranks()
        villages = {village.pk for village in self.villages}

        def rank_at(unit, drawn: str) -> int:
            return ranks[VILLAGE_RANK if unit.pk in villages else drawn].pk

        insert_rows(
            TraineeProfile,
            [
                "user_id",
                "real_name",
                "mobile",
                "unit_forum_id",
                "unit_name",
                "position",
                "rank_id",
            ],
            [
                (
                    user.pk,
                    user.last_name + user.first_name,
                    user.username[1:],
                    unit.pk,
                    "",
                    position,
                    rank_at(unit, drawn),
                )
                for user in users
                for unit, position, drawn in [
                    (
                        self.rng.choice(units),
                        self.rng.choice(POSITIONS),
                        self.rng.choice(RANKS),
                    )
                ]
            ],
        )
        self.summary.trainees = len(users)
        return users

    def _confirm(self, session: SessionPage, user, at: datetime) -> None:
        self.registrations.append((session, user, RegistrationStatus.CONFIRMED, at))

    def _roster(self, session: SessionPage, headcount: int) -> None:
        """Registrations and attendance for a held session that kept a roster."""
        expected = self.rng.sample(self.trainees, headcount + max(1, headcount // 20))
        for index, user in enumerate(expected):
            self._confirm(session, user, session.start - timedelta(days=3))
            if index < headcount:
                late = self.rng.random() < 0.08
                status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
                arrived = session.start + timedelta(minutes=15 if late else -10)
            else:
                status = self.rng.choice(
                    (AttendanceStatus.ON_LEAVE, AttendanceStatus.ABSENT)
                )
                arrived = None
            method = CheckInMethod.QR if arrived else CheckInMethod.ROSTER
            reason = "工作冲突" if status == AttendanceStatus.ON_LEAVE else ""
            self.attendances.append((session, user, status, method, arrived, reason))

    # Sessions ----------------------------------------------------------------

    def _forums_of(self, level: str) -> list[ForumPage]:
        return {
            "district": [self.district],
            "unit": self.units,
            "village": self.villages,
        }[level]

    def _at(self, day: date) -> datetime:
        start = datetime.combine(day, self.rng.choice(SESSION_TIMES))
        return timezone.make_aware(start)

    def _venue(self, forum: ForumPage) -> str:
        pattern = self.rng.choice(data.VENUES[forum.unit_kind])
        return pattern.format(unit=forum.unit_name)

    def _session(self, forum: ForumPage, start: datetime, **extra) -> SessionPage:
        field_slug, field_obj = self.rng.choice(list(self.fields.items()))
        self._slug_counter += 1
        hours = self.rng.choice((Decimal("1.5"), Decimal("2.0"), Decimal("3.0")))
        lecturer_count = 2 if self.rng.random() < 0.15 else 1
        session = SessionPage(
            forum=forum,
            title=self.rng.choice(data.SESSION_TITLES[field_slug]),
            slug=f"{start:%Y%m%d}-{self._slug_counter}",
            start=start,
            end=start + timedelta(hours=float(hours)),
            venue=self._venue(forum),
            field=field_obj,
            category=self.rng.choice(list(self.categories.values())),
            lecturers=self.rng.sample(self.lecturers, lecturer_count),
            audience=self.rng.choice(data.AUDIENCES),
            study_hours=hours,
            live=True,
            first_published_at=self.now,
            last_published_at=self.now,
            **extra,
        )
        # What SessionPage.save() does for a new page: its forum's next 第N期.
        self._numbers[forum.pk] = self._numbers.get(forum.pk, 0) + 1
        session.number = self._numbers[forum.pk]
        return self.pages.add(forum, session)

    def _held_sessions(self):
        plan = [
            (level, headcount)
            for level, (count, headcount) in HELD_PLAN.items()
            for _ in range(count * self.scale)
        ]
        for index, (level, typical) in enumerate(
            self.progress(plan, len(plan), "已开讲")
        ):
            if index and index % FLUSH_EVERY == 0:
                self._flush()
            forum = self.rng.choice(self._forums_of(level))
            day = self.today - timedelta(days=self.rng.randrange(1, HISTORY_DAYS))
            headcount = max(5, round(self.rng.gauss(typical, typical * 0.2)))
            roster = level in ROSTER_LEVELS
            session = self._session(
                forum,
                self._at(day),
                status=SessionStatus.HELD,
                headcount=None if roster else headcount,
            )
            if roster:
                self._roster(session, headcount)
                # Some town sessions are open to the public too: villagers
                # and people of other units, counted on the roster page.
                # (Chosen by position, not by the random stream, which the
                # rest of the demo follows.)
                if level == "unit" and index % OTHERS_EVERY == 1:
                    others = max(5, headcount // 2)
                    self.others.append((session, others))
                    self.summary.person_times += others
            # The first lecturer in Lecturer's ordering (name, pk).
            lecturer = min(session.lecturers.all(), key=lambda x: (x.name, x.pk))
            summary = self.rng.choice(data.RECORD_SUMMARIES).format(
                lecturer=lecturer.name, title=session.title, headcount=headcount
            )
            session.record_summary = f"<p>{summary}</p>"
            self.summary.sessions_held += 1
            self.summary.person_times += headcount

    def _upcoming_sessions(self):
        self.upcoming: list[SessionPage] = []
        total = UPCOMING_PER_SCALE * self.scale
        levels = ["district"] * 4 + ["unit"] * 24 + ["village"] * 12
        for index in self.progress(range(total), total, "未开讲"):
            if index and index % FLUSH_EVERY == 0:
                self._flush()
            forum = self.rng.choice(self._forums_of(levels[index % len(levels)]))
            day = self.today + timedelta(days=self.rng.randrange(1, UPCOMING_DAYS))
            start = self._at(day)
            status = SessionStatus.SCHEDULED
            if index % 20 == 7:
                status = SessionStatus.POSTPONED
            elif index % 20 == 13:
                status = SessionStatus.CANCELLED
            capacity = self.rng.choice((30, 50, 80, 120, 200))
            session = self._session(
                forum,
                start,
                status=status,
                capacity=capacity,
                registration_opens=start - timedelta(days=14),
                registration_closes=start - timedelta(hours=2),
            )
            self.upcoming.append(session)
            if status == SessionStatus.SCHEDULED:
                for user in self.rng.sample(self.trainees, capacity // 2):
                    self._confirm(session, user, self.now)
            self.summary.sessions_upcoming += 1

    # Accounts ----------------------------------------------------------------

    def _accounts(self):
        town = self.units[0]
        village = VillageForumPage.objects.child_of(town).order_by("path").first()
        password = demo_password()
        self._user(
            "demo_admin", "组织部", "管理员", password, self.district.admin_group
        )
        self._user("demo_town", town.unit_name, "管理员", password, town.admin_group)
        self._user(
            "demo_village", village.unit_name, "管理员", password, village.admin_group
        )
        lecturer_user = self._user("demo_lecturer", "王", "讲师", password, None)
        lecturer = self.lecturers[0]
        lecturer.user = lecturer_user
        lecturer.forums.set([town])
        lecturer.save()
        trainee = self._user("demo_trainee", "李", "学员", password, None)
        TraineeProfile.objects.create(
            user=trainee,
            real_name="李学员",
            mobile="13700000000",
            unit_forum=town,
            position="党政办副主任",
            rank=demo_ranks()["乡科级副职"],
        )
        self._demo_trainee_history(trainee, town)

    def _demo_trainee_history(self, trainee, town) -> None:
        """His twelve latest sessions attended (this year's earn his hours:
        none on New Year's Day), and upcoming registrations, some open."""
        attended = list(
            SessionPage.objects.filter(
                status=SessionStatus.HELD,
                forum__level__in=ROSTER_LEVELS,
                start__lte=self.now,
            ).order_by("-start")[:12]
        )
        self.summary.person_times += len(attended)
        for session in attended:
            self._confirm(session, trainee, session.start - timedelta(days=2))
            arrived = session.start - timedelta(minutes=5)
            self.attendances.append(
                (
                    session,
                    trainee,
                    AttendanceStatus.PRESENT,
                    CheckInMethod.QR,
                    arrived,
                    "",
                )
            )
        open_now = [
            s
            for s in self.upcoming
            if s.status == SessionStatus.SCHEDULED
            and s.registration_opens <= self.now < s.registration_closes
        ]
        for session in open_now[:2]:
            self._confirm(session, trainee, self.now)

    def _user(
        self, username: str, last: str, first: str, password: str, group: Group | None
    ):
        user = get_user_model().objects.create_user(
            username=username, password=password, last_name=last, first_name=first
        )
        if group is not None:
            user.groups.add(group)
        return user


@transaction.atomic
def demo_ranks() -> dict[str, Rank]:
    """The default ranks by name (made by the migration; again if the
    district has since removed one)."""
    names = {*RANKS, VILLAGE_RANK}
    ranks = {rank.name: rank for rank in Rank.objects.filter(name__in=names)}
    for name in names - set(ranks):
        ranks[name] = Rank.objects.create(name=name)
    return ranks


def reset_demo() -> None:
    """Remove the network, its people and groups, leaving the home page."""
    district = DistrictForumPage.objects.first()
    groups = Group.objects.filter(
        administered_forum__isnull=False
    ) | Group.objects.filter(lecturing_forum__isnull=False)
    group_ids = list(groups.values_list("pk", flat=True))
    for remove in hooks.get_hooks("reset_demo"):
        remove()
    # Participation rows protect their sessions; the demo's go first.
    Attendance.objects.all().delete()
    Registration.objects.all().delete()
    OtherAttendees.objects.all().delete()
    get_user_model().objects.filter(trainee__isnull=False).delete()
    if district is not None:
        district.delete()
    Group.objects.filter(pk__in=group_ids).delete()
    Lecturer.objects.all().delete()
    get_user_model().objects.filter(username__in=DEMO_USERNAMES).delete()
    Field.objects.all().delete()
    Category.objects.all().delete()
