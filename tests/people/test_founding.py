"""Founding a forum: the application travels with the proposal; approval
founds the forum (date, approval record, its administrator); a request for
changes keeps the application and its reason; the town's dashboard shows
what is in progress."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lectures.models import ForumPage, TraineeProfile, UnitForumPage
from people.views.dashboard import FoundingPanel
from stats.figures import summary
from stats.query import ReportQuery
from tests.factories import TraineeProfileFactory, UserFactory
from tests.wagtail_admin import add_url, forum_form, workflow_action_url

pytestmark = pytest.mark.django_db

APPLICATION = {
    "founder_name": "刘春花",
    "founder_mobile": "13811112222",
    "application_venue": "幸福村党群服务中心",
    "application_plan": "每月一讲，上半年六讲",
}


def propose(client, user, parent, title, slug, model="villageforumpage", **form):
    client.force_login(user)
    data = forum_form(title, slug, **{**APPLICATION, **form})
    if model == "unitforumpage":
        data["unit_kind"] = "town"
    response = client.post(add_url(model, parent), data)
    assert response.status_code == 302
    return ForumPage.objects.get(slug=slug).specific


def decide(client, user, page, action: str, comment: str = ""):
    client.force_login(user)
    state = ForumPage.objects.get(pk=page.pk).current_workflow_task_state
    return client.post(workflow_action_url(page, action, state), {"comment": comment})


def test_the_application_is_kept_with_the_proposal(client, tree, village_admin):
    forum = propose(client, village_admin, tree["town"], "幸福村微讲坛", "xingfu")
    draft = forum.get_latest_revision_as_object()
    assert draft.founder_name == "刘春花"
    assert draft.application_plan == "每月一讲，上半年六讲"
    assert not forum.live


def test_approval_makes_an_account_for_a_person_without_one(
    client, tree, village_admin, town_admin
):
    forum = propose(client, village_admin, tree["town"], "幸福村微讲坛", "xingfu")
    decide(client, town_admin, forum, "approve", "同意")
    founded = ForumPage.objects.get(pk=forum.pk)
    assert founded.live
    assert founded.approval_note == "同意"
    profile = TraineeProfile.objects.get(mobile="13811112222")
    assert profile.real_name == "刘春花"
    assert profile.unit_forum_id == founded.pk
    assert profile.user.groups.filter(pk=founded.admin_group_id).exists()
    # No password until the town gives her a set-password slip.
    assert not profile.user.has_usable_password()


def test_a_founded_forum_counts_in_the_network_report(
    client, tree, village_admin, town_admin
):
    today = timezone.localdate()
    query = ReportQuery(start=today.replace(month=1, day=1), end=today)
    before = summary(query).forums_founded_in_period["village"]
    forum = propose(client, village_admin, tree["town"], "幸福村微讲坛", "xingfu")
    decide(client, town_admin, forum, "approve")
    assert summary(query).forums_founded_in_period["village"] == before + 1


def test_a_later_edit_keeps_the_approval_and_the_founding_date(
    client, tree, village_admin, town_admin
):
    forum = propose(client, village_admin, tree["town"], "幸福村微讲坛", "xingfu")
    decide(client, town_admin, forum, "approve", "镇批〔2026〕3号")
    founded = ForumPage.objects.get(pk=forum.pk).specific
    revision = founded.save_revision(user=town_admin)
    revision.publish(user=town_admin)
    again = ForumPage.objects.get(pk=forum.pk)
    assert again.approval_note == "镇批〔2026〕3号"
    assert again.approved_by == town_admin
    assert again.founded_on == timezone.localdate()
    assert again.admin_group_id == founded.admin_group_id


def test_a_request_for_changes_keeps_the_application_and_its_reason(
    client, tree, village_admin, town_admin
):
    forum = propose(client, village_admin, tree["town"], "幸福村微讲坛", "xingfu")
    decide(client, town_admin, forum, "reject", "请补充村两委意见")
    kept = ForumPage.objects.get(pk=forum.pk)
    assert not kept.live
    assert kept.approved_at is None
    assert kept.get_latest_revision_as_object().founder_name == "刘春花"
    assert not TraineeProfile.objects.filter(mobile="13811112222").exists()
    client.force_login(town_admin)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "幸福村微讲坛" in dashboard
    assert "请补充村两委意见" in dashboard
    client.force_login(village_admin)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "请补充村两委意见" in dashboard


def test_the_district_founds_a_town_forum_the_same_way(
    client, tree, town_admin, district_admin
):
    TraineeProfileFactory(mobile="13811112222", unit_forum=tree["district"])
    forum = propose(
        client,
        town_admin,
        tree["district"],
        "新城街道小讲坛",
        "xincheng",
        model="unitforumpage",
    )
    decide(client, district_admin, forum, "approve", "区委组织部批复〔2026〕7号")
    founded = UnitForumPage.objects.get(pk=forum.pk)
    assert founded.live
    assert founded.approved_by == district_admin
    founder = TraineeProfile.objects.get(mobile="13811112222").user
    assert founder.groups.filter(pk=founded.admin_group_id).exists()


def test_another_towns_dashboard_does_not_show_the_application(
    client, tree, village_admin
):
    propose(client, village_admin, tree["town"], "幸福村微讲坛", "xingfu")
    other = Client()
    other.force_login(UserFactory(groups=[tree["sibling"].admin_group]))
    dashboard = other.get(reverse("wagtailadmin_home")).content.decode()
    assert "幸福村微讲坛" not in dashboard


def test_the_dashboard_panel_costs_the_same_for_one_or_many_applications(
    client, rf, tree, village_admin, town_admin
):
    """The founding panel itself (Wagtail's own review panel beside it
    costs a few queries per page in moderation, as for sessions)."""

    def cost() -> int:
        request = rf.get("/admin/")
        request.user = type(town_admin).objects.get(pk=town_admin.pk)
        with CaptureQueriesContext(connection) as queries:
            html = FoundingPanel().render_html({"request": request})
        assert "幸福村微讲坛" in html
        return len(queries)

    first = propose(client, village_admin, tree["town"], "幸福村微讲坛", "xingfu")
    decide(client, town_admin, first, "reject", "请补充材料")
    one = cost()
    for n in range(3):
        propose(client, village_admin, tree["town"], f"新村{n}微讲坛", f"xincun-{n}")
    assert cost() == one == 5  # his subtrees, the forums, states, parents, reasons


def test_approving_an_edit_of_a_live_forum_records_no_founding(
    client, tree, town_admin, village_admin
):
    village = tree["village"]
    village.save_revision(user=village_admin)
    village.get_workflow().start(village, village_admin)
    decide(client, town_admin, village, "approve", "同意修改")
    again = ForumPage.objects.get(pk=village.pk)
    assert again.approved_at is None
    assert again.approval_note == ""
