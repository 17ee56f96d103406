"""Leave (请假) from a lesson: asked by the trainee, decided by the organisers,
and counted as on leave, not absent."""

import contextlib
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from courses.models import LeaveRequest, LeaveStatus
from courses.services.completion import progress
from courses.services.enrolment import assign, enrol
from courses.services.leave import LeaveError, decide, lesson_of, request_leave
from lectures.models import Attendance, AttendanceStatus, CheckInMethod
from tests.courses.helpers import now_minute
from tests.factories import ClassFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(class_page):
    return SessionFactory(parent=class_page, start=now_minute() + timedelta(days=11))


@pytest.fixture
def enrolled(class_page):
    user = UserFactory()
    enrol(class_page, user)
    return user


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_an_enrolled_trainee_asks_for_leave(class_page, lesson, enrolled):
    leave = request_leave(class_page, lesson, enrolled, "  单位值班  ")
    assert leave.status == LeaveStatus.PENDING
    assert leave.reason == "单位值班"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_leave_needs_a_reason(class_page, lesson, enrolled, reason):
    with pytest.raises(LeaveError) as error:
        request_leave(class_page, lesson, enrolled, reason)
    assert error.value.code == "reason"
    assert not LeaveRequest.objects.exists()


def test_a_reason_has_a_length_limit(class_page, lesson, enrolled):
    with pytest.raises(LeaveError) as error:
        request_leave(class_page, lesson, enrolled, "事" * 201)
    assert error.value.code == "reason_long"


def test_only_the_enrolled_ask_for_leave(class_page, lesson, district_admin):
    waiting_class = ClassFactory(parent=class_page.get_parent(), capacity=0)
    outsider, waiting = UserFactory(), UserFactory()
    enrol(waiting_class, waiting)
    for user, page in ((outsider, class_page), (waiting, waiting_class)):
        with pytest.raises(LeaveError) as error:
            request_leave(page, lesson, user, "有事")
        assert error.value.code == "not_enrolled"
    assert not LeaveRequest.objects.exists()


def test_no_leave_from_a_lesson_that_is_over(class_page, lesson, enrolled):
    with pytest.raises(LeaveError) as error:
        request_leave(class_page, lesson, enrolled, "有事", now=lesson.end)
    assert error.value.code == "over"
    # While it runs he may still ask.
    request_leave(class_page, lesson, enrolled, "有事", now=lesson.end - timedelta(1))


def test_leave_is_asked_once_but_again_after_a_refusal(
    class_page, lesson, enrolled, district_admin
):
    first = request_leave(class_page, lesson, enrolled, "有事")
    with pytest.raises(LeaveError) as error:
        request_leave(class_page, lesson, enrolled, "还是有事")
    assert error.value.code == "exists"
    decide(class_page, first.pk, approve=False, by=district_admin, response="必须参加")
    again = request_leave(class_page, lesson, enrolled, "确实有事")
    assert again.pk == first.pk
    assert again.status == LeaveStatus.PENDING
    assert again.response == ""
    assert again.decided_by is None
    assert LeaveRequest.objects.count() == 1


def test_approved_leave_is_on_the_roster_with_its_reason(
    class_page,
    lesson,
    enrolled,
    district_admin,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    leave = request_leave(class_page, lesson, enrolled, "赴外地出差")
    with django_capture_on_commit_callbacks(execute=True):
        decide(class_page, leave.pk, approve=True, by=district_admin)
    attendance = Attendance.objects.get(session=lesson, user=enrolled)
    assert attendance.status == AttendanceStatus.ON_LEAVE
    assert attendance.leave_reason == "赴外地出差"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [enrolled.email]
    assert lesson.title in mailoutbox[0].body


def test_refused_leave_marks_nothing_and_tells_why(
    class_page,
    lesson,
    enrolled,
    district_admin,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    leave = request_leave(class_page, lesson, enrolled, "想休息")
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(
            class_page, leave.pk, approve=False, by=district_admin, response="必须参加"
        )
    assert decided.status == LeaveStatus.REFUSED
    assert not Attendance.objects.exists()
    assert "必须参加" in mailoutbox[0].body


def test_a_decided_request_is_not_decided_again(
    class_page, lesson, enrolled, district_admin
):
    leave = request_leave(class_page, lesson, enrolled, "有事")
    decide(class_page, leave.pk, approve=True, by=district_admin)
    with pytest.raises(LeaveError) as error:
        decide(class_page, leave.pk, approve=False, by=district_admin)
    assert error.value.code == "decided"
    assert Attendance.objects.get().status == AttendanceStatus.ON_LEAVE


def test_a_request_of_another_class_is_not_decided_here(
    class_page, lesson, enrolled, district_admin, index
):
    leave = request_leave(class_page, lesson, enrolled, "有事")
    other = ClassFactory(parent=index)
    with pytest.raises(LeaveError) as error:
        decide(other, leave.pk, approve=True, by=district_admin)
    assert error.value.code == "missing"
    assert LeaveRequest.objects.get().status == LeaveStatus.PENDING


def test_a_lesson_of_another_class_is_not_this_class(class_page, index, district):
    other_lesson = SessionFactory(parent=ClassFactory(parent=index))
    lecture = SessionFactory(parent=district)
    for junk in (other_lesson.pk, lecture.pk, 999_999, None):
        with pytest.raises(LeaveError) as error:
            lesson_of(class_page, junk)
        assert error.value.code == "lesson"


def test_approved_leave_counts_as_on_leave_not_absent(index, district_admin):
    start = now_minute() - timedelta(days=3)
    class_page = ClassFactory(
        parent=index,
        start_date=timezone.localdate(start),
        end_date=timezone.localdate(start) + timedelta(1),
    )
    lessons = [
        SessionFactory(parent=class_page, start=start + timedelta(hours=h))
        for h in (0, 4, 24)
    ]
    user = UserFactory()
    assign(class_page, [user], by=district_admin, now=start - timedelta(days=7))
    Attendance.objects.create(
        session=lessons[0],
        user=user,
        status=AttendanceStatus.PRESENT,
        method=CheckInMethod.QR,
    )
    leave = request_leave(
        class_page, lessons[1], user, "生病", now=start - timedelta(days=1)
    )
    decide(class_page, leave.pk, approve=True, by=district_admin)
    (row,) = progress(class_page)
    assert (row.lessons, row.attended, row.on_leave, row.absent) == (3, 1, 1, 1)


# Over HTTP -----------------------------------------------------------------


def test_asking_for_leave_over_http(client, class_page, lesson, enrolled):
    client.force_login(enrolled)
    url = f"{class_page.url}leave/{lesson.pk}/"
    assert client.get(url).status_code == 405
    # The timetable's form posts there.
    assert f'action="{url}"' in client.get(class_page.url).content.decode()
    response = client.post(url, {"reason": "出差"})
    assert response.status_code == 302
    assert response["Location"] == class_page.url
    assert LeaveRequest.objects.get().reason == "出差"
    # The timetable now shows the request instead of the form.
    page = client.get(class_page.url).content.decode()
    assert url not in page


@pytest.mark.parametrize("lesson_id", ["999999", "0"])
def test_leave_for_a_junk_lesson_is_a_message(client, class_page, enrolled, lesson_id):
    client.force_login(enrolled)
    response = client.post(f"{class_page.url}leave/{lesson_id}/", {"reason": "x"})
    assert response.status_code == 302
    assert said(response) == ["本培训班没有这个课次。"]
    assert not LeaveRequest.objects.exists()


@pytest.mark.parametrize("lesson_id", ["abc", "-1", "1.5"])
def test_leave_for_a_non_number_is_not_found(client, class_page, enrolled, lesson_id):
    client.force_login(enrolled)
    response = client.post(f"{class_page.url}leave/{lesson_id}/", {"reason": "x"})
    assert response.status_code == 404
    assert not LeaveRequest.objects.exists()


def test_leave_without_a_reason_over_http(client, class_page, lesson, enrolled):
    client.force_login(enrolled)
    response = client.post(f"{class_page.url}leave/{lesson.pk}/", {"reason": " "})
    assert response.status_code == 302
    assert len(said(response)) == 1
    assert not LeaveRequest.objects.exists()


def test_leave_needs_a_login(client, class_page, lesson):
    response = client.post(f"{class_page.url}leave/{lesson.pk}/", {"reason": "x"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_approving_leave_does_not_undo_a_check_in(
    class_page, lesson, enrolled, district_admin
):
    leave = request_leave(class_page, lesson, enrolled, "可能出差")
    Attendance.objects.create(
        session=lesson,
        user=enrolled,
        status=AttendanceStatus.PRESENT,
        method=CheckInMethod.QR,
    )
    # Refusing to excuse someone who came is fine too.
    with contextlib.suppress(LeaveError):
        decide(class_page, leave.pk, approve=True, by=district_admin)
    assert Attendance.objects.get().status == AttendanceStatus.PRESENT
