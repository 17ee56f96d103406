"""The demo's menu and its year of orders: every state, so that the menu,
the order admin and the report are not empty, and `demo_lecturer` has an
order waiting for him."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from topics.models import OrderStatus, Topic, TopicOrder, TopicStatus, TopicSupport

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def test_about_forty_topics_mostly_on_the_menu(demo):
    assert Topic.objects.count() == 40
    assert Topic.objects.on_menu().count() >= 30
    assert Topic.objects.filter(status=TopicStatus.PROPOSED).exists()
    assert TopicSupport.objects.count() >= 100


def test_a_year_of_orders_in_every_state(demo):
    states = set(TopicOrder.objects.values_list("status", flat=True))
    assert states == set(OrderStatus.values)
    assert TopicOrder.objects.open().filter(overdue_at__isnull=False).exists()
    held = TopicOrder.objects.filter(session__status="held")
    assert held.count() >= 50
    # A held order's session is the topic's, given by its lecturer.
    for order in held.select_related("session", "topic")[:20]:
        assert order.session.title == order.topic.title
        assert order.session.lecturers.filter(pk=order.lecturer_id).exists()
        assert order.session.forum_id == order.forum_id


def test_demo_lecturer_has_an_order_to_accept_and_a_draft_to_approve(demo):
    mine = TopicOrder.objects.filter(lecturer__user=user("demo_lecturer"))
    assert mine.filter(status=OrderStatus.DISPATCHED).exists()
    accepted = mine.get(status=OrderStatus.ACCEPTED, session__live=False)
    assert accepted.session.current_workflow_state.status == "in_progress"


def test_the_report_has_figures(demo):
    client = Client()
    client.force_login(user("demo_admin"))
    page = client.get(reverse("topics_report_orders"), {"start": "2000-01-01"})
    assert page.status_code == 200
    assert "送课下乡" in page.content.decode()


def test_reset_removes_the_menu_and_the_orders(demo_reset):
    assert not Topic.objects.exists()
    assert not TopicOrder.objects.exists()
