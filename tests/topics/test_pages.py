"""The public menu and the admin pages, over HTTP as a browser would."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lectures.models import SessionPage, TraineeProfile
from lectures.services.evaluations import submit
from tests.factories import (
    CategoryFactory,
    FieldFactory,
    LecturerFactory,
    UserFactory,
    answer,
    attended,
    ended_session,
    make_form,
)
from tests.topics.factories import TopicFactory, next_week
from tests.wagtail_admin import workflow_action_url
from topics.models import OrderStatus, TopicOrder, TopicSupport

pytestmark = pytest.mark.django_db


def held_from(topic, forum, lecturer, **kwargs) -> SessionPage:
    """A session held from the topic (an order that was fulfilled)."""
    session = ended_session(forum, title=topic.title, lecturers=[lecturer], **kwargs)
    today = timezone.localdate()
    TopicOrder.objects.create(
        topic=topic,
        forum=forum,
        status=OrderStatus.FULFILLED,
        preferred_from=today,
        preferred_to=today,
        audience_size=30,
        ordered_at=timezone.now() - timedelta(days=20),
        lecturer=lecturer,
        session=session,
    )
    return session


def evaluate(session, form, *levels):
    for level in levels:
        user = UserFactory()
        attended(session, user)
        submit(session, user, answer(form, level, level), "")


# The public menu --------------------------------------------------------------


def test_the_menu_lists_approved_offered_topics_with_filters(client, tree):
    rural, law = FieldFactory(slug="rural"), FieldFactory(slug="law")
    talk = CategoryFactory(slug="talk")
    wang = LecturerFactory(name="王讲师", forums=[tree["town"]])
    TopicFactory(title="集体经济", field=rural, category=talk, lecturers=[wang])
    TopicFactory(title="宪法学习", field=law, tier="unit", lecturers=[wang])
    TopicFactory(title="待审选题", status="proposed", lecturers=[wang])
    TopicFactory(title="暂停选题", is_offered=False, lecturers=[wang])

    def titles(**params):
        page = client.get(reverse("topics:topic_list"), params).content.decode()
        return {
            t for t in ("集体经济", "宪法学习", "待审选题", "暂停选题") if t in page
        }

    assert titles() == {"集体经济", "宪法学习"}
    assert titles(field="rural") == {"集体经济"}
    assert titles(category="talk") == {"集体经济"}
    assert titles(level="village") == {"集体经济"}
    assert titles(level="unit") == {"集体经济", "宪法学习"}
    assert titles(q="宪法") == {"宪法学习"}
    assert titles(q="王讲师") == {"集体经济", "宪法学习"}
    assert titles(lecturer=wang.pk) == {"集体经济", "宪法学习"}


def test_bad_filters_are_reported_not_a_crash(client, topic):
    for params in (
        {"field": "nope", "level": "x"},
        {"lecturer": "99999999999999999999999999"},
        {"lecturer": "-1"},
    ):
        response = client.get(reverse("topics:topic_list"), params)
        assert response.status_code == 200
        assert topic.title in response.content.decode()


def test_a_topic_page_shows_its_lecturers_and_sessions_held(client, topic, tree):
    session = held_from(topic, tree["village"], topic.lecturers.get())
    page = client.get(topic.get_absolute_url()).content.decode()
    assert topic.lecturers.get().name in page
    assert session.url in page


def test_a_topic_off_the_menu_has_no_page(client, topic):
    topic.is_offered = False
    topic.save()
    assert client.get(topic.get_absolute_url()).status_code == 404


def test_the_rating_shows_only_past_three_responses(client, topic, tree):
    form = make_form("评估表", 1, 1)
    tree["district"].evaluation_form = form
    tree["district"].save()
    session = held_from(topic, tree["town"], topic.lecturers.get())
    evaluate(session, form, 4, 4)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "暂无评价" in page or "No rating yet" in page
    evaluate(session, form, 3)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "91.7" in page  # (100 + 100 + 75) / 3


def test_a_trainee_asks_for_a_topic_from_its_page(client, topic, tree):
    user = UserFactory()
    TraineeProfile.objects.create(
        user=user, real_name="村民", mobile="13811113333", unit_forum=tree["village"]
    )
    client.force_login(user)
    assert "我也想听" in client.get(topic.get_absolute_url()).content.decode()
    client.post(reverse("topics:support", args=[topic.slug]))
    assert TopicSupport.objects.filter(user=user, topic=topic).exists()
    client.post(reverse("topics:support", args=[topic.slug]), {"withdraw": "1"})
    assert not TopicSupport.objects.exists()


def test_asking_needs_a_login(client, topic):
    response = client.post(reverse("topics:support", args=[topic.slug]))
    assert response.status_code == 302
    assert not TopicSupport.objects.exists()


# The admin, step by step ------------------------------------------------------


def test_the_whole_chain_through_the_admin(
    client, topic, tree, village_admin, town_admin, lecturer
):
    today = timezone.localdate()
    client.force_login(village_admin)
    response = client.post(
        reverse("topics_order_place", args=[topic.pk]),
        {
            "forum": tree["village"].pk,
            "preferred_from": (today + timedelta(days=5)).isoformat(),
            "preferred_to": (today + timedelta(days=20)).isoformat(),
            "audience_size": 45,
            "note": "安全生产月",
        },
    )
    order = TopicOrder.objects.get()
    assert response["Location"] == reverse("topics_admin_order", args=[order.pk])

    client.force_login(town_admin)
    url = reverse("topics_admin_order", args=[order.pk])
    assert "派单" in client.get(url).content.decode()
    client.post(
        reverse("topics_admin_order_dispatch", args=[order.pk]),
        {"lecturer": topic.lecturers.get().pk},
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPATCHED

    client.force_login(lecturer)
    start = next_week()
    client.post(
        reverse("topics_admin_order_accept", args=[order.pk]),
        {
            "start": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
            "venue": "东风村党群服务中心",
        },
    )
    order.refresh_from_db()
    session = SessionPage.objects.get(pk=order.session_id)
    assert (order.status, session.start, session.live) == ("accepted", start, False)

    client.force_login(village_admin)
    state = session.current_workflow_task_state
    client.post(workflow_action_url(session, "approve", state), {"comment": ""})
    session.refresh_from_db()
    assert session.live

    session.start = timezone.now() - timedelta(hours=3)
    session.end = timezone.now() - timedelta(hours=1)
    session.status = "held"
    session.save_revision().publish()
    client.post(reverse("topics_admin_order_fulfil", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED


def test_refusals_come_back_as_messages(client, topic, tree, village_admin):
    order = TopicOrder.objects.create(
        topic=topic,
        forum=tree["village"],
        preferred_from=timezone.localdate(),
        preferred_to=timezone.localdate(),
        audience_size=10,
        ordered_at=timezone.now(),
    )
    client.force_login(village_admin)
    url = reverse("topics_admin_order_fulfil", args=[order.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "不能进行此操作" in told(response)
    assert TopicOrder.objects.get().status == OrderStatus.ORDERED

    # A reason is needed to cancel: the service's word, nothing changed.
    url = reverse("topics_admin_order_cancel", args=[order.pk])
    assert "请填写理由" in told(client.post(url, {"reason": " "}, follow=True))
    assert TopicOrder.objects.get().status == OrderStatus.ORDERED
    # Each action is a POST of its own.
    assert client.get(url).status_code == 405


def told(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_the_admin_lists_only_ones_own_orders(client, topic, tree, sibling_admin):
    TopicOrder.objects.create(
        topic=topic,
        forum=tree["village"],
        preferred_from=timezone.localdate(),
        preferred_to=timezone.localdate(),
        audience_size=10,
        ordered_at=timezone.now(),
    )
    client.force_login(sibling_admin)
    page = client.get(reverse("topics_admin_orders")).content.decode()
    assert topic.title not in page


def test_a_lecturer_proposes_and_his_forum_approves_in_the_admin(
    client, lecturer, town_admin
):
    client.force_login(lecturer)
    client.post(
        reverse("topics_admin_topic_add"),
        {
            "title": "防汛抗旱知识",
            "slug": "fangxun",
            "summary": "防汛抗旱。",
            "duration_minutes": 90,
            "study_hours": "1.5",
        },
    )
    topic = topic_model().objects.get(slug="fangxun")
    client.force_login(town_admin)
    client.post(reverse("topics_admin_topic_approve", args=[topic.pk]))
    assert topic_model().objects.on_menu().filter(pk=topic.pk).exists()


def topic_model():
    from topics.models import Topic

    return Topic


def test_the_report_and_its_workbook(client, topic, tree, district_admin):
    held_from(topic, tree["village"], topic.lecturers.get())
    client.force_login(district_admin)
    page = client.get(reverse("topics_report_orders"), {"start": "2000-01-01"})
    assert page.status_code == 200
    assert "送课下乡" in page.content.decode()
    book = client.get(
        reverse("topics_report_orders"), {"start": "2000-01-01", "export": "xlsx"}
    )
    assert book["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_report_is_refused_outside_ones_subtree(client, tree, village_admin):
    client.force_login(village_admin)
    response = client.get(reverse("topics_report_orders"), {"forum": "qingshan"})
    assert response.status_code == 403


def test_the_work_report_paragraph_cites_the_orders(topic, tree, district_admin):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("lecture_stats", "--from", "2000-01-01", stdout=out)
    assert "点单" not in out.getvalue()
    held_from(topic, tree["village"], topic.lecturers.get())
    out = StringIO()
    call_command("lecture_stats", "--from", "2000-01-01", stdout=out)
    assert "点单" in out.getvalue() or "topic menu" in out.getvalue()
    out = StringIO()
    call_command(
        "lecture_stats", "--from", "2000-01-01", "--forum", "qingshan", stdout=out
    )
    assert "点单" not in out.getvalue()
    assert "topic menu" not in out.getvalue()
