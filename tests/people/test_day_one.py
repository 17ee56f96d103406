"""The issue's "Done when", over HTTP as a new user would: a town creates
and appoints a village administrator, she sets her password and runs her
forum only; a village proposes a 微讲坛 and the town's approval founds it;
the district resets a trainee's password with a one-time link."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lectures.models import ForumPage, Rank, TraineeProfile, VillageForumPage
from tests.factories import TraineeProfileFactory
from tests.wagtail_admin import (
    add_url,
    edit_url,
    forum_form,
    refused,
    workflow_action_url,
)

pytestmark = pytest.mark.django_db

HER_MOBILE = "13912345678"


def create_and_appoint(client, forum, **overrides):
    data = {
        "real_name": "张小梅",
        "mobile": HER_MOBILE,
        "unit_forum": forum.pk,
        "position": "村党支部书记",
        "rank": Rank.objects.get(name="村（社区）干部").pk,
        "initial_password": "chushi-2026",
        "role": "administrator",
        **overrides,
    }
    return client.post(reverse("people_forum_create", args=[forum.pk]), data)


def logs_in(username: str, password: str) -> bool:
    response = Client().post(
        reverse("login"), {"username": username, "password": password}
    )
    return response.status_code == 302


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_town_founds_a_village_forum_with_its_new_administrator(
    tree, town_admin, village_admin
):
    town_client = Client()
    town_client.force_login(town_admin)
    village2 = tree["village2"]

    # demo_town creates her account and appoints her to a village forum.
    response = create_and_appoint(town_client, village2)
    assert response.status_code == 302, response.content.decode()[:2000]
    her = TraineeProfile.objects.get(mobile=HER_MOBILE).user
    assert her.groups.filter(pk=village2.admin_group_id).exists()
    assert (
        village2.get_latest_log_entry
        if hasattr(village2, "get_latest_log_entry")
        else True
    )

    # She logs in with her mobile and is made to set her password first.
    her_client = Client()
    response = her_client.post(
        reverse("login"), {"username": HER_MOBILE, "password": "chushi-2026"}
    )
    assert response.status_code == 302
    response = her_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("password_change"))
    response = her_client.post(
        reverse("password_change"),
        {
            "old_password": "chushi-2026",
            "new_password1": "Meihua-cun-2026",
            "new_password2": "Meihua-cun-2026",
        },
    )
    assert response.status_code == 302
    assert not TraineeProfile.objects.get(user=her).must_change_password

    # She edits her forum and sees nothing of any other village.
    assert her_client.get(edit_url(village2)).status_code == 200
    for other in ("village", "sibling_village"):
        assert refused(her_client.get(edit_url(tree[other])))
    assert refused(her_client.get(reverse("people_forum", args=[tree["village"].pk])))

    # demo_village proposes a 微讲坛 with her as the person to run it.
    village_client = Client()
    village_client.force_login(village_admin)
    response = village_client.post(
        add_url("villageforumpage", tree["town"]),
        forum_form(
            "杏花村微讲坛",
            "xinghua",
            founder_name="张小梅",
            founder_mobile=HER_MOBILE,
            application_venue="杏花村党群服务中心",
            application_plan="上半年每月一讲",
        ),
    )
    assert response.status_code == 302
    proposed = VillageForumPage.objects.get(slug="xinghua")
    assert not proposed.live

    # The town sees it on its dashboard, and approves it with its 批复 number.
    dashboard = town_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "杏花村微讲坛" in dashboard
    state = proposed.current_workflow_task_state
    response = town_client.post(
        workflow_action_url(proposed, "approve", state),
        {"comment": "城关镇党委〔2026〕12号"},
    )
    assert response.status_code in (200, 302)
    founded = ForumPage.objects.get(pk=proposed.pk)
    assert founded.live
    assert founded.founded_on == timezone.localdate()
    assert founded.approved_by == town_admin
    assert founded.approval_note == "城关镇党委〔2026〕12号"
    assert her.groups.filter(pk=founded.admin_group_id).exists()
    assert her_client.get(edit_url(founded)).status_code == 200


def test_the_district_resets_a_password_with_a_one_time_link(tree, district_admin):
    trainee = TraineeProfileFactory(unit_forum=tree["village"]).user
    admin = Client()
    admin.force_login(district_admin)
    url = reverse("people_account_password", args=[trainee.trainee.pk])
    assert admin.get(url).status_code == 200
    slip = admin.post(url)
    assert slip.status_code == 200
    assert "no-store" in slip["Cache-Control"]
    link = re.search(
        r"http://testserver(/accounts/set-password/[^<\s]+/)", slip.content.decode()
    ).group(1)

    # The old password stops working at once.
    assert not logs_in(trainee.username, "pass-1234")

    person = Client()
    response = person.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    response = person.post(
        form_url, {"new_password1": "Xin-mima-2026", "new_password2": "Xin-mima-2026"}
    )
    assert response.status_code == 302
    assert logs_in(trainee.trainee.mobile, "Xin-mima-2026")

    # The link works once.
    again = Client().get(link, follow=True)
    assert (
        "This link is invalid" in again.content.decode()
        or "链接无效" in again.content.decode()
    )
    assert logs_in(trainee.username, "Xin-mima-2026")


# Bad input: a clear, translated refusal, nothing changed --------------------


def test_a_duplicate_mobile_is_refused(tree, town_admin):
    TraineeProfileFactory(mobile=HER_MOBILE, unit_forum=tree["village"])
    client = Client()
    client.force_login(town_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    before = TraineeProfile.objects.count()
    response = create_and_appoint(client, tree["village2"])
    assert response.status_code == 200
    assert "已属于另一个账号" in response.content.decode()
    assert TraineeProfile.objects.count() == before


def test_an_unknown_unit_is_refused(tree, town_admin):
    client = Client()
    client.force_login(town_admin)
    before = TraineeProfile.objects.count()
    response = client.post(
        reverse("people_account_add"),
        {
            "real_name": "王五",
            "mobile": "13911112222",
            "unit_forum": tree["sibling"].pk,
            "rank": Rank.objects.get(name="一般干部").pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit_forum"]
    assert TraineeProfile.objects.count() == before


def test_appointing_outside_ones_subtree_is_refused(tree, town_admin):
    outsider = TraineeProfileFactory(unit_forum=tree["sibling_village"]).user
    mine = TraineeProfileFactory(unit_forum=tree["village"]).user
    client = Client()
    client.force_login(town_admin)
    # Someone of another town, to my forum.
    response = client.post(
        reverse("people_forum_appoint", args=[tree["village"].pk]),
        {"user": outsider.pk, "role": "administrator"},
        follow=True,
    )
    assert "只能任命" in messages_of(response)
    assert not outsider.groups.exists()
    # Someone of mine, to another town's forum.
    response = client.post(
        reverse("people_forum_appoint", args=[tree["sibling_village"].pk]),
        {"user": mine.pk, "role": "administrator"},
    )
    assert refused(response)
    assert not mine.groups.exists()


def test_nobody_is_raised_above_the_actor(tree, town_admin, district_admin):
    """A town's administrator cannot reset the district administrator's
    password, even when the district's profile says the town is his unit."""
    TraineeProfileFactory(user=district_admin, unit_forum=tree["town"])
    client = Client()
    client.force_login(town_admin)
    url = reverse("people_account_password", args=[district_admin.trainee.pk])
    assert refused(client.post(url))
    assert district_admin.has_usable_password()
