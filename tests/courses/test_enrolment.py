"""Enrolment: with and without approval, windows, the waiting list, 调训, and
the lesson registrations that follow a trainee's place in the class."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from courses.models import Enrolment, EnrolmentStatus
from courses.services.enrolment import (
    EnrolmentError,
    approve,
    assign,
    enrol,
    reject,
    seats,
    withdraw,
)
from courses.services.roster_import import RosterImportError, read_lines, resolve
from lectures.models import Registration, RegistrationStatus
from lectures.services.registration import RegistrationError, cancel, register
from tests.courses.helpers import now_minute
from tests.factories import ClassFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def statuses(class_page) -> dict[int, str]:
    return dict(
        Enrolment.objects.filter(class_page=class_page).values_list("user_id", "status")
    )


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def lesson_registrations(user) -> dict[int, str]:
    return dict(
        Registration.objects.filter(user=user).values_list("session_id", "status")
    )


# Without approval ----------------------------------------------------------


def test_enrolling_confirms_him_at_every_lesson_ahead(class_page, trainees):
    lessons = [
        SessionFactory(parent=class_page, start=now_minute() + timedelta(days=d))
        for d in (10, 11)
    ]
    (user,) = trainees(1)
    enrolment = enrol(class_page, user)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.enrolled_at is not None
    assert lesson_registrations(user) == {
        lesson.pk: RegistrationStatus.CONFIRMED for lesson in lessons
    }
    assert ModelLogEntry.objects.filter(action="courses.enrolment.enrolled").exists()


def test_enrolling_again_is_harmless(class_page):
    user = UserFactory()
    first = enrol(class_page, user)
    again = enrol(class_page, user)
    assert first.pk == again.pk
    assert Enrolment.objects.count() == 1


def test_full_class_puts_trainees_on_the_waiting_list(index):
    class_page = ClassFactory(parent=index, capacity=2)
    users = [UserFactory() for _ in range(4)]
    got = [enrol(class_page, user).status for user in users]
    assert got == ["enrolled", "enrolled", "waiting", "waiting"]
    counted = seats(class_page)
    assert (counted.confirmed, counted.waiting, counted.left) == (2, 2, 0)


def test_a_withdrawal_promotes_the_first_in_line_and_tells_him(
    index, mailoutbox, django_capture_on_commit_callbacks
):
    class_page = ClassFactory(parent=index, capacity=1)
    lesson = SessionFactory(parent=class_page, start=now_minute() + timedelta(days=11))
    first, second, third = (UserFactory() for _ in range(3))
    for user in (first, second, third):
        enrol(class_page, user)
    assert lesson_registrations(second) == {}

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(class_page, first)

    assert statuses(class_page) == {
        first.pk: "withdrawn",
        second.pk: "enrolled",
        third.pk: "waiting",
    }
    # His lesson seat went with him; the promoted trainee has his.
    assert lesson_registrations(first) == {lesson.pk: RegistrationStatus.CANCELLED}
    assert lesson_registrations(second) == {lesson.pk: RegistrationStatus.CONFIRMED}
    assert [m.to for m in mailoutbox] == [[second.email]]
    assert class_page.title in mailoutbox[0].body


def test_withdrawing_from_the_waiting_list_promotes_nobody(index):
    class_page = ClassFactory(parent=index, capacity=1)
    first, second, third = (UserFactory() for _ in range(3))
    for user in (first, second, third):
        enrol(class_page, user)
    withdraw(class_page, second)
    assert statuses(class_page) == {
        first.pk: "enrolled",
        second.pk: "withdrawn",
        third.pk: "waiting",
    }


def test_a_withdrawn_trainee_may_come_back_on_the_same_row(class_page):
    user = UserFactory()
    enrol(class_page, user)
    withdraw(class_page, user)
    assert enrol(class_page, user).status == EnrolmentStatus.ENROLLED
    assert Enrolment.objects.filter(user=user).count() == 1


# Windows -------------------------------------------------------------------


def test_enrolment_is_refused_before_it_opens(index):
    opens = now_minute() + timedelta(days=1)
    class_page = ClassFactory(parent=index, enrol_opens=opens)
    with pytest.raises(EnrolmentError) as error:
        enrol(class_page, UserFactory())
    assert error.value.code == "not_yet"
    assert not Enrolment.objects.exists()


def test_enrolment_is_refused_after_it_closes(index):
    closes = now_minute() - timedelta(hours=1)
    class_page = ClassFactory(parent=index, enrol_closes=closes)
    with pytest.raises(EnrolmentError) as error:
        enrol(class_page, UserFactory())
    assert error.value.code == "closed"
    assert not Enrolment.objects.exists()


def test_enrolment_closes_when_the_class_begins_by_default(class_page):
    begun = class_page.begins_at + timedelta(minutes=1)
    with pytest.raises(EnrolmentError) as error:
        enrol(class_page, UserFactory(), now=begun)
    assert error.value.code == "closed"
    assert enrol(class_page, UserFactory(), now=begun - timedelta(minutes=2))


def test_an_unpublished_class_takes_no_enrolment(index):
    class_page = ClassFactory(parent=index, live=False)
    with pytest.raises(EnrolmentError) as error:
        enrol(class_page, UserFactory())
    assert error.value.code == "not_open"


def test_withdrawal_is_refused_once_the_class_has_begun(class_page):
    user = UserFactory()
    enrol(class_page, user)
    with pytest.raises(EnrolmentError) as error:
        withdraw(class_page, user, now=class_page.begins_at)
    assert error.value.code == "started"
    assert statuses(class_page) == {user.pk: "enrolled"}


def test_withdrawing_without_an_enrolment_is_refused(class_page):
    with pytest.raises(EnrolmentError) as error:
        withdraw(class_page, UserFactory())
    assert error.value.code == "not_enrolled"


# With approval -------------------------------------------------------------


@pytest.fixture
def approval_class(index):
    return ClassFactory(parent=index, capacity=1, requires_approval=True)


def test_an_application_waits_for_approval_without_a_seat(approval_class):
    lesson = SessionFactory(parent=approval_class)
    user = UserFactory()
    assert enrol(approval_class, user).status == EnrolmentStatus.PENDING
    assert seats(approval_class).confirmed == 0
    assert not Registration.objects.filter(session=lesson).exists()


def test_approval_seats_him_and_tells_him(
    approval_class, district_admin, mailoutbox, django_capture_on_commit_callbacks
):
    lesson = SessionFactory(
        parent=approval_class, start=now_minute() + timedelta(days=11)
    )
    user = UserFactory()
    pending = enrol(approval_class, user)
    with django_capture_on_commit_callbacks(execute=True):
        decided = approve(approval_class, pending.pk, by=district_admin)
    assert decided.status == EnrolmentStatus.ENROLLED
    assert decided.decided_by == district_admin
    assert lesson_registrations(user) == {lesson.pk: RegistrationStatus.CONFIRMED}
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert approval_class.title in mailoutbox[0].body


def test_approval_of_a_full_class_puts_him_in_line(approval_class, district_admin):
    first, second = UserFactory(), UserFactory()
    approve(approval_class, enrol(approval_class, first).pk, by=district_admin)
    decided = approve(
        approval_class, enrol(approval_class, second).pk, by=district_admin
    )
    assert decided.status == EnrolmentStatus.WAITING


def test_a_rejection_needs_a_reason_and_tells_it(
    approval_class, district_admin, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    pending = enrol(approval_class, user)
    for blank in ("", "   "):
        with pytest.raises(EnrolmentError) as error:
            reject(approval_class, pending.pk, by=district_admin, reason=blank)
        assert error.value.code == "reason"
    assert statuses(approval_class) == {user.pk: "pending"}

    with django_capture_on_commit_callbacks(execute=True):
        reject(approval_class, pending.pk, by=district_admin, reason="名额已满")
    enrolment = Enrolment.objects.get(pk=pending.pk)
    assert enrolment.status == "rejected"
    assert enrolment.reason == "名额已满"
    assert len(mailoutbox) == 1
    assert "名额已满" in mailoutbox[0].body

    # Applying again does not reopen a rejected application.
    with pytest.raises(EnrolmentError) as error:
        enrol(approval_class, user)
    assert error.value.code == "rejected"
    assert "名额已满" in error.value.message


def test_a_decided_application_cannot_be_decided_again(approval_class, district_admin):
    pending = enrol(approval_class, UserFactory())
    approve(approval_class, pending.pk, by=district_admin)
    with pytest.raises(EnrolmentError):
        approve(approval_class, pending.pk, by=district_admin)
    with pytest.raises(EnrolmentError):
        reject(approval_class, pending.pk, by=district_admin, reason="迟了")
    assert Enrolment.objects.get(pk=pending.pk).status == "enrolled"


def test_an_application_of_another_class_cannot_be_decided_here(
    approval_class, index, district_admin
):
    other = ClassFactory(parent=index, requires_approval=True)
    pending = enrol(other, UserFactory())
    with pytest.raises(EnrolmentError) as error:
        approve(approval_class, pending.pk, by=district_admin)
    assert error.value.code == "missing"
    assert Enrolment.objects.get(pk=pending.pk).status == "pending"


# 调训 -----------------------------------------------------------------------


def test_assigned_trainees_are_enrolled_and_cannot_withdraw(
    class_page, district_admin, trainees
):
    users = trainees(3)
    done = assign(class_page, users, by=district_admin)
    assert {e.source for e in done} == {"assigned"}
    assert set(statuses(class_page).values()) == {"enrolled"}
    with pytest.raises(EnrolmentError) as error:
        withdraw(class_page, users[0])
    assert error.value.code == "assigned"
    assert statuses(class_page)[users[0].pk] == "enrolled"


def test_assigning_over_capacity_assigns_nobody(index, district_admin, trainees):
    class_page = ClassFactory(parent=index, capacity=3)
    enrol(class_page, UserFactory())
    users = trainees(3)
    with pytest.raises(EnrolmentError) as error:
        assign(class_page, users, by=district_admin)
    assert error.value.code == "full"
    assert Enrolment.objects.filter(class_page=class_page).count() == 1
    assert len(assign(class_page, users[:2], by=district_admin)) == 2
    assert seats(class_page).confirmed == 3


def test_assigning_someone_already_enrolled_takes_no_second_seat(index, district_admin):
    class_page = ClassFactory(parent=index, capacity=2)
    user, other = UserFactory(), UserFactory()
    enrol(class_page, user)
    done = assign(class_page, [user, other], by=district_admin)
    assert [e.user_id for e in done] == [other.pk]
    assert seats(class_page).confirmed == 2


def test_assignment_ignores_the_window_and_approval(index, district_admin):
    class_page = ClassFactory(
        parent=index,
        requires_approval=True,
        enrol_closes=now_minute() - timedelta(days=1),
    )
    (done,) = assign(class_page, [UserFactory()], by=district_admin)
    assert done.status == "enrolled"


def test_a_roster_names_trainees_by_username_or_mobile(trainees):
    a, b = trainees(2)
    lines = read_lines(f"{a.username}\n\n  {b.trainee.mobile}  \n{a.username}")
    assert [(line.number, line.name) for line in lines] == [
        (1, a.username),
        (3, b.trainee.mobile),
        (4, a.username),
    ]
    assert [user.pk for user in resolve(lines)] == [a.pk, b.pk]


def test_a_roster_with_unknown_names_reports_each_line_and_assigns_nobody(
    class_page, trainees
):
    (a,) = trainees(1)
    lines = read_lines(f"{a.username}\nnobody\n13000000000")
    with pytest.raises(RosterImportError) as error:
        resolve(lines)
    message = error.value.message
    assert "2" in message
    assert "nobody" in message
    assert "3" in message
    assert "13000000000" in message
    assert a.username not in message
    assert not Enrolment.objects.exists()


def test_a_roster_file_skips_its_header(trainees):
    a, b = trainees(2)
    upload = SimpleUploadedFile(
        "roster.csv",
        f"手机\n{a.trainee.mobile}\n{b.username}\n".encode(),
        content_type="text/csv",
    )
    assert [user.pk for user in resolve(read_lines(upload=upload))] == [a.pk, b.pk]


def test_an_inactive_user_cannot_be_assigned_by_roster(trainees):
    (a,) = trainees(1)
    a.is_active = False
    a.save()
    with pytest.raises(RosterImportError):
        resolve(read_lines(a.username))


# Lesson registrations follow enrolment ------------------------------------


def test_a_newly_published_lesson_expects_everyone_enrolled(
    class_page, district_admin, trainees
):
    users = trainees(3)
    assign(class_page, users, by=district_admin)
    draft = SessionFactory(parent=class_page, live=False)
    assert not Registration.objects.filter(session=draft).exists()
    draft.save_revision().publish()
    rows = Registration.objects.filter(session=draft)
    assert set(rows.values_list("user_id", flat=True)) == {u.pk for u in users}
    assert set(rows.values_list("status", flat=True)) == {"confirmed"}
    # Publishing again changes nothing.
    draft.save_revision().publish()
    assert rows.count() == 3


def test_a_past_lesson_registers_nobody(class_page, district_admin):
    user = UserFactory()
    assign(class_page, [user], by=district_admin)
    past = SessionFactory(
        parent=class_page, live=False, start=now_minute() - timedelta(days=1)
    )
    past.save_revision().publish()
    assert not Registration.objects.filter(session=past).exists()


def test_a_lesson_cannot_be_registered_for_directly(client, class_page):
    lesson = SessionFactory(parent=class_page)
    user = UserFactory()
    with pytest.raises(RegistrationError) as error:
        register(lesson, user)
    assert error.value.code == "lesson"
    client.force_login(user)
    response = client.post(lesson.url + "register/")
    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert said(response) == ["这是培训班的课次，请报名该培训班。"]


def test_a_lesson_seat_cannot_be_cancelled_on_its_own(client, class_page):
    lesson = SessionFactory(parent=class_page)
    user = UserFactory()
    enrol(class_page, user)
    with pytest.raises(RegistrationError) as error:
        cancel(lesson, user)
    assert error.value.code == "lesson"
    client.force_login(user)
    response = client.post(lesson.url + "cancel/")
    assert response.status_code == 302
    assert said(response) == ["这是培训班的课次，如不能参加请向培训班请假。"]
    assert lesson_registrations(user) == {lesson.pk: RegistrationStatus.CONFIRMED}


# Over HTTP -----------------------------------------------------------------


def test_enrol_over_http(client, class_page):
    user = UserFactory()
    client.force_login(user)
    response = client.post(class_page.url + "enrol/")
    assert response.status_code == 302
    assert response["Location"] == class_page.url
    assert statuses(class_page) == {user.pk: "enrolled"}
    page = client.get(class_page.url).content.decode()
    assert 'action="' + class_page.url + 'withdraw/"' in page
    response = client.post(class_page.url + "withdraw/", follow=True)
    assert "您已退出该培训班。" in response.content.decode()
    assert statuses(class_page) == {user.pk: "withdrawn"}


def test_enrol_is_post_only_and_needs_a_login(client, class_page):
    assert client.get(class_page.url + "enrol/").status_code == 405
    assert client.get(class_page.url + "withdraw/").status_code == 405
    response = client.post(class_page.url + "enrol/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Enrolment.objects.exists()


def test_a_refused_enrolment_over_http_is_a_message(client, index):
    class_page = ClassFactory(parent=index, enrol_closes=now_minute())
    client.force_login(UserFactory())
    response = client.post(class_page.url + "enrol/", follow=True)
    assert response.status_code == 200
    assert (
        "已截止" in response.content.decode() or "closed" in response.content.decode()
    )
    assert not Enrolment.objects.exists()


def test_coming_back_confirms_his_lesson_seats_again(class_page):
    lesson = SessionFactory(parent=class_page, start=now_minute() + timedelta(days=11))
    user = UserFactory()
    enrol(class_page, user)
    withdraw(class_page, user)
    assert lesson_registrations(user) == {lesson.pk: RegistrationStatus.CANCELLED}
    enrol(class_page, user)
    assert lesson_registrations(user) == {lesson.pk: RegistrationStatus.CONFIRMED}
    assert Registration.objects.filter(user=user).count() == 1


def test_only_its_organisers_get_the_link_to_manage_a_class(
    client, class_page, organiser, town_admin, trainees
):
    link = f'href="/admin/classes/{class_page.pk}/"'
    client.force_login(organiser)
    assert link in client.get(class_page.url).content.decode()
    client.force_login(town_admin)  # in the admin, but not over /classes/
    assert link not in client.get(class_page.url).content.decode()
    (trainee,) = trainees(1)
    client.force_login(trainee)
    client.get(class_page.url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(class_page.url).content.decode()
    assert link not in html
    # Not in the admin at all (his session says so): no permission query.
    assert not any(
        "wagtailcore_grouppagepermission" in query["sql"]
        for query in queries.captured_queries
    )
