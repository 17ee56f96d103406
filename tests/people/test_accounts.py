"""Accounts in the admin: scoped to the viewer's subtree, searchable,
filterable, exportable, in a fixed number of queries; and what a person
keeps himself (login by mobile, his contact details, his first password)."""

import csv
import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lectures.models import Rank, TraineeProfile
from lectures.services.trainee_import import import_trainees
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/accounts/"
# The account list's fixed cost, for one account or many (pretalx-style).
QUERIES = 18  # with the admin menu's unread messages


def names_in(response) -> set[str]:
    content = response.content.decode()
    return {
        name
        for name in TraineeProfile.objects.values_list("real_name", flat=True)
        if name in content
    }


@pytest.fixture
def accounts(tree):
    """One account in each forum, named after it."""
    return {
        name: TraineeProfileFactory(
            real_name=f"{name}人",
            unit_forum=forum,
            rank=Rank.objects.get(name="一般干部"),
        )
        for name, forum in tree.items()
    }


def test_each_administrator_lists_the_accounts_of_his_subtree(
    accounts, login, district_admin, town_admin, village_admin
):
    expected = {
        district_admin: {f"{name}人" for name in accounts},
        town_admin: {"town人", "village人", "village2人"},
        village_admin: {"village人"},
    }
    for user, names in expected.items():
        response = Client()
        response.force_login(user)
        assert names_in(response.get(LIST)) == names, user.username


def test_trainees_and_lecturers_have_no_account_list(accounts, trainee, lecturer):
    for user in (trainee, lecturer):
        client = Client()
        client.force_login(user)
        response = client.get(LIST)
        assert response.status_code in (302, 403)


def test_search_by_name_or_mobile_and_filter_by_tier_and_active(
    accounts, login, district_admin
):
    client = login(district_admin)
    assert names_in(client.get(LIST, {"q": "village2"})) == {"village2人"}
    mobile = accounts["sibling"].mobile
    assert names_in(client.get(LIST, {"q": mobile})) == {"sibling人"}
    villages = names_in(client.get(LIST, {"tier": "village"}))
    assert villages == {"village人", "village2人", "sibling_village人"}
    below_town = names_in(
        client.get(LIST, {"unit_forum": accounts["town"].unit_forum_id})
    )
    assert below_town == {"town人", "village人", "village2人"}
    user = accounts["village"].user
    user.is_active = False
    user.save()
    assert names_in(client.get(LIST, {"active": "false"})) == {"village人"}


def test_the_list_exports_as_csv_and_xlsx(accounts, login, town_admin):
    client = login(town_admin)
    response = client.get(LIST, {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert {row[0] for row in rows[1:]} == {"town人", "village人", "village2人"}
    response = client.get(LIST, {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


@pytest.mark.parametrize("many", [False, True], ids=["1 account", "many accounts"])
def test_the_account_list_costs_a_fixed_number_of_queries(
    tree, login, town_admin, django_assert_num_queries, many
):
    for n in range(12 if many else 1):
        TraineeProfileFactory(unit_forum=tree["village" if n % 2 else "town"])
    client = login(town_admin)
    client.get(LIST)
    with django_assert_num_queries(QUERIES):
        response = client.get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("people_account_add") in content
    some = TraineeProfile.objects.filter(unit_forum=tree["town"]).first()
    assert reverse("people_account_edit", args=[some.pk]) in content


def test_an_edit_outside_the_subtree_is_refused_and_changes_nothing(
    accounts, login, town_admin
):
    outsider = accounts["sibling_village"]
    client = login(town_admin)
    url = reverse("people_account_edit", args=[outsider.pk])
    response = client.post(url, {"real_name": "改名", "mobile": outsider.mobile})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    outsider.refresh_from_db()
    assert outsider.real_name == "sibling_village人"


def test_an_account_is_deactivated_not_deleted(accounts, login, town_admin):
    profile = accounts["village"]
    client = login(town_admin)
    response = client.post(
        reverse("people_account_edit", args=[profile.pk]),
        {
            "real_name": profile.real_name,
            "mobile": profile.mobile,
            "unit_forum": profile.unit_forum_id,
            "rank": profile.rank_id,
        },
    )
    assert response.status_code == 302
    profile.user.refresh_from_db()
    assert profile.user.is_active is False
    assert TraineeProfile.objects.filter(pk=profile.pk).exists()


def test_a_town_cannot_move_an_account_out_of_its_subtree(
    accounts, login, town_admin, tree
):
    profile = accounts["village"]
    client = login(town_admin)
    response = client.post(
        reverse("people_account_edit", args=[profile.pk]),
        {
            "real_name": profile.real_name,
            "mobile": profile.mobile,
            "unit_forum": tree["sibling"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.unit_forum_id == tree["village"].pk


def test_every_account_is_given_a_rank_and_a_rankless_one_is_fixed_in_its_form(
    accounts, login, town_admin
):
    """An account made before ranks were required has none: its form asks
    for one, and saving it gives him his rank."""
    profile = accounts["village"]
    TraineeProfile.objects.filter(pk=profile.pk).update(rank=None)
    client = login(town_admin)
    url = reverse("people_account_edit", args=[profile.pk])
    facts = {
        "real_name": profile.real_name,
        "mobile": profile.mobile,
        "unit_forum": profile.unit_forum_id,
        "is_active": "on",
    }
    refused = client.post(url, facts)
    assert refused.status_code == 200
    assert "每名干部都有职级" in str(refused.context["form"].errors["rank"])
    added = client.post(
        reverse("people_account_add"),
        {
            "real_name": "新人",
            "mobile": "13955556666",
            "unit_forum": facts["unit_forum"],
        },
    )
    assert added.status_code == 200
    assert not TraineeProfile.objects.filter(mobile="13955556666").exists()
    rank = Rank.objects.get(name="村（社区）干部")
    assert client.post(url, facts | {"rank": rank.pk}).status_code == 302
    profile.refresh_from_db()
    assert profile.rank == rank


# What a person keeps himself ------------------------------------------------


def test_one_logs_in_with_the_user_name_or_the_mobile(tree):
    profile = TraineeProfileFactory(mobile="13955556666")
    for name in (profile.user.username, "13955556666"):
        response = Client().post(
            reverse("login"), {"username": name, "password": "pass-1234"}
        )
        assert response.status_code == 302, name
    response = Client().post(
        reverse("login"), {"username": "13955556666", "password": "wrong-one"}
    )
    assert response.status_code == 200


def test_wrong_passwords_by_mobile_are_still_locked_out(tree, settings):
    TraineeProfileFactory(mobile="13955556667")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "13955556667", "password": "x"})
    response = client.post(
        reverse("login"), {"username": "13955556667", "password": "pass-1234"}
    )
    assert response.status_code == 429


def test_imported_accounts_must_set_their_own_password_first(tree):
    content = "姓名,手机号,单位,职级\n王五,13966667777,城关镇,一般干部\n".encode()
    report = import_trainees("roster.csv", content, initial_password="chushi-2026")
    assert report.ok
    client = Client()
    client.post(
        reverse("login"), {"username": "13966667777", "password": "chushi-2026"}
    )
    response = client.get(reverse("lectures:me"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("password_change"))


def test_the_trainee_keeps_his_own_mobile_and_email(tree, login):
    profile = TraineeProfileFactory(
        unit_forum=tree["town"], rank=Rank.objects.get(name="乡科级正职")
    )
    TraineeProfileFactory(mobile="13977778888")
    client = login(profile.user)
    page = client.get(reverse("my_account")).content.decode()
    assert "乡科级正职" in page
    assert "城关镇" in page
    response = client.post(
        reverse("my_account"), {"mobile": "13977778888", "email": "a@b.cn"}
    )
    assert response.status_code == 200
    assert "已属于另一个账号" in response.content.decode()
    profile.refresh_from_db()
    assert profile.mobile != "13977778888"
    response = client.post(
        reverse("my_account"), {"mobile": "139 7777 9999", "email": "a@b.cn"}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert (profile.mobile, profile.user.email) == ("13977779999", "a@b.cn")


def test_a_forgotten_password_is_reset_by_email(tree):
    user = UserFactory(email="zhang@example.org")
    response = Client().post(reverse("password_reset"), {"email": "zhang@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert user.username in mail.outbox[0].body


def test_the_appointed_and_the_removed_are_told_in_their_inbox(tree, town_admin):
    from people.services.appointments import Role, appoint, remove
    from training_site.notify.models import Notice

    clerk = TraineeProfileFactory(unit_forum=tree["village"]).user
    appoint(town_admin, tree["village"], clerk, Role.ADMINISTRATOR)
    remove(town_admin, tree["village"], clerk, Role.ADMINISTRATOR)
    told = Notice.objects.filter(recipient=clerk).order_by("pk")
    assert [n.kind for n in told] == ["people.appointed", "people.removed"]
    assert tree["village"].title in told[0].subject
