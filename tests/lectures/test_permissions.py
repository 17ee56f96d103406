"""Subtree permissions over real HTTP in the Wagtail admin, for every demo role."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from lectures.models import SessionPage, VillageForumPage
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

EDIT = "/admin/pages/{}/edit/"


def can_edit(client, user, page) -> bool:
    client.force_login(user)
    response = client.get(EDIT.format(page.pk))
    assert response.status_code in (200, 302, 403), response.status_code
    return response.status_code == 200


# role → which forums he may open in the editor
EDITABLE = {
    "district_admin": set(),  # every forum: filled in below
    "town_admin": {"town", "village", "village2"},
    "village_admin": {"village"},
    "lecturer": set(),
    "trainee": set(),
}


@pytest.mark.parametrize("role", list(EDITABLE))
def test_each_role_edits_exactly_his_subtree(client, tree, people, role):
    editable = {
        name for name, forum in tree.items() if can_edit(client, people[role], forum)
    }
    assert editable == (set(tree) if role == "district_admin" else EDITABLE[role])


def test_a_trainee_cannot_enter_the_admin(client, people):
    client.force_login(people["trainee"])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def session_form(title: str, action: str = "action-submit") -> dict:
    start = timezone.localtime() + timedelta(days=10)
    return nested_form_data(
        {
            "title": title,
            "slug": title,  # Wagtail's script fills it in from the title
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": (start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            "venue": "镇政府会议室",
            "status": "scheduled",
            "audience_scope": "all",
            "description": rich_text(""),
            "record_summary": rich_text(""),
            "study_hours": "2",
            "materials": inline_formset([]),
            "photos": inline_formset([]),
            "comments": inline_formset([]),
            action: "x",
        }
    )


def forum_form(title: str, slug: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "unit_kind": "village",
            "unit_name": title.replace("微讲坛", ""),
            "introduction": rich_text(""),
            "comments": inline_formset([]),
            "action-submit": "x",
        }
    )


def add_url(model: str, parent) -> str:
    return f"/admin/pages/add/lectures/{model}/{parent.pk}/"


def test_a_lecturer_drafts_a_session_in_his_forum_only(client, tree, people):
    client.force_login(people["lecturer"])
    response = client.post(add_url("sessionpage", tree["town"]), session_form("讲座"))
    assert response.status_code == 302, response.content.decode()[:2000]
    session = SessionPage.objects.get(title="讲座")
    assert not session.live
    assert session.get_parent().pk == tree["town"].pk
    sibling = client.post(add_url("sessionpage", tree["sibling"]), session_form("越界"))
    assert sibling.status_code in (302, 403)
    assert not SessionPage.objects.filter(title="越界").exists()


def test_a_lecturer_may_not_found_a_forum(client, tree, people):
    client.force_login(people["lecturer"])
    form = add_url("villageforumpage", tree["town"])
    assert client.get(form).status_code in (302, 403)
    client.post(form, forum_form("讲师自建村微讲坛", "zijian"))
    assert not VillageForumPage.objects.filter(slug="zijian").exists()


def test_a_village_admin_proposes_a_sibling_but_cannot_publish_it(client, tree, people):
    client.force_login(people["village_admin"])
    form = forum_form("幸福村微讲坛", "xingfu")
    form.pop("action-submit")
    form["action-publish"] = "x"
    client.post(add_url("villageforumpage", tree["town"]), form)
    proposed = VillageForumPage.objects.get(slug="xingfu")
    assert not proposed.live


def submit_and_review(client, submitter, parent, model, form):
    client.force_login(submitter)
    response = client.post(add_url(model, parent), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = parent.get_children().order_by("-path").first().specific
    return page, page.current_workflow_task_state


def act(client, user, page, task_state, action, comment=""):
    client.force_login(user)
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/",
        {"comment": comment},
    )


def test_the_town_approves_a_founding(client, tree, people):
    page, state = submit_and_review(
        client,
        people["village_admin"],
        tree["town"],
        "villageforumpage",
        forum_form("幸福村微讲坛", "xingfu"),
    )
    assert not page.live and state is not None
    reviewable = {
        name: TaskState.objects.reviewable_by(people[name]).filter(pk=state.pk).exists()
        for name in ("town_admin", "district_admin", "village_admin", "lecturer")
    }
    assert reviewable == {
        "town_admin": True,
        "district_admin": True,
        "village_admin": False,
        "lecturer": False,
    }
    refused = act(client, people["village_admin"], page, state, "approve")
    assert refused.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live

    act(client, people["town_admin"], page, state, "approve")
    page.refresh_from_db()
    assert page.live


def test_the_forum_rejects_a_session_with_a_comment(client, tree, people):
    page, state = submit_and_review(
        client, people["lecturer"], tree["town"], "sessionpage", session_form("讲座")
    )
    act(client, people["town_admin"], page, state, "reject", comment="请补充讲稿")
    state.refresh_from_db()
    page.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment == "请补充讲稿"
    assert not page.live


def test_a_sibling_town_cannot_approve(client, tree, people):
    sibling_admin = people["town_admin"].__class__.objects.create_user("sib")
    sibling_admin.groups.add(tree["sibling"].admin_group)
    page, state = submit_and_review(
        client, people["lecturer"], tree["town"], "sessionpage", session_form("讲座")
    )
    assert (
        not TaskState.objects.reviewable_by(sibling_admin).filter(pk=state.pk).exists()
    )
    act(client, sibling_admin, page, state, "approve")
    page.refresh_from_db()
    assert not page.live


def test_drafts_are_not_public(client, tree):
    draft = SessionFactory(parent=tree["town"], live=False)
    assert (
        client.get(draft.url or f"/district/chengguan/{draft.slug}/").status_code == 404
    )
