"""The orders' figures for 统计: by state, tier, forum, month and lecturer,
送课下乡, and the topics asked for beyond their lecturers.

An order belongs to the period in which it was placed and to its ordering
forum's subtree; the selection is a `stats.query.ReportQuery`, as every
report's is. Each figure is a count of order rows, by the database, in one
query per table, and every table's rows add up to its totals:

* **placed**: every order; **dispatched**: those now with a lecturer
  (dispatched, accepted or fulfilled — a lecturer who declines hands it
  back); **accepted**: those with a session (accepted or fulfilled);
  **held**: those whose session was held; **fulfilled**, **declined**,
  **cancelled**: by their state; **overdue**: still open and flagged.
* **送课下乡**: held sessions in village forums given by a lecturer
  attached to a district or town/unit forum, and how many of them came
  from an order.
* **Asked for beyond its lecturers**: topics whose demand in the period
  (orders not cancelled, plus trainees asking 我也想听) exceeds
  `DEMAND_PER_LECTURER` per lecturer offering it.
"""

from datetime import date, timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from lectures.models import ForumLevel, ForumPage, SessionStatus
from lectures.models.tree import below
from stats.query import ReportQuery
from topics.models import OrderStatus, Topic, TopicOrder, TopicSupport
from topics.models.orders import OPEN, WITH_LECTURER, WITH_SESSION
from training_site.dates import day_start

DEMAND_PER_LECTURER = 2
FIGURES = (
    "placed",
    "dispatched",
    "accepted",
    "held",
    "fulfilled",
    "declined",
    "cancelled",
    "overdue",
)


def orders_of(query: ReportQuery) -> QuerySet:
    """The orders of a selection: placed in its period, for forums in its
    subtree and tier, for topics of its field and category."""
    lower, upper = query.bounds
    orders = TopicOrder.objects.filter(ordered_at__lt=upper)
    if lower is not None:
        orders = orders.filter(ordered_at__gte=lower)
    if query.forum is not None:
        orders = orders.filter(below(query.forum.path, "forum__path"))
    if query.level:
        orders = orders.filter(forum__level=query.level)
    if query.field is not None:
        orders = orders.filter(topic__field=query.field)
    if query.category is not None:
        orders = orders.filter(topic__category=query.category)
    return orders


def _counts() -> dict:
    return {
        "placed": Count("pk"),
        "dispatched": Count("pk", filter=Q(status__in=WITH_LECTURER)),
        "accepted": Count("pk", filter=Q(status__in=WITH_SESSION)),
        "held": Count(
            "pk",
            filter=Q(status__in=WITH_SESSION, session__status=SessionStatus.HELD),
        ),
        "fulfilled": Count("pk", filter=Q(status=OrderStatus.FULFILLED)),
        "declined": Count("pk", filter=Q(status=OrderStatus.DECLINED)),
        "cancelled": Count("pk", filter=Q(status=OrderStatus.CANCELLED)),
        "overdue": Count("pk", filter=Q(status__in=OPEN, overdue_at__isnull=False)),
    }


def totals(orders: QuerySet) -> dict:
    return orders.aggregate(**_counts())


def by_tier(orders: QuerySet) -> list[dict]:
    found = {
        row["forum__level"]: row
        for row in orders.order_by().values("forum__level").annotate(**_counts())
    }
    return [
        {"key": level, "label": label, **found.get(level, dict.fromkeys(FIGURES, 0))}
        for level, label in ForumLevel.choices
    ]


def by_forum(orders: QuerySet) -> list[dict]:
    return list(
        orders.order_by()
        .values("forum_id", "forum__title", "forum__level")
        .annotate(**_counts())
        .order_by("-placed", "forum__title", "forum_id")
    )


def by_month(orders: QuerySet) -> list[dict]:
    """Months in Asia/Shanghai (the current time zone)."""
    return list(
        orders.order_by()
        .annotate(month=TruncMonth("ordered_at"))
        .values("month")
        .annotate(**_counts())
        .order_by("month")
    )


def by_lecturer(orders: QuerySet) -> list[dict]:
    """Each lecturer's orders now in his hands, accepted, held and fulfilled."""
    return list(
        orders.filter(lecturer__isnull=False)
        .order_by()
        .values("lecturer_id", "lecturer__name", "lecturer__unit")
        .annotate(
            dispatched=Count("pk"),
            waiting=Count("pk", filter=Q(status=OrderStatus.DISPATCHED)),
            accepted=Count("pk", filter=Q(status__in=WITH_SESSION)),
            held=Count("pk", filter=Q(session__status=SessionStatus.HELD)),
            fulfilled=Count("pk", filter=Q(status=OrderStatus.FULFILLED)),
        )
        .order_by("-accepted", "-dispatched", "lecturer__name", "lecturer_id")
    )


def rural_delivery(query: ReportQuery) -> dict:
    """送课下乡: held sessions in village forums by lecturers from above."""
    villages = query.sessions().held().filter(forum__level=ForumLevel.VILLAGE)
    from_above = villages.filter(
        pk__in=villages.filter(
            lecturers__forums__level__in=(ForumLevel.DISTRICT, ForumLevel.UNIT)
        ).values("pk")
    )
    return from_above.aggregate(
        sessions=Count("pk"),
        ordered=Count("pk", filter=Q(topic_order__isnull=False)),
    )


def _per_topic(rows: QuerySet):
    return Coalesce(
        Subquery(
            rows.filter(topic=OuterRef("pk"))
            .order_by()
            .values("topic")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def under_served(query: ReportQuery, orders: QuerySet, limit: int = 20) -> list:
    """The most requested topics with too few lecturers, most asked first."""
    wanted = TopicSupport.objects.all()
    if query.forum is not None:
        wanted = wanted.filter(below(query.forum.path, "forum__path"))
    lower, upper = query.bounds
    wanted = wanted.filter(created_at__lt=upper)
    if lower is not None:
        wanted = wanted.filter(created_at__gte=lower)
    lecturers = Topic.lecturers.through.objects.filter(topic=OuterRef("pk"))
    return list(
        Topic.objects.annotate(
            ordered=_per_topic(orders.exclude(status=OrderStatus.CANCELLED)),
            waiting=_per_topic(orders.filter(status=OrderStatus.ORDERED)),
            asking=_per_topic(wanted),
            lecturer_count=Coalesce(
                Subquery(
                    lecturers.order_by()
                    .values("topic")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .annotate(demand=F("ordered") + F("asking"))
        .filter(demand__gt=F("lecturer_count") * DEMAND_PER_LECTURER)
        .order_by("-demand", "title", "pk")
        .values(
            "pk",
            "title",
            "ordered",
            "waiting",
            "asking",
            "demand",
            "lecturer_count",
        )[:limit]
    )


def work_report_sentence(stats) -> str | None:
    """The orders of a network report's selection (`stats.figures.
    NetworkStats`: its period, subtree, tier, field and category) in one
    sentence for the work-report paragraph; None when there were none."""
    orders = TopicOrder.objects.filter(
        ordered_at__gte=day_bound(stats.period["from"]),
        ordered_at__lt=day_bound(stats.period["to"], after=True),
    )
    if stats.forum:
        forum = ForumPage.objects.filter(slug=stats.forum["slug"]).first()
        if forum is not None:
            orders = orders.filter(below(forum.path, "forum__path"))
    filters = stats.filters or {}
    if filters.get("level"):
        orders = orders.filter(forum__level=filters["level"])
    if filters.get("field"):
        orders = orders.filter(topic__field__slug=filters["field"])
    if filters.get("category"):
        orders = orders.filter(topic__category__slug=filters["category"])
    figures = totals(orders)
    if not figures["placed"]:
        return None
    return _(
        "Forums ordered %(placed)s lecture(s) from the topic menu (点单), "
        "%(accepted)s of them were accepted by their lecturers and %(held)s "
        "held."
    ) % {name: f"{figures[name]:,}" for name in ("placed", "accepted", "held")}


def day_bound(day: str, *, after: bool = False):
    """Midnight (Asia/Shanghai) starting the ISO `day`, or the day after."""
    value = date.fromisoformat(day)
    return day_start(value + timedelta(days=1) if after else value)
