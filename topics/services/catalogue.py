"""What the menu shows about topics: the sessions held from them and how
they were rated. Every function answers in a fixed number of queries."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lectures.models import SessionPage, SessionStatus
from lectures.services import evaluation_results as results
from topics.models import OrderStatus, Topic


def sessions_from(topic: Topic) -> QuerySet:
    """Live sessions drafted from the topic's orders."""
    return SessionPage.objects.live().filter(topic_order__topic=topic)


def held_sessions(topic: Topic) -> QuerySet:
    return sessions_from(topic).filter(status=SessionStatus.HELD)


def with_counts(topics: QuerySet) -> QuerySet:
    """Each topic with how many sessions were held from it and how many
    orders it has had (any state but cancelled), as subqueries."""
    held = (
        SessionPage.objects.live()
        .filter(topic_order__topic=OuterRef("pk"), status=SessionStatus.HELD)
        .order_by()
        .values("topic_order__topic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return topics.annotate(
        held_count=Coalesce(Subquery(held, output_field=IntegerField()), 0),
        order_count=Count("orders", filter=~Q(orders__status=OrderStatus.CANCELLED)),
    )


def rating(topic: Topic) -> results.Summary | None:
    """The topic's evaluation summary over its held sessions, or None while
    no session has the responses needed to show answers (3)."""
    summary = results.summary(held_sessions(topic))
    return summary if summary.sessions_shown else None
