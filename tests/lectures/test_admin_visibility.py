"""Nobody sees drafts outside his subtree in the admin: explorer or search."""

import pytest
from wagtail.models import Page
from wagtail.permissions import policy_registry

from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def edit_link(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


@pytest.fixture
def scene(tree):
    """A draft session in a sibling village, and the first village's admin."""
    draft = SessionFactory(parent=tree["village2"], title="红旗村保密草稿", live=False)
    admin = UserFactory(username="dongfeng_admin", groups=[tree["village"].admin_group])
    return {"town": tree["town"], "draft": draft, "admin": admin}


def test_a_village_admin_does_not_find_a_siblings_draft(client, scene):
    client.force_login(scene["admin"])
    response = client.get("/admin/pages/search/results/", {"q": "红旗村保密草稿"})
    assert response.status_code == 200
    # The query is echoed back; the page itself (its edit link) must not be.
    assert edit_link(scene["draft"]) not in response.content.decode()
    listing = client.get(f"/admin/pages/{scene['town'].pk}/")
    assert "红旗村保密草稿" not in listing.content.decode()
    assert "红旗村微讲坛" not in listing.content.decode()
    assert client.get(f"/admin/pages/{scene['draft'].pk}/edit/").status_code in (
        302,
        403,
    )


def test_the_town_admin_finds_it(client, scene):
    town_admin = UserFactory(groups=[scene["town"].admin_group])
    client.force_login(town_admin)
    response = client.get("/admin/pages/search/results/", {"q": "红旗村保密草稿"})
    assert edit_link(scene["draft"]) in response.content.decode()


def test_the_explorable_tree_is_his_subtree_and_the_way_down(scene):
    explorable = policy_registry.get_by_type(Page).explorable_instances(scene["admin"])
    titles = set(explorable.values_list("title", flat=True))
    assert titles == {"区级大讲坛", "城关镇小讲坛", "东风村微讲坛"}  # not 红旗村
