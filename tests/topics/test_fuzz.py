"""Junk in the menu's query parameters and the order forms: never a 500,
nothing half-saved (see tests/lectures/test_fuzz_public.py)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz import junk_text, query
from tests.lectures.test_fuzz_public import answered, expected
from topics.models import OrderStatus, TopicOrder

pytestmark = pytest.mark.django_db

MENU_KEYS = ["field", "category", "level", "lecturer", "q", "page"]


@settings(max_examples=60)
@given(params=query(MENU_KEYS))
def test_the_menu_takes_any_query(client, topic, params):
    assert answered(client.get("/topics/", params)) in expected(params, 200)


@settings(max_examples=40)
@given(
    data=st.fixed_dictionaries(
        {
            "forum": junk_text,
            "preferred_from": junk_text,
            "preferred_to": junk_text,
            "audience_size": junk_text,
            "note": junk_text,
        }
    )
)
def test_the_order_form_takes_any_input(client, topic, tree, village_admin, data):
    client.force_login(village_admin)
    answered(client.post(f"/admin/topics/{topic.pk}/order/", data))
    # Junk may happen to be a valid order for his own village; nothing else.
    for order in TopicOrder.objects.all():
        assert order.forum_id == tree["village"].pk
        assert order.preferred_from <= order.preferred_to


@settings(max_examples=40)
@given(
    data=st.fixed_dictionaries(
        {
            "action": st.sampled_from(["accept", "dispatch", "refuse", "fulfil"]),
            "start": junk_text,
            "venue": junk_text,
            "lecturer": junk_text,
            "reason": junk_text,
        }
    )
)
def test_the_order_page_takes_any_input(client, topic, tree, village_admin, data):
    from django.utils import timezone

    order = TopicOrder.objects.create(
        topic=topic,
        forum=tree["village"],
        preferred_from=timezone.localdate(),
        preferred_to=timezone.localdate(),
        audience_size=10,
        ordered_at=timezone.now(),
    )
    client.force_login(village_admin)
    action = data.pop("action")
    answered(client.post(f"/admin/topics/orders/{order.pk}/{action}/", data))
    assert TopicOrder.objects.get(pk=order.pk).status == OrderStatus.ORDERED
