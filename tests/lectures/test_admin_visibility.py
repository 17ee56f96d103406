"""Nobody sees drafts outside his subtree in the admin: explorer or search."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page
from wagtail.permissions import policy_registry

from lectures.models import (
    DistrictForumPage,
    SessionPage,
    UnitForumPage,
    VillageForumPage,
)
from training_site.models import HomePage

pytestmark = pytest.mark.django_db


def edit_link(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


@pytest.fixture
def tree():
    district = HomePage.objects.get().add_child(
        instance=DistrictForumPage(
            title="区级大讲坛", slug="district", unit_kind="district", unit_name="区"
        )
    )
    town = district.add_child(
        instance=UnitForumPage(
            title="城关镇小讲坛", slug="chengguan", unit_kind="town", unit_name="城关镇"
        )
    )
    villages = [
        town.add_child(
            instance=VillageForumPage(
                title=f"{name}村微讲坛",
                slug=slug,
                unit_kind="village",
                unit_name=f"{name}村",
            )
        )
        for name, slug in (("东风", "dongfeng"), ("红旗", "hongqi"))
    ]
    start = timezone.now() + timedelta(days=3)
    draft = villages[1].add_child(
        instance=SessionPage(
            title="红旗村保密草稿",
            start=start,
            end=start + timedelta(hours=1),
            venue="村委",
            live=False,
        )
    )
    admin = get_user_model().objects.create_user("dongfeng_admin", password="x")
    admin.groups.add(villages[0].admin_group)
    return {
        "town": town,
        "own": villages[0],
        "sibling": villages[1],
        "draft": draft,
        "admin": admin,
    }


def test_a_village_admin_does_not_find_a_siblings_draft(client, tree):
    client.force_login(tree["admin"])
    response = client.get("/admin/pages/search/results/", {"q": "红旗村保密草稿"})
    assert response.status_code == 200
    # The query is echoed back; the page itself (its edit link) must not be.
    assert edit_link(tree["draft"]) not in response.content.decode()
    listing = client.get(f"/admin/pages/{tree['town'].pk}/")
    assert "红旗村保密草稿" not in listing.content.decode()
    assert "红旗村微讲坛" not in listing.content.decode()
    assert client.get(f"/admin/pages/{tree['draft'].pk}/edit/").status_code in (
        302,
        403,
    )


def test_the_town_admin_finds_it(client, tree):
    town_admin = get_user_model().objects.create_user("town_admin", password="x")
    town_admin.groups.add(tree["town"].admin_group)
    client.force_login(town_admin)
    response = client.get("/admin/pages/search/results/", {"q": "红旗村保密草稿"})
    assert edit_link(tree["draft"]) in response.content.decode()


def test_the_explorable_tree_is_his_subtree_and_the_way_down(tree):
    explorable = policy_registry.get_by_type(Page).explorable_instances(tree["admin"])
    titles = set(explorable.values_list("title", flat=True))
    assert titles == {"区级大讲坛", "城关镇小讲坛", "东风村微讲坛"}
