"""Approval by the tier above, through Wagtail's workflow in the admin.

A village admin proposes a new 微讲坛 under his town and the town approves
its founding; a lecturer's session is approved by its forum's administrators.
Everything goes over HTTP: the editor's "submit" and the workflow action URL.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page, TaskState

from lectures.models import SessionPage, VillageForumPage
from tests.factories import UserFactory
from tests.wagtail_admin import (
    XHR,
    add_url,
    edit_url,
    forum_form,
    refused,
    session_form,
    workflow_action_url,
)

pytestmark = pytest.mark.django_db


def submit(client, user, model: str, parent, form: dict):
    """Create a page in the editor with "submit for moderation"; return it."""
    client.force_login(user)
    response = client.post(add_url(model, parent), form)
    assert response.status_code == 302
    assert not refused(response)
    page = Page.objects.get(title=form["title"]).specific
    assert page.get_parent().pk == parent.pk
    return page


def act(client, user, page, action: str, comment: str = "", **headers):
    client.force_login(user)
    state = page.current_workflow_task_state
    return client.post(
        workflow_action_url(page, action, state), {"comment": comment}, **headers
    )


def reviewers(people, page) -> set[str]:
    """The roles whose moderation list holds the page's current task."""
    state = page.current_workflow_task_state
    return {
        role
        for role, user in people.items()
        if TaskState.objects.reviewable_by(user).filter(pk=state.pk).exists()
    }


@pytest.fixture
def other_admins(tree):
    """Administrators beside the pages under review: village2's and the sibling's."""
    return {
        "village2_admin": UserFactory(groups=[tree["village2"].admin_group]),
        "sibling_admin": UserFactory(groups=[tree["sibling"].admin_group]),
    }


# Founding a 微讲坛 ---------------------------------------------------------


@pytest.fixture
def founding(client, tree, people):
    return submit(
        client,
        people["village_admin"],
        "villageforumpage",
        tree["town"],
        forum_form("幸福村微讲坛", "xingfu"),
    )


def test_a_proposed_forum_waits_for_the_town(founding):
    assert not founding.live
    assert founding.workflow_in_progress
    assert founding.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_the_town_and_the_district_review_a_founding(founding, people, other_admins):
    everyone = {**people, **other_admins}
    assert reviewers(everyone, founding) == {"town_admin", "district_admin"}


def test_the_town_approves_a_founding(client, founding, people):
    response = act(client, people["town_admin"], founding, "approve")
    assert response.status_code == 302
    assert response["Location"] == edit_url(founding)
    founding.refresh_from_db()
    assert founding.live
    assert not founding.workflow_in_progress


@pytest.mark.parametrize("who", ["village_admin", "village2_admin", "sibling_admin"])
def test_no_one_beside_the_town_approves(client, founding, people, other_admins, who):
    user = {**people, **other_admins}[who]
    assert refused(act(client, user, founding, "approve"))
    assert act(client, user, founding, "approve", **XHR).status_code == 403
    founding.refresh_from_db()
    assert not founding.live
    assert founding.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_the_town_rejects_a_founding_with_a_comment(client, founding, people):
    state = founding.current_workflow_task_state
    act(client, people["town_admin"], founding, "reject", comment="请补充村两委意见")
    state.refresh_from_db()
    founding.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment == "请补充村两委意见"
    assert state.finished_by == people["town_admin"]
    assert not founding.live
    assert VillageForumPage.objects.filter(slug="xingfu", live=False).exists()


# A lecturer's session ----------------------------------------------------


@pytest.fixture
def session(client, tree, people):
    return submit(
        client,
        people["lecturer"],
        "sessionpage",
        tree["town"],
        session_form("优化营商环境专题讲座"),
    )


def test_the_forum_and_the_district_review_a_session(session, people, other_admins):
    everyone = {**people, **other_admins}
    assert reviewers(everyone, session) == {"town_admin", "district_admin"}


def test_the_forum_approves_a_session(client, session, people):
    assert not session.live
    act(client, people["town_admin"], session, "approve", comment="同意")
    session.refresh_from_db()
    assert session.live
    assert session.number == 1


@pytest.mark.parametrize("who", ["lecturer", "village_admin", "sibling_admin"])
def test_no_one_else_approves_a_session(client, session, people, other_admins, who):
    user = {**people, **other_admins}[who]
    assert refused(act(client, user, session, "approve"))
    session.refresh_from_db()
    assert not session.live


def test_the_forum_rejects_a_session_with_a_comment(client, session, people):
    state = session.current_workflow_task_state
    act(client, people["town_admin"], session, "reject", comment="请补充讲稿")
    state.refresh_from_db()
    session.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment == "请补充讲稿"
    assert not session.live


def test_a_village_session_is_approved_by_the_village(client, tree, people):
    page = submit(
        client,
        people["village_admin"],
        "sessionpage",
        tree["village"],
        session_form("村规民约宣讲"),
    )
    assert reviewers(people, page) == {"village_admin", "town_admin", "district_admin"}
    act(client, people["village_admin"], page, "approve")
    page.refresh_from_db()
    assert page.live


def test_a_task_cannot_be_decided_through_another_pages_url(
    client, tree, people, session
):
    """Regression: the village admin may decide on his own village's pages only.

    He puts one of his own pages in moderation, then posts "reject" with his
    page's id and the *town's* session's task state. Wagtail checks the
    actions he has on the page named in the URL and then acts on the task
    state named in the URL, whichever page it belongs to.
    """
    own = submit(
        client,
        people["village_admin"],
        "sessionpage",
        tree["village"],
        session_form("村内讲座"),
    )
    target = session.current_workflow_task_state
    client.force_login(people["village_admin"])
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action", args=[own.pk, "reject", target.pk]
        ),
        {"comment": "越权驳回"},
    )
    assert refused(response)
    target.refresh_from_db()
    assert target.status == TaskState.STATUS_IN_PROGRESS
    assert SessionPage.objects.get(pk=session.pk).workflow_in_progress


def test_a_session_waiting_for_approval_is_on_the_forums_dashboard(
    client, session, people
):
    client.force_login(people["town_admin"])
    home = client.get("/admin/").content.decode()
    assert "待审批讲次：1 个" in home
    assert session.title in home
    act(client, people["town_admin"], session, "approve", comment="同意")
    client.force_login(people["town_admin"])
    assert "待审批讲次：0 个" in client.get("/admin/").content.decode()
