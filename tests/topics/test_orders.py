"""The order flow's services: every transition, and every refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lectures.models import SessionPage, SessionStatus
from tests.factories import LecturerFactory, UserFactory
from tests.topics.factories import TopicFactory, next_week, place
from topics.models import OrderStatus, TopicOrder, TopicStatus
from topics.services import orders
from topics.services.errors import OrderError

pytestmark = pytest.mark.django_db


def actions(order) -> list[str]:
    return list(
        ModelLogEntry.objects.filter(object_id=str(order.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def refused(code: str):
    class Refusal:
        def __enter__(self):
            self.raised = pytest.raises(OrderError)
            self.info = self.raised.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.raised.__exit__(*exc)
            assert self.info.value.code == code, self.info.value.code
            return handled

    return Refusal()


@pytest.fixture
def ordered(topic, tree, village_admin):
    return place(topic, tree["village"], village_admin, note="请结合村里实际")


@pytest.fixture
def dispatched(ordered, town_admin, town_lecturer):
    return orders.dispatch(ordered.pk, town_admin, town_lecturer)


# 点单 ------------------------------------------------------------------------------


def test_a_village_orders_a_topic_and_the_dispatchers_are_told(town_admin, ordered):
    assert ordered.status == OrderStatus.ORDERED
    assert ordered.note == "请结合村里实际"
    assert actions(ordered) == ["topics.order.placed", "topics.notice.order_placed"]
    told = ModelLogEntry.objects.get(action="topics.notice.order_placed")
    assert town_admin.pk in told.data["recipients"]


def test_nobody_orders_for_a_forum_he_does_not_administer(topic, tree, village_admin):
    for forum in ("village2", "town", "sibling"):
        with refused("not_your_forum"):
            place(topic, tree[forum], village_admin)
    assert not TopicOrder.objects.exists()


def test_a_town_orders_for_its_villages_too(topic, tree, town_admin):
    assert place(topic, tree["village2"], town_admin).forum_id == tree["village2"].pk


def test_a_topic_off_the_menu_cannot_be_ordered(topic, tree, village_admin):
    for status, offered in (
        (TopicStatus.PROPOSED, True),
        (TopicStatus.APPROVED, False),
    ):
        topic.status, topic.is_offered = status, offered
        topic.save()
        with refused("not_on_menu"):
            place(topic, tree["village"], village_admin)


def test_a_topic_offered_to_a_subtree_is_ordered_only_there(
    topic, tree, district_admin
):
    topic.offered_to = tree["town"]
    topic.save()
    place(topic, tree["village"], district_admin)
    with refused("not_offered_here"):
        place(topic, tree["sibling_village"], district_admin)


def test_bad_dates_and_audiences_are_refused(topic, tree, village_admin):
    today = timezone.localdate()
    cases = [
        ("dates", {"preferred_from": today + timedelta(days=9), "preferred_to": today}),
        ("past", {"preferred_from": today - timedelta(days=1)}),
        ("dates", {"preferred_to": today + timedelta(days=900)}),
        ("audience", {"audience_size": 0}),
    ]
    for code, kwargs in cases:
        with refused(code):
            place(topic, tree["village"], village_admin, **kwargs)


# 派单 ------------------------------------------------------------------------------


def test_the_lecturers_forum_dispatches_and_the_lecturer_is_told(
    dispatched, town_lecturer, lecturer
):
    assert dispatched.status == OrderStatus.DISPATCHED
    assert dispatched.lecturer == town_lecturer
    told = ModelLogEntry.objects.get(action="topics.notice.order_dispatched")
    assert told.data["recipients"] == [lecturer.pk]


def test_the_district_dispatches_for_every_lecturer(ordered, district_admin):
    lecturer = ordered.topic.lecturers.get()
    assert orders.dispatch(ordered.pk, district_admin, lecturer).status == "dispatched"


def test_nobody_dispatches_outside_his_subtree(
    ordered, village_admin, sibling_admin, town_lecturer
):
    for user in (village_admin, sibling_admin):
        with refused("not_dispatcher"):
            orders.dispatch(ordered.pk, user, town_lecturer)


def test_an_order_goes_only_to_the_topics_lecturers(ordered, town_admin, tree):
    other = LecturerFactory(forums=[tree["town"]])
    with refused("not_topic_lecturer"):
        orders.dispatch(ordered.pk, town_admin, other)


def test_an_order_is_dispatched_once(dispatched, town_admin, town_lecturer):
    with refused("wrong_status"):
        orders.dispatch(dispatched.pk, town_admin, town_lecturer)


def test_the_dispatchers_decline_with_a_reason_and_the_forum_is_told(
    ordered, town_admin, village_admin
):
    with refused("no_reason"):
        orders.decline(ordered.pk, town_admin, "  ")
    declined = orders.decline(ordered.pk, town_admin, "讲师本季度已排满")
    assert (declined.status, declined.reason) == ("declined", "讲师本季度已排满")
    told = ModelLogEntry.objects.get(action="topics.notice.order_declined")
    assert village_admin.pk in told.data["recipients"]


def test_only_the_dispatchers_decline(ordered, village_admin):
    with refused("not_dispatcher"):
        orders.decline(ordered.pk, village_admin, "不想要了")


# 接单 ------------------------------------------------------------------------------


def test_accepting_drafts_the_session_in_the_ordering_forum_for_approval(
    dispatched, lecturer, tree, town_lecturer
):
    start = next_week()
    accepted = orders.accept(dispatched.pk, lecturer, start=start, venue="村委会议室")

    session = SessionPage.objects.get(pk=accepted.session_id)
    assert accepted.status == OrderStatus.ACCEPTED
    assert session.get_parent().pk == tree["village"].pk
    assert session.forum_id == tree["village"].pk
    assert not session.live
    assert session.title == "农村集体经济发展"
    assert (session.start, session.end) == (start, start + timedelta(minutes=120))
    assert session.venue == "村委会议室"
    assert list(session.lecturers.all()) == [town_lecturer]
    assert session.study_hours == 2
    assert session.capacity == 40
    assert session.current_workflow_state.status == "in_progress"
    assert session.owner == lecturer
    assert actions(accepted)[-2:] == [
        "topics.order.accepted",
        "topics.notice.order_accepted",
    ]


def test_nobody_accepts_for_someone_else(dispatched, town_admin, district_admin):
    for user in (town_admin, district_admin, UserFactory()):
        with refused("not_your_order"):
            orders.accept(dispatched.pk, user, start=next_week(), venue="会议室")
    assert not SessionPage.objects.exists()


def test_an_order_is_accepted_once(dispatched, lecturer):
    orders.accept(dispatched.pk, lecturer, start=next_week(), venue="会议室")
    with refused("wrong_status"):
        orders.accept(dispatched.pk, lecturer, start=next_week(16), venue="会议室")
    assert SessionPage.objects.count() == 1


def test_accepting_needs_a_future_time_and_a_venue(dispatched, lecturer):
    with refused("past"):
        orders.accept(
            dispatched.pk,
            lecturer,
            start=timezone.now() - timedelta(hours=1),
            venue="x",
        )
    with refused("no_venue"):
        orders.accept(dispatched.pk, lecturer, start=next_week(), venue=" ")


def test_an_undispatched_order_cannot_be_accepted(ordered, lecturer):
    with refused("not_your_order"):
        orders.accept(ordered.pk, lecturer, start=next_week(), venue="会议室")


def test_a_lecturer_who_declines_hands_the_order_back_to_dispatch(
    dispatched, lecturer, town_admin, town_lecturer
):
    back = orders.refuse(dispatched.pk, lecturer, "当周在外培训")
    assert (back.status, back.lecturer, back.reason) == (
        "ordered",
        None,
        "当周在外培训",
    )
    told = ModelLogEntry.objects.get(action="topics.notice.order_refused")
    assert town_admin.pk in told.data["recipients"]
    again = orders.dispatch(dispatched.pk, town_admin, town_lecturer)
    assert again.status == OrderStatus.DISPATCHED


def test_only_the_lecturer_declines_his_order(dispatched, town_admin):
    with refused("not_your_order"):
        orders.refuse(dispatched.pk, town_admin, "代他拒绝")


# 评单 and closing -------------------------------------------------------------------


@pytest.fixture
def accepted(dispatched, lecturer):
    return orders.accept(dispatched.pk, lecturer, start=next_week(), venue="会议室")


def hold(order):
    session = SessionPage.objects.get(pk=order.session_id)
    session.start = timezone.now() - timedelta(hours=3)
    session.end = timezone.now() - timedelta(hours=1)
    session.status = SessionStatus.HELD
    session.save_revision().publish()
    return session


def test_the_ordering_forum_marks_a_held_order_fulfilled(accepted, village_admin):
    with refused("not_held"):
        orders.fulfil(accepted.pk, village_admin)
    hold(accepted)
    done = orders.fulfil(accepted.pk, village_admin)
    assert done.status == OrderStatus.FULFILLED
    assert done.closed_at is not None


def test_only_the_ordering_forum_marks_it_fulfilled(accepted, lecturer, sibling_admin):
    hold(accepted)
    for user in (lecturer, sibling_admin):
        with refused("not_your_forum"):
            orders.fulfil(accepted.pk, user)


def test_cancelling_an_accepted_order_cancels_its_draft(accepted, village_admin):
    done = orders.cancel(accepted.pk, village_admin, "与防汛工作冲突")
    assert done.status == OrderStatus.CANCELLED
    session = SessionPage.objects.get(pk=accepted.session_id)
    assert session.status == "cancelled"
    assert session.current_workflow_state is None  # out of the approvers' queue


def test_a_held_order_cannot_be_cancelled(accepted, village_admin):
    hold(accepted)
    with refused("held"):
        orders.cancel(accepted.pk, village_admin, "晚了")


def test_closed_orders_stay_closed(ordered, village_admin, town_admin):
    orders.cancel(ordered.pk, village_admin, "不需要了")
    with refused("wrong_status"):
        orders.cancel(ordered.pk, village_admin, "再取消")
    with refused("wrong_status"):
        orders.decline(ordered.pk, town_admin, "迟了")


def test_only_the_ordering_forum_cancels(ordered, sibling_admin, lecturer):
    for user in (sibling_admin, lecturer):
        with refused("not_your_forum"):
            orders.cancel(ordered.pk, user, "不是我的")


def test_an_unknown_order_is_a_clear_refusal(village_admin):
    with refused("no_order"):
        orders.cancel(999999, village_admin, "没有")


# Overdue ----------------------------------------------------------------------


def test_late_orders_are_flagged_once_to_the_level_above(
    district_admin, topic, tree, village_admin, town_admin, town_lecturer
):
    long_ago = timezone.now() - timedelta(days=10)
    waiting = place(topic, tree["village"], village_admin, now=long_ago)
    unaccepted = place(topic, tree["village"], village_admin, now=long_ago)
    orders.dispatch(unaccepted.pk, town_admin, town_lecturer, now=long_ago)
    fresh = place(topic, tree["village"], village_admin)

    flagged = orders.flag_overdue()

    assert {o.pk for o in flagged} == {waiting.pk, unaccepted.pk}
    waiting.refresh_from_db()
    unaccepted.refresh_from_db()
    fresh.refresh_from_db()
    # Undispatched: to the forum above the dispatchers (the town's lecturer:
    # the district); unaccepted: to the lecturer's own forum.
    assert waiting.escalated_to_id == tree["district"].pk
    assert unaccepted.escalated_to_id == tree["town"].pk
    assert waiting.is_overdue
    assert not fresh.is_overdue
    told = ModelLogEntry.objects.filter(action="topics.notice.order_overdue")
    assert district_admin.pk in told.first().data["recipients"]
    assert orders.flag_overdue() == []


def test_moving_on_clears_the_flag(
    topic, tree, village_admin, town_admin, town_lecturer
):
    order = place(
        topic, tree["village"], village_admin, now=timezone.now() - timedelta(days=10)
    )
    orders.flag_overdue()
    moved = orders.dispatch(order.pk, town_admin, town_lecturer)
    assert moved.overdue_at is None
    assert not moved.is_overdue


def test_the_overdue_command_says_how_many(topic, tree, village_admin):
    from django.core.management import call_command

    place(topic, tree["village"], village_admin, now=timezone.now() - timedelta(days=9))
    from io import StringIO

    out = StringIO()
    call_command("flag_overdue_orders", stdout=out)
    call_command("flag_overdue_orders", stdout=out)
    assert TopicOrder.objects.filter(overdue_at__isnull=False).count() == 1


def test_a_co_offered_topic_is_dispatched_by_either_lecturers_forum(
    tree, district_admin, town_admin, sibling_admin, village_admin
):
    mine = LecturerFactory(forums=[tree["town"]])
    theirs = LecturerFactory(forums=[tree["sibling"]])
    shared = TopicFactory(lecturers=[mine, theirs])
    order = place(shared, tree["village"], village_admin)
    with refused("not_dispatcher"):
        orders.dispatch(order.pk, town_admin, theirs)
    assert orders.dispatch(order.pk, sibling_admin, theirs).lecturer == theirs
