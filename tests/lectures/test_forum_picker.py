"""The schedule's forum picker: a select while small, a text box at scale."""

import pytest

from lectures import filters
from tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns(tree):
    return [TownFactory(parent=tree["district"], slug=f"town-{n}") for n in range(3)]


def test_few_forums_are_offered_in_a_select(client, towns):
    html = client.get("/schedule/", {"forum": "town-1"}).content.decode()
    assert '<select name="forum"' in html
    assert '<option value="town-1" selected>' in html


def test_many_forums_become_a_text_box_that_still_filters(client, towns, monkeypatch):
    monkeypatch.setattr(filters, "MAX_FORUM_OPTIONS", 4)
    response = client.get("/schedule/", {"forum": "town-1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<select name="forum"' not in html
    assert 'name="forum" value="town-1"' in html
