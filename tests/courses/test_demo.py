"""The demo's training classes: several types, past and ahead, with everything
a class leaves behind, and `demo_trainee`'s certificate and upcoming class."""

import io
import re

import pypdf
import pytest
from django.contrib.auth import get_user_model

from courses.models import (
    Attempt,
    Certificate,
    ClassPage,
    ClassPhase,
    Enrolment,
    LeaveRequest,
    TrainingIndexPage,
)
from courses.services.completion import progress
from lectures.models import Attendance, SessionPage

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def test_classes_of_different_types_past_and_ahead(demo):
    classes = list(ClassPage.objects.live())
    assert len(classes) >= 4
    assert len({c.class_type for c in classes}) >= 4
    phases = {c.phase() for c in classes}
    assert {ClassPhase.FINISHED, ClassPhase.UPCOMING} <= phases
    for class_page in classes:
        assert SessionPage.objects.child_of(class_page).lessons().exists()
        assert class_page.has_test


def test_classes_have_what_use_leaves_behind(demo):
    lessons = SessionPage.objects.lessons()
    assert lessons.exists()
    assert not lessons.exclude(number=None).exists()
    assert Enrolment.objects.enrolled().count() >= 50
    assert Enrolment.objects.pending().exists()
    assert Enrolment.objects.filter(status="rejected").exclude(reason="").exists()
    assert Attendance.objects.filter(session__in=lessons).exists()
    assert LeaveRequest.objects.filter(status="approved").exists()
    assert (
        Attendance.objects.filter(session__in=lessons, status="on_leave")
        .exclude(leave_reason="")
        .exists()
    )
    assert Attempt.objects.submitted().count() >= 20
    assert not Attempt.objects.open().exists()


def test_certificates_are_numbered_and_meet_the_rules(demo):
    certificates = list(Certificate.objects.select_related("class_page"))
    assert certificates
    for certificate in certificates:
        assert re.fullmatch(r"JT\d{4}-\d{6}", certificate.number)
        assert certificate.class_page.phase() == ClassPhase.FINISHED
    # Everyone certified meets the class's rules as they stand today.
    for class_page in {c.class_page for c in certificates}:
        rows = {r.enrolment.user_id: r for r in progress(class_page)}
        for certificate in certificates:
            if certificate.class_page_id == class_page.pk:
                assert rows[certificate.user_id].completes


def test_the_demo_trainee_completed_one_class_and_is_enrolled_in_another(demo, client):
    trainee = user("demo_trainee")
    (certificate,) = Certificate.objects.filter(user=trainee)
    assert certificate.class_page.phase() == ClassPhase.FINISHED
    assert certificate.holder_name == "李学员"
    upcoming = [
        e.class_page
        for e in Enrolment.objects.enrolled()
        .filter(user=trainee)
        .select_related("class_page")
        if e.class_page.phase() == ClassPhase.UPCOMING
    ]
    assert upcoming

    client.force_login(trainee)
    html = client.get("/me/").content.decode()
    url = f"/me/certificates/{certificate.number}.pdf"
    assert url in html
    assert upcoming[0].title in html
    pdf = client.get(url)
    assert pdf.status_code == 200
    text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "李学员" in text
    assert certificate.class_page.title in text


def test_an_upcoming_class_is_open_for_enrolment(demo, client):
    open_classes = ClassPage.objects.live().open_for_enrolment()
    assert open_classes.exists()
    titles = [c.title for c in client.get("/classes/?status=open").context["classes"]]
    assert set(titles) == {c.title for c in open_classes}
    stranger = (
        get_user_model()
        .objects.filter(trainee__isnull=False)
        .exclude(enrolments__class_page__in=open_classes)
        .first()
    )
    client.force_login(stranger)
    class_page = open_classes.first()
    client.post(class_page.url + "enrol/")
    assert Enrolment.objects.filter(class_page=class_page, user=stranger).exists()


def test_the_demo_organisers_manage_their_classes(demo, client):
    index = TrainingIndexPage.objects.get()
    client.force_login(user("demo_admin"))
    for class_page in ClassPage.objects.all():
        url = f"/admin/classes/{class_page.pk}/completion/"
        assert client.get(url).status_code == 200, class_page.title
    town_class = ClassPage.objects.exclude(path__startswith=index.path).first()
    client.force_login(user("demo_town"))
    listed = client.get("/admin/classes/").context["classes"]
    assert [c.pk for c in listed] == [town_class.pk]


def test_reset_removes_the_classes_and_keeps_the_index(demo_reset):
    assert not ClassPage.objects.exists()
    assert not Enrolment.objects.exists()
    assert not Certificate.objects.exists()
    assert TrainingIndexPage.objects.get().url == "/classes/"
