"""点单、派单、接单、评单 in a real browser: a village orders a topic, the
lecturer's town dispatches it, the lecturer accepts with a date, the village
approves the drafted session; once held and evaluated, the village marks the
order fulfilled and the topic's page shows its rating."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lectures.models import SessionPage
from tests.factories import make_form
from tests.topics.factories import TopicFactory, next_week
from tests.topics.test_pages import evaluate
from topics.models import OrderStatus, TopicOrder

from .conftest import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def logout(page):
    page.context.clear_cookies()


def open_actions(page):
    page.locator(
        "footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]"
    ).first.click()


def test_a_village_orders_a_topic_and_it_becomes_a_rated_session(page, network, shot):
    form = make_form("评估表", 1, 1)
    network["district"].evaluation_form = form
    network["district"].save()
    TopicFactory(
        title="农村集体经济发展路径",
        slug="jiti-jingji",
        lecturers=[network["lecturer"].lecturer],
    )

    # 点单: the village's administrator, from the public menu.
    login(page, "village_admin", PASSWORD, next_url="/topics/")
    page.get_by_text("农村集体经济发展路径").first.click()
    page.get_by_text("为讲坛点这个选题").click()
    today = timezone.localdate()
    page.fill("#id_preferred_from", (today + timedelta(days=3)).isoformat())
    page.fill("#id_preferred_to", (today + timedelta(days=30)).isoformat())
    page.fill("#id_audience_size", "60")
    page.fill("#id_note", "结合本村实际")
    page.get_by_role("button", name="提交点单").click()
    expect(page.get_by_text("点单成功")).to_be_visible()
    shot(page, "ordered")
    order = TopicOrder.objects.get()
    assert order.forum_id == network["village"].pk

    # 派单: the town, which holds the lecturer.
    logout(page)
    login(page, "town_admin", PASSWORD, next_url="/admin/topics/orders/")
    page.get_by_role("link", name="农村集体经济发展路径").click()
    page.get_by_role("button", name="派单").click()
    expect(page.get_by_text("已派单给")).to_be_visible()
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPATCHED

    # 接单: the lecturer, with a date and a venue.
    logout(page)
    login(page, "lecturer", PASSWORD, next_url=f"/admin/topics/orders/{order.pk}/")
    start = timezone.localtime(next_week())
    page.fill("#id_start", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_venue", "东风村党群服务中心")
    page.get_by_role("button", name="接单并拟定讲次").click()
    expect(page.get_by_text("已接单：")).to_be_visible()
    shot(page, "accepted")
    order.refresh_from_db()
    session = SessionPage.objects.get(pk=order.session_id)
    assert session.get_parent().pk == network["village"].pk
    assert not session.live

    # The village approves the drafted session: it is published.
    logout(page)
    login(page, "village_admin", PASSWORD)
    page.goto(f"/admin/pages/{session.pk}/edit/")
    open_actions(page)
    page.locator("button[data-workflow-action-name=approve]").first.click()
    page.wait_for_load_state("networkidle")
    session.refresh_from_db()
    assert session.live
    page.goto("/schedule/")
    assert page.get_by_text("农村集体经济发展路径").count() >= 1

    # It is held and evaluated (the existing anonymous evaluations).
    session.start = timezone.now() - timedelta(hours=3)
    session.end = timezone.now() - timedelta(hours=1)
    session.status = "held"
    session.save_revision().publish()
    evaluate(session, form, 4, 4, 3)

    # 评单: the village marks the order fulfilled.
    page.goto(f"/admin/topics/orders/{order.pk}/")
    page.get_by_role("button", name="评单办结").click()
    expect(page.get_by_text("点单已评单办结")).to_be_visible()
    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED

    # The topic's page shows the session and its rating.
    logout(page)
    page.goto("/topics/jiti-jingji/")
    expect(page.get_by_text("综合得分 91.7")).to_be_visible()
    assert page.get_by_text("东风村微讲坛").count() >= 1
    shot(page, "rated")
