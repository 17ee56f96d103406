"""Subtree permissions, over real HTTP against the Wagtail admin, for every role.

A forum administrator holds his forum and everything below it, and nothing
beside or above it; a lecturer drafts sessions in his forum and nothing else;
a trainee does not get into the admin at all. Who may do what where, for
every role, action and forum, is the table in test_permission_matrix;
approval step by step is in test_workflow. These are the finer points.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.permissions import policy_registry

from lectures.models import SessionPage, VillageForumPage
from tests.factories import SessionFactory
from tests.wagtail_admin import (
    XHR,
    add_url,
    edit_url,
    explore_url,
    forum_form,
    refused,
    session_form,
)

pytestmark = pytest.mark.django_db


# Drafts outside a user's subtree ------------------------------------------


@pytest.fixture
def drafts(tree):
    """Drafts nobody has published: one below the town, one in the sibling town."""
    return {
        "village2": SessionFactory(
            parent=tree["village2"], title="红旗村内部草稿", live=False
        ),
        "sibling": SessionFactory(
            parent=tree["sibling"], title="青山镇内部草稿", live=False
        ),
    }


def drafts_found(client, drafts) -> set[str]:
    """Drafts the user finds in the explorer below their forum or in admin search."""
    found = set()
    for name, draft in drafts.items():
        listing = client.get(explore_url(draft.get_parent()))
        search = client.get(reverse("wagtailadmin_pages:search"), {"q": draft.title})
        # The search echoes the query; only a link to the page means it was found.
        if any(
            edit_url(draft) in response.content.decode()
            for response in (listing, search)
        ):
            found.add(name)
    return found


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("district_admin", {"village2", "sibling"}),
        ("town_admin", {"village2"}),
        # The village admin may add on the town (to propose a sibling) and the
        # lecturer on the town: Wagtail alone would list what lies below it.
        ("village_admin", set()),
        ("lecturer", set()),
    ],
)
def test_nobody_sees_a_draft_outside_his_subtree(login, people, drafts, role, visible):
    client = login(people[role])
    assert drafts_found(client, drafts) == visible
    for name, draft in drafts.items():
        if name not in visible:
            assert refused(client.get(edit_url(draft)))


def test_the_explorable_tree_is_his_subtree_and_the_way_down(village_admin, tree):
    explorable = policy_registry.get_by_type(Page).explorable_instances(village_admin)
    titles = set(explorable.values_list("title", flat=True))
    assert titles == {"区级大讲坛", "城关镇小讲坛", "东风村微讲坛"}  # not 红旗村


# Lecturers' groups follow their profiles -------------------------------------


def test_a_lecturer_joins_and_leaves_his_forums_groups(lecturer, tree):
    profile = lecturer.lecturer
    assert set(lecturer.groups.all()) == {tree["town"].lecturer_group}
    profile.forums.set([tree["town"], tree["village"]])
    profile.save()
    assert set(lecturer.groups.all()) == {
        tree["town"].lecturer_group,
        tree["village"].lecturer_group,
    }
    profile.forums.set([tree["village"]])
    profile.save()
    assert set(lecturer.groups.all()) == {tree["village"].lecturer_group}


# What each role may add ---------------------------------------------------


def test_a_lecturer_drafts_a_session_in_his_forum(login, lecturer, town):
    response = login(lecturer).post(
        add_url("sessionpage", town), session_form("营商环境专题")
    )
    assert response.status_code == 302
    assert not refused(response)
    session = SessionPage.objects.get(title="营商环境专题")
    assert session.get_parent().pk == town.pk
    assert session.owner == lecturer
    assert not session.live


@pytest.mark.parametrize("where", ["village", "sibling"])
def test_a_lecturer_drafts_nowhere_else(login, lecturer, tree, where):
    client = login(lecturer)
    assert refused(client.get(add_url("sessionpage", tree[where])))
    client.post(add_url("sessionpage", tree[where]), session_form("越界讲座"))
    assert not SessionPage.objects.filter(title="越界讲座").exists()


def test_a_lecturer_may_not_found_a_forum(login, lecturer, town):
    client = login(lecturer)
    url = add_url("villageforumpage", town)
    # His 'add' grant on the town would let Wagtail through; the hook forbids it.
    assert client.get(url, **XHR).status_code == 403
    assert refused(client.get(url))
    assert refused(client.post(url, forum_form("讲师自建村微讲坛", "zijian")))
    assert not VillageForumPage.objects.filter(slug="zijian").exists()


def test_a_village_admin_proposes_a_sibling_but_cannot_publish_it(
    login, village_admin, town
):
    client = login(village_admin)
    assert client.get(add_url("villageforumpage", town)).status_code == 200
    form = forum_form("幸福村微讲坛", "xingfu", action="action-publish")
    response = client.post(add_url("villageforumpage", town), form)
    assert response.status_code == 302
    assert not refused(response)
    proposed = VillageForumPage.objects.get(slug="xingfu")
    assert proposed.get_parent().pk == town.pk
    assert not proposed.live
    # Nor from the editor afterwards.
    client.post(edit_url(proposed), form)
    proposed.refresh_from_db()
    assert not proposed.live


@pytest.mark.parametrize(
    ("model", "where"),
    [
        ("villageforumpage", "sibling"),  # not his town
        ("unitforumpage", "district"),  # not his tier
        ("sessionpage", "town"),  # he administers the village, not the town
    ],
)
def test_a_village_admin_adds_nothing_else_outside_his_village(
    login, village_admin, tree, model, where
):
    assert refused(login(village_admin).get(add_url(model, tree[where])))


def test_a_trainee_has_no_admin_access(login, trainee, tree):
    client = login(trainee)
    for url in (
        reverse("wagtailadmin_home"),
        edit_url(tree["village"]),
        add_url("sessionpage", tree["village"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
