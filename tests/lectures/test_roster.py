"""The organiser's roster: marks, leave with a reason, walk-ins, closing, the sheet."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from lectures.counting import person_times
from lectures.models import (
    Attendance,
    AttendanceStatus,
    OtherAttendees,
    SessionPage,
    SessionStatus,
    TraineeProfile,
)
from lectures.services import roster as service
from lectures.services.registration import register
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(tree):
    start = timezone.now() + timedelta(days=1)
    return SessionFactory(parent=tree["town"], start=start, capacity=10)


def trainee(name, mobile, forum=None):
    user = UserFactory()
    TraineeProfile.objects.create(
        user=user, real_name=name, mobile=mobile, unit_forum=forum, unit_name="某单位"
    )
    return user


@pytest.fixture
def registered(session):
    people = [trainee(f"学员{n}", f"1380000000{n}") for n in range(3)]
    for user in people:
        register(session, user)
    return people


def test_marks_leave_and_closing(session, registered, people):
    a, b, c = registered
    service.mark(session, a.pk, "present", by=people["town_admin"])
    with pytest.raises(service.RosterError):
        service.mark(session, b.pk, "on_leave", by=people["town_admin"])
    service.mark(session, b.pk, "on_leave", reason="出差", by=people["town_admin"])
    assert service.close(session, by=people["town_admin"]) == 1
    statuses = dict(Attendance.objects.values_list("user_id", "status"))
    assert statuses == {a.pk: "present", b.pk: "on_leave", c.pk: "absent"}
    assert Attendance.objects.get(user=b).leave_reason == "出差"
    # Two marks by hand and the absence the closing wrote.
    assert (
        ModelLogEntry.objects.filter(action="lectures.attendance.marked").count() == 3
    )


def test_a_walk_in_joins_the_roster(session, registered, people):
    walk_in = trainee("临时来的", "13900000099")
    found = list(service.find_trainees("临时"))
    assert [p.user_id for p in found] == [walk_in.pk]
    service.add_walk_in(session, walk_in.pk, by=people["town_admin"])
    rows = {row.name: row for row in service.roster(session)}
    assert rows["临时来的"].status == AttendanceStatus.PRESENT
    assert not rows["临时来的"].registered


def test_the_sign_in_sheet_lists_the_registered(session, registered):
    book = load_workbook(io.BytesIO(service.sign_in_sheet(session)))
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert session.title in values[0][0]
    names = {row[1] for row in values[3:]}
    assert names == {"学员0", "学员1", "学员2"}


def test_the_roster_page_is_for_the_forums_organisers_only(
    client, session, registered, people
):
    url = f"/admin/lectures/roster/{session.pk}/"
    for role in ("village_admin", "lecturer", "trainee"):
        client.force_login(people[role])
        assert client.get(url).status_code in (302, 403), role
    client.force_login(people["town_admin"])
    page = client.get(url)
    assert page.status_code == 200
    assert "学员0" in page.content.decode()
    client.post(url + "mark/", {"user": registered[0].pk, "status": "late"})
    assert Attendance.objects.get(user=registered[0]).status == "late"
    for action, bad in (
        ("mark/", {"user": "x", "status": "late"}),
        ("mark/", {"user": "999999", "status": "late"}),
        ("mark/", {"user": registered[1].pk, "status": "asleep"}),
        ("walk-in/", {"user": "999999"}),
    ):
        assert client.post(url + action, bad).status_code == 302, bad
    # The roster's own URL takes no POST: naming an action there does nothing.
    for bad in (
        {"action": "mark", "user": registered[1].pk, "status": "late"},
        {"action": "explode"},
    ):
        assert client.post(url, bad).status_code == 405, bad
    assert Attendance.objects.count() == 1
    sheet = client.get(f"/admin/lectures/roster/{session.pk}/sheet.xlsx")
    assert sheet.status_code == 200


@pytest.mark.parametrize("count", [1, 15])
def test_the_roster_costs_the_same_queries_for_one_or_many(
    client, session, people, count, django_assert_num_queries
):
    for n in range(count):
        register(session, trainee(f"人{n}", f"137{n:08d}"))
    client.force_login(people["town_admin"])
    url = f"/admin/lectures/roster/{session.pk}/"
    client.get(url)
    # 18, and 1 for the count of other attendees.
    with django_assert_num_queries(19):
        client.get(url)


def test_bulk_entry_of_pasted_lines_is_all_or_nothing(session, registered, people):
    a, b, _c = registered
    bad = service.bulk_entry(
        session,
        by=people["town_admin"],
        text="13800000000\n学员1\n查无此人\n13812345678",
    )
    assert [line for line, _message in bad.errors] == [3, 4]
    assert not Attendance.objects.exists()
    good = service.bulk_entry(
        session, by=people["town_admin"], text="13800000000\n学员1, 13800000001\n"
    )
    assert good.errors == []
    assert good.marked == 2
    assert set(Attendance.objects.values_list("user_id", flat=True)) == {a.pk, b.pk}


def test_the_printed_sheet_signed_and_uploaded_marks_the_signers(
    session, registered, people
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = load_workbook(io.BytesIO(service.sign_in_sheet(session)))
    sheet = book.active
    signed = {sheet.cell(row=4, column=2).value, sheet.cell(row=6, column=2).value}
    sheet.cell(row=4, column=6).value = "签"
    sheet.cell(row=6, column=6).value = "签"
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("signed.xlsx", out.getvalue())
    report = service.bulk_entry(session, by=people["town_admin"], upload=upload)
    assert report.errors == []
    assert report.marked == 2
    marked = {
        p.real_name
        for p in TraineeProfile.objects.filter(user__attendances__session=session)
    }
    assert marked == signed


def test_each_roster_action_has_its_own_post_only_url(
    client, session, registered, people
):
    client.force_login(people["town_admin"])
    for name in ("mark", "walk-in", "bulk", "close"):
        url = f"/admin/lectures/roster/{session.pk}/{name}/"
        assert client.get(url).status_code == 405, name
    back = f"/admin/lectures/roster/{session.pk}/"
    mark = f"/admin/lectures/roster/{session.pk}/mark/"
    response = client.post(mark, {"user": registered[0].pk, "status": "late"})
    assert response.status_code == 302
    assert response["Location"] == back
    assert Attendance.objects.get(user=registered[0]).status == "late"
    client.post(mark, {"user": registered[1].pk, "status": "asleep"})
    assert Attendance.objects.count() == 1
    client.force_login(people["village_admin"])
    assert client.post(
        mark, {"user": registered[1].pk, "status": "late"}
    ).status_code in (302, 403)
    assert Attendance.objects.count() == 1


# Attendees who are not registered cadres ---------------------------------------


@pytest.fixture
def town_session(tree):
    start = timezone.now() - timedelta(days=2)
    return SessionFactory(parent=tree["town"], start=start, status=SessionStatus.HELD)


def others_url(session) -> str:
    return f"/admin/lectures/roster/{session.pk}/others/"


def test_the_organiser_records_the_others_on_the_roster_page(
    client, people, town_session
):
    client.force_login(people["town_admin"])
    page = client.get(f"/admin/lectures/roster/{town_session.pk}/")
    assert "其他参加人员" in page.content.decode()
    response = client.post(others_url(town_session), {"count": "40"}, follow=True)
    assert "已记录其他参加人员：40" in response.content.decode()
    assert OtherAttendees.objects.get(session=town_session).count == 40
    client.post(others_url(town_session), {"count": "35"})
    assert OtherAttendees.objects.get(session=town_session).count == 35
    assert (
        ModelLogEntry.objects.filter(action="lectures.attendance.others").count() == 2
    )
    one = SessionPage.objects.filter(pk=town_session.pk)
    assert person_times(one) == 35


@pytest.mark.parametrize("value", ["-1", "abc", "", "1.5", "100001", "9" * 30])
def test_a_bad_count_is_refused_with_a_translated_message(
    client, people, town_session, value
):
    client.force_login(people["town_admin"])
    service.record_others(town_session, 7, by=people["town_admin"])
    response = client.post(others_url(town_session), {"count": value}, follow=True)
    assert response.status_code == 200
    assert "其他参加人员人数应为 0 至 100,000 的整数" in response.content.decode()
    assert OtherAttendees.objects.get(session=town_session).count == 7


def test_the_service_refuses_a_negative_count(town_session):
    with pytest.raises(service.RosterError) as refused:
        service.record_others(town_session, -3, by=None)
    assert refused.value.code == "others"
    assert not OtherAttendees.objects.exists()


def test_only_the_sessions_organisers_record_others(client, people, tree):
    start = timezone.now() - timedelta(days=2)
    sibling = SessionFactory(
        parent=tree["sibling"], start=start, status=SessionStatus.HELD
    )
    client.force_login(people["town_admin"])
    refused = client.post(others_url(sibling), {"count": "5"})
    assert refused.status_code in (302, 403)  # Wagtail's admin redirects home
    assert refused.get("Location", "/admin/") == "/admin/"
    assert not OtherAttendees.objects.exists()


def test_a_session_with_others_is_kept_from_deletion(town_session):
    from lectures.services.retention import records_in_the_way

    service.record_others(town_session, 3, by=None)
    assert records_in_the_way([town_session]) == 1
