"""The organisers' pages in the Wagtail admin: who gets in, what the actions
do, and exports that carry the page's numbers."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import GroupPagePermission

from courses.models import Certificate, Enrolment, LeaveRequest
from courses.services.assessment import start_attempt
from courses.services.enrolment import assign, enrol
from courses.services.leave import request_leave
from lectures.models import Attendance, AttendanceStatus
from lectures.rules import administered_paths
from tests.courses.helpers import (
    MULTIPLE,
    RIGHT_ANSWERS,
    S_WRONG,
    SINGLE,
    at,
    attend,
    bank,
    held_class,
    take,
)
from tests.factories import (
    ClassFactory,
    DistrictFactory,
    SessionFactory,
    TraineeProfileFactory,
    UserFactory,
)
from tests.wagtail_admin import refused

pytestmark = pytest.mark.django_db

TABS = ["enrolment", "leave", "results", "completion"]


def manage_url(class_page, tab=None) -> str:
    return f"/admin/classes/{class_page.pk}/" + (f"{tab}/" if tab else "")


ACTIONS = ["approve", "reject", "assign", "approve_leave", "refuse_leave", "confirm"]


def action_url(class_page, action: str) -> str:
    return reverse(f"courses_{action}", args=[class_page.pk])


def said(response) -> list[str]:
    """The messages queued for the next page (Wagtail pads them with markup)."""
    return [str(m).strip() for m in get_messages(response.wsgi_request)]


# Who organises what -------------------------------------------------------------


def test_the_district_admins_hold_the_training_index(index, home):
    district = DistrictFactory(parent=home)
    codenames = set(
        GroupPagePermission.objects.filter(
            group=district.admin_group, page=index
        ).values_list("permission__codename", flat=True)
    )
    assert {"add_page", "change_page", "publish_page"} <= codenames
    admin = UserFactory(groups=[district.admin_group])
    assert index.path in administered_paths(admin)


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize(
    ("who", "where"),
    [
        ("district_admin", "class_page"),
        ("district_admin", "town_class"),
        ("town_admin", "town_class"),
    ],
)
def test_organisers_open_every_tab(request, login, tree, who, where, tab):
    user = request.getfixturevalue(who)
    class_page = request.getfixturevalue(where)
    response = login(user).get(manage_url(class_page, tab))
    assert response.status_code == 200
    assert response.context["tab"] == tab


@pytest.mark.parametrize(
    ("who", "where"),
    [
        ("town_admin", "class_page"),  # the district's, under /classes/
        ("village_admin", "town_class"),  # above his village
        ("sibling_admin", "town_class"),  # a sibling town's
        ("lecturer", "town_class"),
    ],
)
def test_others_are_refused(request, login, tree, who, where):
    if who == "sibling_admin":
        user = UserFactory(groups=[tree["sibling"].admin_group])
    else:
        user = request.getfixturevalue(who)
    class_page = request.getfixturevalue(where)
    client = login(user)
    for tab in TABS:
        assert refused(client.get(manage_url(class_page, tab))), tab
    for action in ACTIONS:
        assert refused(client.post(action_url(class_page, action), {})), action
    assert refused(client.get(manage_url(class_page, "results") + "?export=xlsx"))


def test_a_trainee_does_not_get_into_the_admin(login, class_page, trainee):
    response = login(trainee).get(manage_url(class_page))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_class_list_is_his_subtree(login, tree, class_page, town_class):
    sibling_class = ClassFactory(parent=tree["sibling"], title="青山镇培训班")
    town_admin = UserFactory(groups=[tree["town"].admin_group])
    listed = login(town_admin).get("/admin/classes/").context["classes"]
    assert [c.pk for c in listed] == [town_class.pk]
    district_admin = UserFactory(groups=[tree["district"].admin_group])
    listed = login(district_admin).get("/admin/classes/").context["classes"]
    assert {c.pk for c in listed} == {class_page.pk, town_class.pk, sibling_class.pk}


def test_an_unknown_tab_shows_enrolment_and_an_unknown_class_is_not_found(
    login, class_page, organiser
):
    client = login(organiser)
    assert client.get(manage_url(class_page, "nope")).context["tab"] == "enrolment"
    assert client.get("/admin/classes/999999/").status_code == 404


# Actions ------------------------------------------------------------------------


@pytest.fixture
def approval_class(index):
    return ClassFactory(parent=index, requires_approval=True, capacity=5)


def test_approve_and_reject_over_http(
    login, approval_class, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    a, b = (TraineeProfileFactory().user for _ in range(2))
    first, second = enrol(approval_class, a), enrol(approval_class, b)
    client = login(organiser)
    page = client.get(manage_url(approval_class, "enrolment"))
    assert [e.pk for e in page.context["pending"]] == [first.pk, second.pk]
    url = manage_url(approval_class, "enrolment")
    approve, reject = (action_url(approval_class, a) for a in ("approve", "reject"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(approve, {"enrolment": first.pk})
    assert response.status_code == 302
    assert response["Location"] == url
    assert said(response) == ["已通过报名申请。"]
    client.get(url)  # shows (and so clears) the message
    response = client.post(reject, {"enrolment": second.pk})
    assert said(response) == ["请填写驳回理由。"]
    assert Enrolment.objects.get(pk=second.pk).status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reject, {"enrolment": second.pk, "reason": "不符合条件"})
    assert dict(Enrolment.objects.values_list("pk", "status")) == {
        first.pk: "enrolled",
        second.pk: "rejected",
    }
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.email, b.email])


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("approve", {}),
        ("approve", {"enrolment": "abc"}),
        ("approve", {"enrolment": "999999"}),
        ("approve_leave", {"leave": ""}),
        ("confirm", {"user": ["x"]}),
    ],
)
def test_bad_posts_are_a_message_not_a_500(
    login, approval_class, organiser, action, data
):
    enrol(approval_class, UserFactory())
    response = login(organiser).post(action_url(approval_class, action), data)
    assert response.status_code == 302
    assert len(said(response)) == 1
    assert Enrolment.objects.get().status == "pending"


@pytest.mark.parametrize("tab", TABS)
def test_a_tab_takes_no_post(login, approval_class, organiser, tab):
    """The actions have their own URLs; a POST naming one on a tab does nothing."""
    enrolment = enrol(approval_class, UserFactory())
    client = login(organiser)
    for data in ({"action": "approve", "enrolment": enrolment.pk}, {"action": "x"}, {}):
        response = client.post(manage_url(approval_class, tab), data)
        assert response.status_code == 405, data
        assert said(response) == []
    assert Enrolment.objects.get().status == "pending"


def test_assign_by_pasted_names_over_http(login, class_page, organiser):
    profiles = [TraineeProfileFactory() for _ in range(2)]
    client = login(organiser)
    response = client.post(
        action_url(class_page, "assign"),
        {"usernames": f"{profiles[0].user.username}\n{profiles[1].mobile}"},
    )
    assert response.status_code == 302
    enrolled = Enrolment.objects.filter(class_page=class_page)
    assert set(enrolled.values_list("user_id", "source")) == {
        (p.user_id, "assigned") for p in profiles
    }


def test_assign_with_an_unknown_name_assigns_nobody(login, class_page, organiser):
    profile = TraineeProfileFactory()
    response = login(organiser).post(
        action_url(class_page, "assign"),
        {"usernames": f"{profile.mobile}\n\nghost"},
    )
    (message,) = said(response)
    assert "3" in message
    assert "ghost" in message
    assert not Enrolment.objects.exists()


def test_assign_from_an_xlsx_roster(login, class_page, organiser):
    profiles = [TraineeProfileFactory() for _ in range(3)]
    book = openpyxl.Workbook()
    book.active.append(["手机号"])
    for profile in profiles:
        book.active.append([profile.mobile])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("roster.xlsx", buffer.getvalue())
    login(organiser).post(action_url(class_page, "assign"), {"file": upload})
    assert Enrolment.objects.filter(class_page=class_page).count() == 3


def test_assign_over_capacity_over_http(login, index, organiser):
    class_page = ClassFactory(parent=index, capacity=1)
    names = "\n".join(TraineeProfileFactory().mobile for _ in range(2))
    response = login(organiser).post(
        action_url(class_page, "assign"), {"usernames": names}
    )
    assert len(said(response)) == 1
    assert not Enrolment.objects.exists()


def test_an_empty_assignment_is_a_message(login, class_page, organiser):
    response = login(organiser).post(
        action_url(class_page, "assign"), {"usernames": " "}
    )
    assert len(said(response)) == 1


@pytest.mark.parametrize("approve", [True, False])
def test_decide_leave_over_http(login, class_page, organiser, approve):
    lesson = SessionFactory(parent=class_page)
    user = TraineeProfileFactory().user
    enrol(class_page, user)
    leave = request_leave(class_page, lesson, user, "出差")
    client = login(organiser)
    assert client.get(manage_url(class_page, "leave")).context["leave_requests"] == [
        leave
    ]
    client.post(
        action_url(class_page, "approve_leave" if approve else "refuse_leave"),
        {"leave": leave.pk, "response": "知悉"},
    )
    leave.refresh_from_db()
    assert leave.status == ("approved" if approve else "refused")
    assert leave.response == "知悉"
    marked = Attendance.objects.filter(user=user, status=AttendanceStatus.ON_LEAVE)
    assert marked.exists() is approve


def test_the_town_admin_cannot_decide_another_classs_leave(
    login, class_page, town_class, town_admin
):
    lesson = SessionFactory(parent=class_page)
    user = UserFactory()
    enrol(class_page, user)
    leave = request_leave(class_page, lesson, user, "出差")
    # Posted to his own class's action, naming the other class's request.
    response = login(town_admin).post(
        action_url(town_class, "approve_leave"), {"leave": leave.pk}
    )
    assert len(said(response)) == 1
    assert LeaveRequest.objects.get().status == "pending"


# Results, completion and their exports -----------------------------------------


@pytest.fixture
def finished(index, organiser):
    """A held class with a test: three trainees with different standings."""
    class_page, lessons = held_class(
        index, title="结业测试班", questions=bank(), min_attendance_rate=75
    )
    users = [TraineeProfileFactory(real_name=name).user for name in ("甲", "乙", "丙")]
    assign(class_page, users, by=organiser, now=at(class_page.start_date, 0))
    for lesson in lessons:
        attend(lesson, users[0])
        attend(lesson, users[1])
    attend(lessons[0], users[2])
    take(class_page, users[0], RIGHT_ANSWERS)  # 100
    take(class_page, users[1], {SINGLE: [S_WRONG], MULTIPLE: []})  # 0
    take(class_page, users[2], RIGHT_ANSWERS)
    return class_page, users


def sheet_rows(content: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_results_page_and_its_export_agree(login, finished, organiser):
    class_page, _users = finished
    client = login(organiser)
    page = client.get(manage_url(class_page, "results"))
    summary = page.context["summary"]
    assert (summary.trainees, summary.passed) == (3, 2)
    assert summary.pass_rate == Decimal("66.7")
    assert summary.mean == Decimal("66.7")

    response = client.get(manage_url(class_page, "results") + "?export=xlsx")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    rows = sheet_rows(response.content)
    by_name = {row[0]: row for row in rows if row[0] in ("甲", "乙", "丙")}
    for standing in page.context["standings"]:
        row = by_name[standing.enrolment.trainee_name()]
        assert row[2] == standing.attempts
        assert Decimal(str(row[3])) == standing.best_score
    assert rows[-1][3] == float(summary.mean)
    assert rows[-1][4] == f"{summary.pass_rate}%"

    response = client.get(
        manage_url(class_page, "results") + "?export=xlsx&table=questions"
    )
    per_question = {row[0]: row[1:4] for row in sheet_rows(response.content)}
    for stat in summary.questions:
        assert per_question[stat.question.text] == [
            stat.answered,
            stat.correct,
            float(stat.rate),
        ]
    assert per_question[stat.question.text] != [0, 0, 0.0]


def test_completion_page_and_its_export_agree(login, finished, organiser):
    class_page, _users = finished
    client = login(organiser)
    page = client.get(manage_url(class_page, "completion"))
    standings = {s.enrolment.trainee_name(): s for s in page.context["standings"]}
    assert [standings[n].completes for n in ("甲", "乙", "丙")] == [True, False, False]

    for fmt in ("xlsx", "csv"):
        response = client.get(manage_url(class_page, "completion") + f"?export={fmt}")
        if fmt == "xlsx":
            rows = sheet_rows(response.content)
        else:
            assert response["Content-Type"].startswith("text/csv")
            text = response.content.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
        by_name = {row[0]: row for row in rows if row[0] in standings}
        assert set(by_name) == set(standings)
        for name, standing in standings.items():
            row = by_name[name]
            numbers = [int(row[n]) for n in (2, 3, 4, 5)]
            assert numbers == [
                standing.lessons,
                standing.attended,
                standing.on_leave,
                standing.absent,
            ], fmt
            assert Decimal(str(row[6])) == standing.rate


def test_confirm_over_http_issues_certificates(login, finished, organiser):
    class_page, users = finished
    client = login(organiser)
    url = manage_url(class_page, "completion")
    confirm = action_url(class_page, "confirm")
    response = client.post(confirm, {"user": [users[0].pk]})
    assert response.status_code == 302
    assert response["Location"] == url
    (certificate,) = Certificate.objects.all()
    assert certificate.user_id == users[0].pk
    page = client.get(url).content.decode()
    assert f"/me/certificates/{certificate.number}.pdf" in page
    # All or nothing: one who does not complete spoils the batch.
    response = client.post(confirm, {"user": [users[1].pk, users[2].pk]})
    assert len(said(response)) == 1
    assert Certificate.objects.count() == 1


def test_confirm_before_the_last_day_over_http(login, index, organiser):
    class_page = ClassFactory(parent=index)
    user = UserFactory()
    assign(class_page, [user], by=organiser)
    response = login(organiser).post(
        action_url(class_page, "confirm"), {"user": [user.pk]}
    )
    assert said(response) == ["培训班结业当日起方可确认结业。"]
    assert not Certificate.objects.exists()


def test_results_close_attempts_whose_time_ran_out(login, finished, organiser):
    class_page, _users = finished
    extra = TraineeProfileFactory().user
    assign(class_page, [extra], by=organiser)
    attempt = start_attempt(
        class_page, extra, now=at(class_page.end_date, 9) - timedelta(hours=1)
    )
    login(organiser).get(manage_url(class_page, "results"))
    attempt.refresh_from_db()
    assert attempt.submitted_at == attempt.deadline


@pytest.mark.parametrize(
    ("name", "content"),
    [("roster.txt", b"13900000000"), ("roster.xlsx", b"not a workbook")],
)
def test_an_unreadable_roster_file_is_a_message(
    login, class_page, organiser, name, content
):
    upload = SimpleUploadedFile(name, content)
    response = login(organiser).post(action_url(class_page, "assign"), {"file": upload})
    assert response.status_code == 302
    assert len(said(response)) == 1
    assert not Enrolment.objects.exists()


def test_each_class_action_has_its_own_post_only_url(login, approval_class, organiser):
    first = enrol(approval_class, TraineeProfileFactory().user)
    client = login(organiser)
    url = f"/admin/classes/{approval_class.pk}/actions/approve/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"enrolment": "abc"})
    assert said(response) == ["表单不完整，未作任何修改。"]
    assert Enrolment.objects.get().status == "pending"
    response = client.post(url, {"enrolment": first.pk})
    assert response["Location"] == manage_url(approval_class, "enrolment")
    assert Enrolment.objects.get().status == "enrolled"
