"""Who may do what with topics and orders: every predicate of `topics`.

Built on `lectures.rules` (administered subtrees). The roles:

* a **lecturer** proposes topics for his own profile and accepts or declines
  the orders dispatched to him — only him, never on someone's behalf;
* the administrators of **the forums that hold a topic's lecturers** (and of
  the forums above them, so the district for everyone) approve his topics
  and dispatch orders for them;
* the administrators of a forum (or above it) **order** topics for it,
  cancel their orders and mark them fulfilled;
* a **trainee** supports (我也想听) a topic for his own unit's forum.
"""

from django.db.models import Q, QuerySet

from lectures.models import ForumPage, Lecturer
from lectures.models.tree import below, below_any
from lectures.rules import administered_paths, can_administer, may_see_results
from topics.models import Topic, TopicOrder


def lecturer_of(user) -> Lecturer | None:
    """The user's lecturer profile, or None."""
    if not user.is_authenticated:
        return None
    return Lecturer.objects.filter(user=user).first()


def _administers_any(user, forums) -> bool:
    """Whether the user administers one of these forums (or one above);
    his subtrees are read once."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    paths = administered_paths(user)
    return any(forum.path.startswith(path) for forum in forums for path in paths)


# Topics ----------------------------------------------------------------------


def may_propose_topic(user) -> bool:
    return lecturer_of(user) is not None


def may_edit_topic(user, topic: Topic) -> bool:
    """His own topic, or one he reviews."""
    return own_topics(user).filter(pk=topic.pk).exists() or may_review_topic(
        user, topic
    )


def topics_reviewed_by(user) -> QuerySet:
    """Topics the user approves or returns: those of the lecturers held by
    the forums in his subtrees (every topic for superusers)."""
    if not user.is_authenticated:
        return Topic.objects.none()
    if user.is_superuser:
        return Topic.objects.all()
    held = ForumPage.objects.filter(below_any(administered_paths(user)))
    return Topic.objects.filter(
        pk__in=Topic.objects.filter(lecturers__forums__in=held).values("pk")
    )


def may_review_topic(user, topic: Topic) -> bool:
    """Approve or return a topic: administrators of a forum holding one of
    its lecturers, or of a forum above it."""
    return topics_reviewed_by(user).filter(pk=topic.pk).exists()


def own_topics(user) -> QuerySet:
    """The topics the user offers himself, as a lecturer."""
    if not user.is_authenticated:
        return Topic.objects.none()
    return Topic.objects.filter(lecturers__user=user)


def topics_in_admin(user) -> QuerySet:
    """The topics the admin lists for the user: his own and those he reviews."""
    mine = own_topics(user).values("pk")
    return Topic.objects.filter(
        Q(pk__in=mine) | Q(pk__in=topics_reviewed_by(user).values("pk"))
    )


# Orders ----------------------------------------------------------------------


def may_order(user, forum: ForumPage) -> bool:
    """Order for a forum: only its administrators and those above them."""
    return can_administer(user, forum)


def orderable_forums(user) -> QuerySet:
    """The forums the user may order for, in tree order."""
    if user.is_superuser:
        return ForumPage.objects.live().order_by("path")
    return (
        ForumPage.objects.live()
        .filter(below_any(administered_paths(user)))
        .order_by("path")
    )


def forums_to_order(user, topic: Topic) -> QuerySet:
    """The forums the user may order this topic for: his, within the
    subtree the topic is offered to."""
    forums = orderable_forums(user)
    if topic.offered_to_id is not None:
        forums = forums.filter(below(topic.offered_to.path))
    return forums


def may_dispatch_to(user, lecturer: Lecturer) -> bool:
    """Dispatch to this lecturer: administrators of a forum that holds him
    (or above it)."""
    return _administers_any(user, lecturer.forums.all())


def dispatchable_lecturers(user, order: TopicOrder) -> list[Lecturer]:
    """The topic's lecturers this user may dispatch the order to (two
    queries, and one for his subtrees)."""
    if not user.is_authenticated:
        return []
    lecturers = list(order.topic.lecturers.prefetch_related("forums"))
    if user.is_superuser:
        return lecturers
    paths = administered_paths(user)
    return [
        lecturer
        for lecturer in lecturers
        if any(f.path.startswith(p) for f in lecturer.forums.all() for p in paths)
    ]


def may_dispatch(user, order: TopicOrder) -> bool:
    """Dispatch or decline an order: he may dispatch it to one of its
    topic's lecturers."""
    return bool(dispatchable_lecturers(user, order))


def may_accept(user, order: TopicOrder) -> bool:
    """Accept or decline a dispatched order: its lecturer himself, nobody else."""
    return (
        user.is_authenticated
        and order.lecturer_id is not None
        and order.lecturer.user_id == user.pk
    )


def may_close(user, order: TopicOrder) -> bool:
    """Cancel the order or mark it fulfilled: the ordering forum's side."""
    return can_administer(user, order.forum)


def orders_in_admin(user) -> QuerySet:
    """Orders the user is part of: placed in his subtrees, for topics whose
    lecturers his subtrees hold (to dispatch), or dispatched to him."""
    if user.is_superuser:
        return TopicOrder.objects.all()
    paths = administered_paths(user)
    held = ForumPage.objects.filter(below_any(paths))
    query = below_any(paths, "forum__path")
    query |= Q(topic__lecturers__forums__in=held) | Q(lecturer__user=user)
    mine = TopicOrder.objects.filter(query).values("pk")
    return TopicOrder.objects.filter(pk__in=mine)


def takes_part_in_orders(user) -> bool:
    """Whom the admin shows the menu of lectures on demand: superusers,
    forums' administrators and lecturers — the people who see evaluation
    results, asked from the permission cache the admin loads anyway and
    remembered on the user (every admin page asks, through the menu)."""
    return may_see_results(user)


def may_support(user) -> bool:
    """我也想听: a logged-in trainee whose unit has a forum."""
    return (
        user.is_authenticated and ForumPage.objects.filter(trainees__user=user).exists()
    )
