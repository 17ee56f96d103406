"""Telling the next actor: one function per event.

The notification service does not exist on this branch yet; until it does,
each function leaves a log entry on the order or topic (shown in the
admin's history) naming who is to be told. Each `# notify:` comment names
the recipients and the kind for `notify(recipients, kind, context)`.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from lectures.models import ForumPage
from topics.models import Topic, TopicOrder

ACTIONS = {
    "topics.notice.topic_proposed": gettext_lazy("Reviewers told of a new topic"),
    "topics.notice.topic_reviewed": gettext_lazy("Lecturers told of the review"),
    "topics.notice.order_placed": gettext_lazy("Dispatchers told of the order"),
    "topics.notice.order_dispatched": gettext_lazy("Lecturer told of the order"),
    "topics.notice.order_declined": gettext_lazy("Ordering forum told it was declined"),
    "topics.notice.order_refused": gettext_lazy(
        "Dispatchers told the lecturer declined"
    ),
    "topics.notice.order_accepted": gettext_lazy("Ordering forum told of the session"),
    "topics.notice.order_cancelled": gettext_lazy("Lecturer told of the cancellation"),
    "topics.notice.order_fulfilled": gettext_lazy("Lecturer told it was fulfilled"),
    "topics.notice.order_overdue": gettext_lazy("Forum above told the order is late"),
}


def _admins_of(forums) -> list[int]:
    """Users in the administrators' groups of these forums and those above."""
    paths = set()
    for forum in forums:
        paths |= {forum.path[:i] for i in range(4, len(forum.path) + 1, 4)}
    return list(
        get_user_model()
        .objects.filter(groups__administered_forum__path__in=paths)
        .values_list("pk", flat=True)
        .distinct()
    )


def _holding_forums(topic: Topic) -> list[ForumPage]:
    return list(ForumPage.objects.filter(lecturers__topics=topic).distinct())


def _tell(instance, kind: str, recipients: list[int], **context) -> None:
    log(
        instance=instance,
        action=f"topics.notice.{kind}",
        data={"recipients": sorted(set(recipients)), **context},
    )


def _lecturer_users(topic: Topic) -> list[int]:
    return [uid for uid in topic.lecturers.values_list("user", flat=True) if uid]


def topic_proposed(topic: Topic) -> None:
    # notify: administrators of the forums holding the topic's lecturers,
    # kind "topics.topic_proposed" (a topic waits for their approval).
    _tell(topic, "topic_proposed", _admins_of(_holding_forums(topic)))


def topic_reviewed(topic: Topic) -> None:
    # notify: the topic's lecturers, kind "topics.topic_reviewed"
    # (approved into the menu, or returned with a note).
    _tell(topic, "topic_reviewed", _lecturer_users(topic), status=topic.status)


def order_placed(order: TopicOrder) -> None:
    # notify: administrators of the forums holding the topic's lecturers,
    # kind "topics.order_placed" (an order waits for dispatch).
    _tell(order, "order_placed", _admins_of(_holding_forums(order.topic)))


def order_dispatched(order: TopicOrder) -> None:
    # notify: the dispatched lecturer's user, kind "topics.order_dispatched"
    # (an order waits for him to accept or decline).
    users = [order.lecturer.user_id] if order.lecturer.user_id else []
    _tell(order, "order_dispatched", users)


def order_declined(order: TopicOrder) -> None:
    # notify: administrators of the ordering forum, kind "topics.order_declined",
    # with the reason.
    _tell(order, "order_declined", _admins_of([order.forum]), reason=order.reason)


def order_refused(order: TopicOrder, lecturer_id: int) -> None:
    # notify: administrators of the forums holding the topic's lecturers,
    # kind "topics.order_refused" (dispatch again), with the reason.
    _tell(
        order,
        "order_refused",
        _admins_of(_holding_forums(order.topic)),
        reason=order.reason,
        lecturer=lecturer_id,
    )


def order_accepted(order: TopicOrder) -> None:
    # notify: administrators of the ordering forum, kind "topics.order_accepted"
    # (the session draft waits for their approval; the approval task also
    # tells them through lectures.notifications).
    _tell(order, "order_accepted", _admins_of([order.forum]), session=order.session_id)


def order_cancelled(order: TopicOrder) -> None:
    # notify: the dispatched lecturer's user if any, else the dispatchers,
    # kind "topics.order_cancelled".
    if order.lecturer_id and order.lecturer.user_id:
        users = [order.lecturer.user_id]
    else:
        users = _admins_of(_holding_forums(order.topic))
    _tell(order, "order_cancelled", users, reason=order.reason)


def order_fulfilled(order: TopicOrder) -> None:
    # notify: the lecturer's user, kind "topics.order_fulfilled".
    users = [order.lecturer.user_id] if order.lecturer.user_id else []
    _tell(order, "order_fulfilled", users)


def order_overdue(order: TopicOrder) -> None:
    # notify: administrators of `order.escalated_to` (the level above the
    # late actor), kind "topics.order_overdue".
    forum = order.escalated_to
    users = _admins_of([forum]) if forum is not None else []
    _tell(order, "order_overdue", users, stage=order.status)
