"""/me/ lists the trainee's classes with attendance rate, score and completion."""

from datetime import timedelta

import pytest

from courses.services.completion import confirm
from courses.services.enrolment import assign, enrol, reject, withdraw
from tests.courses.helpers import RIGHT_ANSWERS, at, attend, bank, held_class, take
from tests.factories import ClassFactory

pytestmark = pytest.mark.django_db


def test_me_lists_his_classes_with_rate_score_and_certificate(
    client, index, organiser, trainees
):
    (user,) = trainees(1)
    done, lessons = held_class(index, title="已结业班", questions=bank())
    assign(done, [user], by=organiser, now=at(done.start_date, 0))
    for lesson in lessons[:3]:
        attend(lesson, user)
    take(done, user, RIGHT_ANSWERS)
    halfway, halfway_lessons = held_class(
        index, title="出勤不足班", min_attendance_rate=80
    )
    assign(halfway, [user], by=organiser, now=at(halfway.start_date, 0))
    attend(halfway_lessons[0], user)
    applied = ClassFactory(parent=index, title="待审批班", requires_approval=True)
    enrol(applied, user)
    turned_down = ClassFactory(parent=index, title="未获批准班", requires_approval=True)
    reject(turned_down, enrol(turned_down, user).pk, by=organiser, reason="名额已满")
    left = ClassFactory(parent=index, title="已退出班")
    enrol(left, user)
    withdraw(left, user)
    done.min_attendance_rate = 75
    done.save()
    (certificate,) = confirm(done, [user.pk], by=organiser)

    client.force_login(user)
    html = client.get("/me/").content.decode()
    for title in ("已结业班", "出勤不足班", "待审批班", "未获批准班"):
        assert title in html
    assert "已退出班" not in html
    assert "75.0%（3/4）" in html  # attended 3 of his 4 lessons
    assert "100.0%" in html  # his test score
    assert "25.0%（1/4）" in html
    assert f'href="/me/certificates/{certificate.number}.pdf"' in html
    assert "名额已满" in html


def test_me_without_classes_points_to_the_list(client, trainees):
    (user,) = trainees(1)
    client.force_login(user)
    html = client.get("/me/").content.decode()
    assert 'href="/classes/"' in html


def test_a_late_enrolment_on_me_counts_from_his_enrolment(
    client, index, organiser, trainees
):
    (user,) = trainees(1)
    class_page, lessons = held_class(index, title="中途加入班")
    assign(class_page, [user], by=organiser, now=lessons[2].start - timedelta(hours=1))
    attend(lessons[2], user)
    client.force_login(user)
    assert "50.0%（1/2）" in client.get("/me/").content.decode()


def test_withdrawing_cannot_be_mistaken_for_logging_out(client, index, trainees):
    (user,) = trainees(1)
    class_page = ClassFactory(parent=index, title="未开班")
    enrol(class_page, user)
    client.force_login(user)
    html = client.get(class_page.url).content.decode()
    assert "申请退班</button>" in html
    assert ">退出登录</button>" in html  # the header's
    assert ">退出</button>" not in html


def test_rates_before_any_lesson_read_like_the_others(client, index, trainees):
    (user,) = trainees(1)
    enrol(ClassFactory(parent=index, title="未开班"), user)
    client.force_login(user)
    assert "100.0%（0/0）" in client.get("/me/").content.decode()
