"""The demo's menu and a year of orders, added through `build_demo`.

About forty topics from the demo's lecturers (a few waiting for approval,
one returned, two not offered now); `demo_lecturer` offers two on the menu
and has one waiting for `demo_town`'s approval. The year's history: orders
whose sessions were held (most marked fulfilled) are tied to the demo's
held sessions of the same lecturer and forum; the rest go through the
services with the clock set to when they happened — waiting for dispatch,
dispatched, declined, cancelled, some of them overdue — and `demo_lecturer`
has one order waiting for him and one accepted, its session drafted in a
village and waiting there for approval. Trainees ask for a few topics
(我也想听), some far beyond their lecturers.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model

from lectures.demo import data
from lectures.models import (
    ForumLevel,
    SessionKind,
    SessionPage,
    SessionStatus,
    TraineeProfile,
)
from topics.models import OrderStatus, Topic, TopicOrder, TopicStatus, TopicSupport
from topics.services import orders

TOPICS = 40
SUMMARY = (
    "结合{field}领域的最新政策和基层实践，围绕“{title}”进行专题讲授，"
    "辅以身边典型案例，讲清楚为什么做、做什么、怎么做，课后留出交流答疑时间。"
)
NOTES = (
    "希望结合本村实际，多讲具体做法。",
    "参加人员以村（社区）两委成员为主。",
    "时间尽量安排在晚上，方便群众参加。",
    "",
    "",
)
DECLINE_REASONS = ("本季度讲师课程已排满", "该选题暂不面向本层级开放")
CANCEL_REASONS = ("时间与防汛工作冲突，暂缓安排", "已安排同类专题，取消本次点单")
REFUSE_REASON = "该时段已有授课任务"


class TopicDemo:
    def __init__(self, builder):
        self.builder = builder
        self.rng = random.Random(builder.seed + 7)
        self.now = builder.now
        self.today = builder.today
        User = get_user_model()
        self.admin = User.objects.get(username="demo_admin")
        self.lecturer_user = User.objects.get(username="demo_lecturer")
        self.town = builder.units[0]
        self.village = (
            builder.villages[0]
            if builder.villages[0].path.startswith(self.town.path)
            else next(v for v in builder.villages if v.path.startswith(self.town.path))
        )

    def build(self) -> None:
        topics = self._topics()
        menu = [t for t in topics if t.on_menu]
        self._history(menu)
        self._open_orders(menu)
        self._demo_lecturer(menu)
        orders.flag_overdue(now=self.now)
        self._supports(menu)

    # The menu -------------------------------------------------------------------

    def _topics(self) -> list[Topic]:
        lecturers = self.builder.lecturers[: len(data.LECTURERS)]
        used: dict[str, int] = {}
        topics = []
        categories = list(self.builder.categories.values())
        for index in range(TOPICS):
            # demo_lecturer (the first) offers three; the others one or two.
            position = 0 if index < 3 else 1 + (index - 3) % (len(lecturers) - 1)
            lecturer = lecturers[position]
            field_slug = data.LECTURERS[position]["fields"][0]
            titles = data.SESSION_TITLES[field_slug]
            number = used.get(field_slug, 0)
            used[field_slug] = number + 1
            title = titles[number % len(titles)]
            if number >= len(titles):
                title = f"{title}（{number // len(titles) + 1}）"
            field = self.builder.fields[field_slug]
            status = TopicStatus.APPROVED
            if index in (2, 17, 29):
                status = TopicStatus.PROPOSED
            elif index == 23:
                status = TopicStatus.RETURNED
            topic = Topic.objects.create(
                title=title,
                slug=f"{field_slug}-{number + 1}",
                summary=SUMMARY.format(field=field.name, title=title),
                field=field,
                category=self.rng.choice(categories),
                audience=self.rng.choice(data.AUDIENCES),
                tier=self.rng.choice(("", "", ForumLevel.VILLAGE, ForumLevel.UNIT)),
                duration_minutes=self.rng.choice((90, 120, 150)),
                study_hours=self.rng.choice((1.5, 2, 2.5)),
                is_offered=index not in (31, 37),
                status=status,
                proposed_by=lecturer.user or self.admin,
                reviewed_by=None if status == TopicStatus.PROPOSED else self.admin,
                reviewed_at=None if status == TopicStatus.PROPOSED else self.now,
                review_note="请补充课程提纲和案例"
                if status == TopicStatus.RETURNED
                else "",
            )
            topic.lecturers.add(lecturer)
            if index % 9 == 4:
                topic.lecturers.add(self.rng.choice(lecturers[1:]))
            topics.append(topic)
        return topics

    # A year behind us -----------------------------------------------------------

    def _history(self, menu: list[Topic]) -> None:
        """Orders whose session was held: the demo's own held sessions of
        the topic's lecturer, renamed after the topic."""
        taken: set[int] = set()
        rows = []
        for topic in menu:
            lecturer = topic.lecturers.first()
            held = list(
                SessionPage.objects.filter(
                    status=SessionStatus.HELD,
                    kind=SessionKind.LECTURE,
                    lecturers=lecturer,
                    start__lt=self.now - timedelta(days=3),
                )
                .select_related("forum")
                .order_by("-start")[:12]
            )
            held = [s for s in held if s.pk not in taken]
            for session in self.rng.sample(held, min(len(held), 4)):
                taken.add(session.pk)
                ordered = session.start - timedelta(days=self.rng.randrange(20, 45))
                fulfilled = self.rng.random() < 0.8
                rows.append(
                    TopicOrder(
                        topic=topic,
                        forum=session.forum,
                        status=OrderStatus.FULFILLED
                        if fulfilled
                        else OrderStatus.ACCEPTED,
                        preferred_from=(session.start - timedelta(days=7)).date(),
                        preferred_to=(session.start + timedelta(days=14)).date(),
                        audience_size=self.rng.choice((30, 50, 80, 120)),
                        note=self.rng.choice(NOTES),
                        ordered_by=self.admin,
                        ordered_at=ordered,
                        lecturer=lecturer,
                        dispatched_by=self.admin,
                        dispatched_at=ordered + timedelta(days=2),
                        accepted_at=ordered + timedelta(days=4),
                        session=session,
                        closed_at=session.end + timedelta(days=2)
                        if fulfilled
                        else None,
                    )
                )
                SessionPage.objects.filter(pk=session.pk).update(
                    title=topic.title, draft_title=topic.title
                )
        TopicOrder.objects.bulk_create(rows)

    def _forum_for(self, topic: Topic):
        villages, units = self.builder.villages, self.builder.units
        if topic.tier == ForumLevel.UNIT:
            return self.rng.choice(units)
        return self.rng.choice(villages if self.rng.random() < 0.7 else units)

    def _open_orders(self, menu: list[Topic]) -> None:
        """Orders in every other state, through the services."""
        offered = [t for t in menu if t.offered_to_id is None]
        plan = (
            ["ordered"] * 8
            + ["dispatched"] * 8
            + ["declined"] * 5
            + ["cancelled"] * 4
            + ["refused"] * 2
        )
        for index, outcome in enumerate(plan):
            topic = self.rng.choice(offered)
            forum = self._forum_for(topic)
            # Some wait far longer than a week: they are flagged overdue.
            days_ago = (
                self.rng.randrange(1, 5)
                if index % 2 == 0 and outcome in ("ordered", "dispatched")
                else self.rng.randrange(12, 330)
            )
            placed = self.now - timedelta(days=days_ago, hours=self.rng.randrange(24))
            start_day = placed.date() + timedelta(days=10)
            order = orders.place(
                topic,
                forum,
                self.admin,
                preferred_from=start_day,
                preferred_to=start_day + timedelta(days=30),
                audience_size=self.rng.choice((30, 40, 60, 100)),
                note=self.rng.choice(NOTES),
                now=placed,
            )
            later = placed + timedelta(hours=self.rng.randrange(6, 48))
            lecturer = topic.lecturers.first()
            if outcome == "dispatched":
                orders.dispatch(order.pk, self.admin, lecturer, now=later)
            elif outcome == "declined":
                orders.decline(
                    order.pk, self.admin, self.rng.choice(DECLINE_REASONS), now=later
                )
            elif outcome == "cancelled":
                orders.cancel(
                    order.pk, self.admin, self.rng.choice(CANCEL_REASONS), now=later
                )
            elif outcome == "refused" and lecturer.user_id is not None:
                orders.dispatch(order.pk, self.admin, lecturer, now=later)
                orders.refuse(order.pk, lecturer.user, REFUSE_REASON)

    def _demo_lecturer(self, menu: list[Topic]) -> None:
        """One order waiting for demo_lecturer, one he accepted."""
        mine = [t for t in menu if t.lecturers.filter(user=self.lecturer_user).exists()]
        lecturer = self.lecturer_user.lecturer
        villages = [
            v for v in self.builder.villages if v.path.startswith(self.town.path)
        ]
        for topic, forum, accept in (
            (mine[0], self.village, False),
            (mine[-1], villages[-1], True),
        ):
            placed = self.now - timedelta(days=2)
            order = orders.place(
                topic,
                forum,
                self.admin,
                preferred_from=self.today + timedelta(days=7),
                preferred_to=self.today + timedelta(days=30),
                audience_size=40,
                note=NOTES[0],
                now=placed,
            )
            orders.dispatch(order.pk, self.admin, lecturer, now=placed)
            if accept:
                start = (self.now + timedelta(days=12)).replace(
                    hour=14, minute=30, second=0, microsecond=0
                )
                orders.accept(
                    order.pk,
                    self.lecturer_user,
                    start=start,
                    venue=f"{forum.unit_name}党群服务中心",
                    now=self.now,
                )

    def _supports(self, menu: list[Topic]) -> None:
        """我也想听: many ask for a few topics, a few for many."""
        people = list(
            TraineeProfile.objects.filter(unit_forum__isnull=False)
            .order_by("pk")
            .values_list("user_id", "unit_forum_id")[:600]
        )
        wanted = self.rng.sample(menu, min(len(menu), 12))
        weights = [12, 9, 7, 5, 4, 3, 2, 2, 1, 1, 1, 1][: len(wanted)]
        rows = {}
        for user_id, forum_id in self.rng.sample(people, min(len(people), 200)):
            topic = self.rng.choices(wanted, weights=weights)[0]
            rows[(topic.pk, user_id)] = TopicSupport(
                topic=topic, user_id=user_id, forum_id=forum_id
            )
        TopicSupport.objects.bulk_create(rows.values())


def build_topics(builder) -> None:
    TopicDemo(builder).build()


def remove_topics() -> None:
    """Orders protect their sessions and topics: they go first."""
    TopicSupport.objects.all().delete()
    TopicOrder.objects.all().delete()
    Topic.objects.all().delete()
