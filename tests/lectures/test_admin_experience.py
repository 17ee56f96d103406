"""The admin says what is going on: one count of what waits for approval,
a lecturer's own desk, the add menu a role may use, an approval state that
shows itself, and the roster marked in one save."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lectures.models import Attendance, AttendanceStatus, SessionStatus
from lectures.services import roster as roster_service
from lectures.services.lecturer_desk import lecturer_desk
from lectures.services.registration import register
from tests.factories import SessionFactory, UserFactory
from tests.lectures.test_roster import trainee
from tests.lectures.test_workflow import act, submit
from tests.wagtail_admin import edit_url, session_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client, tree, people):
    return submit(
        client,
        people["lecturer"],
        "sessionpage",
        tree["town"],
        session_form("待审讲座"),
    )


# One count ------------------------------------------------


@pytest.mark.parametrize("who", ["town_admin", "district_admin"])
def test_the_dashboards_count_is_what_awaits_the_viewers_review(
    client, submitted, people, who
):
    client.force_login(people[who])
    home = client.get("/admin/").content.decode()
    assert "待审批讲次：1 个" in home
    assert submitted.title in home  # also in Wagtail's "awaiting your review"


def test_a_session_in_a_subtree_one_cannot_approve_is_not_counted(client, tree, people):
    # The village administrator's own session is approved by the village:
    # the town administrator may approve it too; the sibling's may not.
    sibling_admin = UserFactory(groups=[tree["sibling"].admin_group])
    submit(
        client, people["lecturer"], "sessionpage", tree["town"], session_form("别处的")
    )
    client.force_login(sibling_admin)
    assert "待审批讲次：0 个" in client.get("/admin/").content.decode()


# The lecturer's desk ---------------------------------------------------------------


def test_the_lecturer_sees_his_sessions_by_what_is_to_be_done(
    client, tree, people, submitted
):
    lecturer = people["lecturer"].lecturer
    client.force_login(people["lecturer"])
    client.post(
        reverse(
            "wagtailadmin_pages:add", args=["lectures", "sessionpage", tree["town"].pk]
        ),
        session_form("还在写的", action="action-save"),
    )
    ended = SessionFactory(
        parent=tree["town"],
        start=timezone.now() - timedelta(days=2),
        status=SessionStatus.SCHEDULED,
        lecturers=[lecturer],
    )
    act(client, people["town_admin"], submitted, "reject", comment="请补充讲稿")
    client.force_login(people["lecturer"])
    home = client.get("/admin/").content.decode()
    assert "我的讲次" in home
    assert "还在写的" in home
    assert "退回修改：1 个" in home
    assert "请补充讲稿" in home
    assert ended.title in home
    assert reverse("lectures_roster", args=[ended.pk]) in home
    assert "我的评估结果" in home
    assert "个页面" not in home  # no site-wide page count for a lecturer


@pytest.mark.parametrize("many", [False, True], ids=["one", "many"])
def test_the_lecturers_desk_costs_the_same_queries_for_one_or_many(
    tree, people, many, django_assert_num_queries
):
    lecturer = people["lecturer"].lecturer
    for n in range(6 if many else 1):
        SessionFactory(
            parent=tree["town"],
            start=timezone.now() - timedelta(days=n + 1),
            lecturers=[lecturer],
            live=False,
        )
    with django_assert_num_queries(6):
        desk = lecturer_desk(people["lecturer"])
    assert len(desk.to_record) == (6 if many else 1)


# The add menu ------------------------------------------------


def test_a_lecturer_is_offered_sessions_only_and_goes_straight_to_the_form(
    client, tree, people
):
    client.force_login(people["lecturer"])
    response = client.get(
        reverse("wagtailadmin_pages:add_subpage", args=[tree["town"].pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=["lectures", "sessionpage", tree["town"].pk]
    )


def test_the_towns_administrator_is_offered_every_type_the_tree_allows(
    client, tree, people
):
    client.force_login(people["town_admin"])
    response = client.get(
        reverse("wagtailadmin_pages:add_subpage", args=[tree["town"].pk])
    )
    assert response.status_code == 200
    names = {page_type[2] for page_type in response.context["page_types"]}
    assert {"sessionpage", "villageforumpage"} <= names


# Approval that shows itself ------------------------------------------------


def test_submitting_is_the_lecturers_primary_action(client, tree, people):
    client.force_login(people["lecturer"])
    response = client.get(
        reverse(
            "wagtailadmin_pages:add", args=["lectures", "sessionpage", tree["town"].pk]
        )
    )
    menu = response.context["action_menu"]
    assert menu.default_item.name == "action-submit"
    assert "提交审批" in menu.render_html()


def test_approving_says_so(client, submitted, people):
    response = act(client, people["town_admin"], submitted, "approve")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(f"“{submitted.title}”已批准。" in m for m in messages)


def test_a_session_sent_back_shows_the_reviewers_comment_above_its_form(
    client, submitted, people
):
    act(client, people["town_admin"], submitted, "reject", comment="请补充讲稿")
    client.force_login(people["lecturer"])
    page = client.get(edit_url(submitted)).content.decode()
    banner = page[page.index("review-banner") :][:800]
    assert "退回修改" in banner
    assert "请补充讲稿" in banner
    assert "重新提交审批" in page


def test_the_sessions_header_links_its_roster_for_organisers(client, submitted, people):
    roster = reverse("lectures_roster", args=[submitted.pk])
    client.force_login(people["town_admin"])
    assert roster in client.get(edit_url(submitted)).content.decode()
    client.force_login(people["village_admin"])
    assert client.get(roster).status_code == 302  # refused: not his session


# The roster ------------------------------------------------


@pytest.fixture
def session(tree):
    return SessionFactory(
        parent=tree["town"], start=timezone.now() + timedelta(hours=1), capacity=10
    )


@pytest.fixture
def registered(session):
    people = [trainee(f"学员{n}", f"1390000000{n}") for n in range(3)]
    for user in people:
        register(session, user)
    return people


def mark_many(client, session, rows, **extra):
    return client.post(
        reverse("lectures_roster_mark_many", args=[session.pk]),
        {
            "user": [user.pk for user, _status, _reason in rows],
            "status": [status for _user, status, _reason in rows],
            "reason": [reason for _user, _status, reason in rows],
            **extra,
        },
    )


def test_the_roster_is_marked_in_one_save(client, session, registered, people):
    a, b, c = registered
    client.force_login(people["town_admin"])
    mark_many(
        client, session, [(a, "present", ""), (b, "on_leave", "出差"), (c, "", "")]
    )
    assert dict(Attendance.objects.values_list("user_id", "status")) == {
        a.pk: "present",
        b.pk: "on_leave",
    }


def test_ticked_rows_are_marked_alike(client, session, registered, people):
    client.force_login(people["town_admin"])
    rows = [(user, "", "") for user in registered]
    mark_many(
        client, session, rows, picked=[u.pk for u in registered[:2]], set_status="late"
    )
    statuses = dict(Attendance.objects.values_list("user_id", "status"))
    assert statuses == {registered[0].pk: "late", registered[1].pk: "late"}


def test_one_refused_mark_saves_none(client, session, registered, people):
    a, b, _c = registered
    client.force_login(people["town_admin"])
    response = mark_many(
        client, session, [(a, "present", ""), (b, "on_leave", ""), (_c, "", "")]
    )
    assert not Attendance.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("学员1" in m for m in messages)


def test_unchanged_marks_are_left_alone(session, registered, people):
    a = registered[0]
    roster_service.mark(
        session, a.pk, AttendanceStatus.PRESENT, by=people["town_admin"]
    )
    changed = roster_service.mark_many(
        session, {a.pk: ("present", "")}, by=people["town_admin"]
    )
    assert changed == 0


def test_the_roster_finds_by_name_and_has_its_tools_on_top(
    client, session, registered, people
):
    client.force_login(people["town_admin"])
    page = client.get(
        reverse("lectures_roster", args=[session.pk]), {"find": "学员1"}
    ).content.decode()
    table = page[page.index('id="roster-marks"') :]
    assert "学员1" in table
    assert "学员0" not in table
    assert page.index("roster-tools") < page.index('id="roster-marks"')


@pytest.mark.parametrize("many", [False, True], ids=["one", "many"])
def test_the_roster_page_costs_the_same_queries_for_one_or_many(
    client, session, people, many, django_assert_num_queries
):
    for n in range(8 if many else 1):
        register(session, trainee(f"人{n}", f"1370000000{n}"))
    client.force_login(people["town_admin"])
    url = reverse("lectures_roster", args=[session.pk])
    client.get(url)
    with django_assert_num_queries(ROSTER_QUERIES):
        assert client.get(url, {"find": "人"}).status_code == 200


ROSTER_QUERIES = 19  # with the count of other attendees (mixed audiences)


def test_the_check_in_screen_says_scan_first_and_links_the_roster(
    client, session, people
):
    client.force_login(people["town_admin"])
    page = client.get(session.url + "checkin/screen/").content.decode()
    assert page.index("扫码签到") < page.index("或")
    assert reverse("lectures_roster", args=[session.pk]) in page


# Choosers ------------------------------------------------


def test_the_lecturers_account_is_chosen_not_listed(client, people):
    lecturer = people["lecturer"].lecturer
    client.force_login(people["district_admin"])
    page = client.get(
        reverse("wagtailsnippets_lectures_lecturer:edit", args=[lecturer.pk])
    ).content.decode()
    assert 'name="user"' in page
    assert "account_chooser" in page
    assert '<select name="user"' not in page
    found = client.get(
        reverse("account_chooser:choose_results"), {"q": people["lecturer"].username}
    )
    assert people["lecturer"].username in found.content.decode()


def test_a_sessions_lecturers_are_ticked_under_a_search_box(client, submitted, people):
    client.force_login(people["town_admin"])
    page = client.get(edit_url(submitted)).content.decode()
    assert "data-searchable-checkboxes" in page
    assert 'type="checkbox" name="lecturers"' in page
