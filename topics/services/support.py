"""我也想听: trainees support a topic for their own unit's forum.

The forum's administrators see how many of their people want each topic
(`support_counts`) before they order it. One support per trainee and topic
(a unique constraint backs it).
"""

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from lectures.models import ForumPage
from lectures.models.tree import below_any
from topics.models import Topic, TopicSupport
from topics.services.errors import SupportError


def support(topic: Topic, user) -> TopicSupport:
    """Add the user's support for his unit's forum; twice is once."""
    forum = ForumPage.objects.filter(trainees__user=user).first()
    if forum is None:
        raise SupportError(
            "no_unit", _("Only trainees whose unit has a forum can ask for a topic.")
        )
    if not topic.on_menu:
        raise SupportError("not_on_menu", _("This topic is not on the menu."))
    try:
        with transaction.atomic():
            row, _created = TopicSupport.objects.get_or_create(
                topic=topic, user=user, defaults={"forum": forum}
            )
    except IntegrityError:
        row = TopicSupport.objects.get(topic=topic, user=user)
    return row


def withdraw(topic: Topic, user) -> None:
    TopicSupport.objects.filter(topic=topic, user=user).delete()


def supports(topic: Topic, user) -> bool:
    return (
        user.is_authenticated
        and TopicSupport.objects.filter(topic=topic, user=user).exists()
    )


def support_counts(paths: list[str] | None, limit: int = 50) -> list[dict]:
    """Topics wanted in the forums below `paths` (None: everywhere), most
    wanted first: [{"topic_id", "topic__title", "topic__slug", "forum_id",
    "forum__title", "n"}], one query."""
    rows = TopicSupport.objects.all()
    if paths is not None:
        rows = rows.filter(below_any(paths, "forum__path"))
    return list(
        rows.values(
            "topic_id", "topic__title", "topic__slug", "forum_id", "forum__title"
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "topic__title", "forum__title")[:limit]
    )
