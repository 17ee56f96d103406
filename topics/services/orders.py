"""The order flow: 点单 (place), 派单 (dispatch), 接单 (accept), 评单 (fulfil).

    ordered ──dispatch──▶ dispatched ──accept──▶ accepted ──fulfil──▶ fulfilled
       │  ▲                   │
       │  └──── refuse ───────┘   (the lecturer declines: dispatch again)
       └─ decline ─▶ declined     cancel (ordering forum, before it is held)

Every function owns its transaction and first locks the order row
(`SELECT … FOR UPDATE` on PostgreSQL; on SQLite transactions begin
IMMEDIATE, one writer at a time), so the status it reads is the status it
changes: two lecturers' clicks, or one lecturer's double click, accept an
order once and draft one session. Each step checks `topics.rules`, leaves a
log entry, and tells the next actor (`topics.services.notices`).

Accepting drafts the session in the ordering forum — title, lecturer,
field, category, study hours, audience, time and venue from the topic and
the order — and submits it to the network's approval workflow, so it is
published the way every session is.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from lectures.models import ForumPage, Lecturer, SessionPage, SessionStatus
from topics.models import OrderSettings, OrderStatus, Topic, TopicOrder
from topics.models.orders import OPEN
from topics.rules import may_accept, may_close, may_dispatch_to, may_order
from topics.services import notices
from topics.services.errors import OrderError

ACTIONS = {
    "topics.order.placed": gettext_lazy("Ordered a topic"),
    "topics.order.dispatched": gettext_lazy("Dispatched an order"),
    "topics.order.declined": gettext_lazy("Declined an order"),
    "topics.order.refused": gettext_lazy("Lecturer declined an order"),
    "topics.order.accepted": gettext_lazy("Accepted an order"),
    "topics.order.cancelled": gettext_lazy("Cancelled an order"),
    "topics.order.fulfilled": gettext_lazy("Marked an order fulfilled"),
    "topics.order.overdue": gettext_lazy("Flagged an order overdue"),
}
MAX_ORDER_DAYS = 366


def _locked(order_id: int) -> TopicOrder:
    try:
        # Only the order's row: PostgreSQL locks no row of an outer join
        # (the lecturer may be none yet).
        return (
            TopicOrder.objects.select_for_update(of=("self",))
            .select_related("topic", "forum", "lecturer")
            .get(pk=order_id)
        )
    except TopicOrder.DoesNotExist:
        raise OrderError("no_order", _("There is no such order.")) from None


def _expect(order: TopicOrder, *statuses: str) -> None:
    if order.status not in statuses:
        raise OrderError(
            "wrong_status",
            _("This order is %(status)s: it cannot be changed that way.")
            % {"status": order.get_status_display()},
        )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OrderError("no_reason", _("Give a reason."))
    return reason[:500]


# 点单 ---------------------------------------------------------------------------


def place(
    topic: Topic,
    forum: ForumPage,
    by,
    *,
    preferred_from: date,
    preferred_to: date,
    audience_size: int,
    note: str = "",
    now: datetime | None = None,
) -> TopicOrder:
    """Order a topic for a forum its user administers."""
    now = now or timezone.now()
    if not may_order(by, forum):
        raise OrderError(
            "not_your_forum", _("You may order only for forums you administer.")
        )
    if preferred_to < preferred_from:
        raise OrderError("dates", _("The preferred period must end after it begins."))
    if preferred_from < timezone.localdate(now):
        raise OrderError("past", _("The preferred period cannot begin in the past."))
    if (preferred_to - preferred_from).days > MAX_ORDER_DAYS:
        raise OrderError("dates", _("The preferred period is at most a year."))
    if audience_size < 1:
        raise OrderError("audience", _("Say how many people are expected."))
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if not topic.on_menu:
            raise OrderError("not_on_menu", _("This topic is not on the menu."))
        if not Topic.objects.filter(pk=topic.pk).offered_to(forum).exists():
            raise OrderError(
                "not_offered_here", _("This topic is not offered to that forum.")
            )
        order = TopicOrder.objects.create(
            topic=topic,
            forum=forum,
            ordered_by=by,
            ordered_at=now,
            preferred_from=preferred_from,
            preferred_to=preferred_to,
            audience_size=audience_size,
            note=(note or "").strip()[:1000],
        )
        log(instance=order, action="topics.order.placed", user=by)
        notices.order_placed(order)
    return order


# 派单 ---------------------------------------------------------------------------


def dispatch(
    order_id: int, by, lecturer: Lecturer, *, now: datetime | None = None
) -> TopicOrder:
    """Hand an order to one of its topic's lecturers."""
    with transaction.atomic():
        order = _locked(order_id)
        _expect(order, OrderStatus.ORDERED)
        if not order.topic.lecturers.filter(pk=lecturer.pk).exists():
            raise OrderError(
                "not_topic_lecturer", _("This lecturer does not offer this topic.")
            )
        if not may_dispatch_to(by, lecturer):
            raise OrderError(
                "not_dispatcher",
                _("Only the administrators of the lecturer's forum dispatch to him."),
            )
        order.status = OrderStatus.DISPATCHED
        order.lecturer = lecturer
        order.dispatched_by = by
        order.dispatched_at = now or timezone.now()
        order.overdue_at = None
        order.escalated_to = None
        order.save()
        log(instance=order, action="topics.order.dispatched", user=by)
        notices.order_dispatched(order)
    return order


def decline(order_id: int, by, reason: str, *, now=None) -> TopicOrder:
    """The dispatchers turn an order down, with a reason."""
    reason = _reason(reason)
    with transaction.atomic():
        order = _locked(order_id)
        _expect(order, OrderStatus.ORDERED)
        if not any(
            may_dispatch_to(by, lecturer) for lecturer in order.topic.lecturers.all()
        ):
            raise OrderError(
                "not_dispatcher",
                _("Only the lecturer's forum's administrators decline his orders."),
            )
        order.status = OrderStatus.DECLINED
        order.reason = reason
        order.closed_at = now or timezone.now()
        order.save()
        log(instance=order, action="topics.order.declined", user=by)
        notices.order_declined(order)
    return order


# 接单 ---------------------------------------------------------------------------


def accept(
    order_id: int,
    by,
    *,
    start: datetime,
    venue: str,
    now: datetime | None = None,
    submit: bool = True,
) -> TopicOrder:
    """The dispatched lecturer accepts with a time and a venue: the session
    is drafted in the ordering forum and submitted for approval."""
    now = now or timezone.now()
    venue = (venue or "").strip()
    if not venue:
        raise OrderError("no_venue", _("Give the venue."))
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    if start <= now:
        raise OrderError("past", _("The session must be in the future."))
    with transaction.atomic():
        order = _locked(order_id)
        if not may_accept(by, order):
            raise OrderError(
                "not_your_order",
                _("Only the lecturer it was dispatched to accepts it."),
            )
        _expect(order, OrderStatus.DISPATCHED)
        session = _draft_session(order, by, start, venue[:200], submit=submit)
        order.status = OrderStatus.ACCEPTED
        order.session = session
        order.accepted_at = now
        order.overdue_at = None
        order.escalated_to = None
        order.save()
        log(instance=order, action="topics.order.accepted", user=by)
        notices.order_accepted(order)
    return order


def _draft_session(order: TopicOrder, by, start: datetime, venue: str, *, submit):
    topic = order.topic
    # Re-read under the order's lock: the tree's child count decides the
    # new page's path.
    forum = ForumPage.objects.get(pk=order.forum_id)
    slug = slugify(f"{topic.slug}-{order.pk}", allow_unicode=True)[:250]
    session = SessionPage(
        title=topic.title,
        slug=slug,
        start=start,
        end=start + timedelta(minutes=topic.duration_minutes),
        venue=venue,
        field_id=topic.field_id,
        category_id=topic.category_id,
        study_hours=topic.study_hours,
        audience=topic.audience,
        capacity=order.audience_size,
        description=f"<p>{escape(topic.summary)}</p>",
        lecturers=[order.lecturer],
        live=False,
        owner=by,
    )
    forum.add_child(instance=session)
    session.save_revision(user=by, log_action=True)
    workflow = session.get_workflow()
    if submit and workflow is not None:
        workflow.start(session, by)
    return session


def refuse(order_id: int, by, reason: str) -> TopicOrder:
    """The lecturer declines, with a reason: the order goes back to be
    dispatched (perhaps to another lecturer)."""
    reason = _reason(reason)
    with transaction.atomic():
        order = _locked(order_id)
        if not may_accept(by, order):
            raise OrderError(
                "not_your_order",
                _("Only the lecturer it was dispatched to declines it."),
            )
        _expect(order, OrderStatus.DISPATCHED)
        lecturer_id = order.lecturer_id
        order.status = OrderStatus.ORDERED
        order.lecturer = None
        order.dispatched_by = None
        order.dispatched_at = None
        order.reason = reason
        order.overdue_at = None
        order.escalated_to = None
        order.save()
        log(
            instance=order,
            action="topics.order.refused",
            user=by,
            data={"lecturer": lecturer_id},
        )
        notices.order_refused(order, lecturer_id)
    return order


# 评单 and closing --------------------------------------------------------------


def cancel(order_id: int, by, reason: str, *, now=None) -> TopicOrder:
    """The ordering forum withdraws its order, until its session is held.
    A drafted session is cancelled with it."""
    reason = _reason(reason)
    with transaction.atomic():
        order = _locked(order_id)
        if not may_close(by, order):
            raise OrderError(
                "not_your_forum", _("Only the ordering forum's administrators cancel.")
            )
        _expect(order, *OPEN)
        if order.session_id is not None:
            session = SessionPage.objects.get(pk=order.session_id)
            if session.status == SessionStatus.HELD:
                raise OrderError("held", _("The session was held: mark it fulfilled."))
            session.status = SessionStatus.CANCELLED
            if session.live:
                session.save_revision(user=by).publish(user=by)
            else:
                # A draft waiting for approval leaves the approvers' queue.
                state = session.current_workflow_state
                if state is not None:
                    state.cancel(user=by)
                session.save_revision(user=by)
                SessionPage.objects.filter(pk=session.pk).update(
                    status=SessionStatus.CANCELLED
                )
        order.status = OrderStatus.CANCELLED
        order.reason = reason
        order.closed_at = now or timezone.now()
        order.save()
        log(instance=order, action="topics.order.cancelled", user=by)
        notices.order_cancelled(order)
    return order


def fulfil(order_id: int, by, *, now=None) -> TopicOrder:
    """The ordering forum marks the order fulfilled once its session is held."""
    with transaction.atomic():
        order = _locked(order_id)
        if not may_close(by, order):
            raise OrderError(
                "not_your_forum",
                _("Only the ordering forum's administrators mark it fulfilled."),
            )
        _expect(order, OrderStatus.ACCEPTED)
        held = SessionPage.objects.filter(
            pk=order.session_id, live=True, status=SessionStatus.HELD
        ).exists()
        if not held:
            raise OrderError("not_held", _("Its session has not been held yet."))
        order.status = OrderStatus.FULFILLED
        order.closed_at = now or timezone.now()
        order.save()
        log(instance=order, action="topics.order.fulfilled", user=by)
        notices.order_fulfilled(order)
    return order


# Overdue ----------------------------------------------------------------------


def _above(forum: ForumPage) -> ForumPage:
    """The forum above (the district is its own level up)."""
    parent = ForumPage.objects.filter(
        path=forum.path[: -ForumPage.steplen], depth=forum.depth - 1
    ).first()
    return parent or forum


def _dispatchers_forum(order: TopicOrder) -> ForumPage | None:
    """The highest forum holding one of the topic's lecturers."""
    return (
        ForumPage.objects.filter(lecturers__topics=order.topic_id)
        .order_by("depth", "path")
        .first()
    )


def flag_overdue(now: datetime | None = None) -> list[TopicOrder]:
    """Flag the orders left waiting too long, once per stage, to the level
    above the late actor: an undispatched order to the forum above its
    dispatchers, an unaccepted one to the forum that holds its lecturer.
    Idempotent: a flagged order is not flagged again until it moves on."""
    now = now or timezone.now()
    config = OrderSettings.load()
    waiting = {
        OrderStatus.ORDERED: ("ordered_at", config.dispatch_days),
        OrderStatus.DISPATCHED: ("dispatched_at", config.accept_days),
    }
    flagged = []
    for status, (since, days) in waiting.items():
        late = TopicOrder.objects.filter(
            status=status,
            overdue_at__isnull=True,
            **{f"{since}__lte": now - timedelta(days=days)},
        ).values_list("pk", flat=True)
        for pk in list(late):
            with transaction.atomic():
                order = _locked(pk)
                if order.status != status or order.overdue_at is not None:
                    continue
                if status == OrderStatus.ORDERED:
                    held = _dispatchers_forum(order)
                    escalated = _above(held) if held is not None else None
                else:
                    escalated = order.lecturer.forums.order_by("depth", "path").first()
                order.overdue_at = now
                order.escalated_to = escalated
                order.save(update_fields=["overdue_at", "escalated_to"])
                log(instance=order, action="topics.order.overdue")
                notices.order_overdue(order)
                flagged.append(order)
    return flagged
