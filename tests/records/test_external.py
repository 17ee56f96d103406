"""Training elsewhere: a cadre records it with evidence; his unit's
administrators approve, adjust or refuse it; the ledger and the cadre follow."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from records.models import ExternalStatus, ExternalTraining, Source
from records.services import external
from records.services.external import RecordsError
from records.services.ledger import ledger
from tests.factories import TraineeProfileFactory, UserFactory
from tests.records.helpers import elsewhere
from training_site.notify.models import Notice

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
TODAY = timezone.localdate()


def pdf(name="结业证书.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def course(**changes):
    data = {
        "kind": Source.PARTY_SCHOOL,
        "title": "中青年干部培训班",
        "organiser": "区委党校",
        "start_date": (TODAY - timedelta(days=5)).isoformat(),
        "end_date": (TODAY - timedelta(days=1)).isoformat(),
        "hours_claimed": "24",
    }
    return data | changes


@pytest.fixture
def cadre(tree):
    return TraineeProfileFactory(unit_forum=tree["village"]).user


@pytest.fixture
def sibling_admin(tree):
    user = UserFactory()
    user.groups.add(tree["sibling"].admin_group)
    return user


def pending(cadre, hours="24", **extra):
    return elsewhere(
        cadre,
        Source.PARTY_SCHOOL,
        hours,
        status=ExternalStatus.PENDING,
        ended=TODAY - timedelta(days=1),
        **extra,
    )


def test_a_cadre_records_a_course_with_its_certificate(login, cadre):
    client = login(cadre)
    assert "/me/training/" in client.get("/me/").content.decode()
    response = client.post("/me/training/", course() | {"evidence": pdf()})
    assert response.status_code == 302
    training = ExternalTraining.objects.get()
    assert training.status == ExternalStatus.PENDING
    assert training.user == cadre
    assert training.recorded_by == cadre
    assert training.evidence.name.endswith(".pdf")
    assert "结业证书" not in training.evidence.name  # a random name
    # Pending: nothing counts yet.
    assert ledger(cadre, TODAY.year).total == 0


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (None, "必需字段"),
        (SimpleUploadedFile("a.exe", b"MZ\x90\x00"), "pdf, jpg, jpeg, png"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), "并不是真正的 .pdf"),
        (pdf(content=PDF + b"0" * (10 * 1024 * 1024)), "10 MB"),
    ],
    ids=["missing", "type", "content", "size"],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(login, cadre, upload, problem):
    data = course() | ({"evidence": upload} if upload else {})
    response = login(cadre).post("/me/training/", data)
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not ExternalTraining.objects.exists()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"end_date": (TODAY - timedelta(days=9)).isoformat()}, "结束日期早于开始日期"),
        ({"end_date": (TODAY + timedelta(days=1)).isoformat()}, "结束后再登记"),
        ({"hours_claimed": "0"}, "学时须大于0"),
    ],
)
def test_bad_dates_or_hours_are_refused(login, cadre, changes, problem):
    response = login(cadre).post(
        "/me/training/", course(**changes) | {"evidence": pdf()}
    )
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not ExternalTraining.objects.exists()


def test_approval_puts_the_hours_in_his_ledger_and_tells_him(login, cadre, town_admin):
    training = pending(cadre)
    client = login(town_admin)
    listed = client.get(reverse("records_external")).content.decode()
    assert "专题培训" in listed
    response = client.post(
        reverse("records_external_decide", args=[training.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.status == ExternalStatus.APPROVED
    assert training.hours == Decimal("24")
    assert training.decided_by == town_admin
    year = ledger(cadre, TODAY.year)
    assert year.earned[Source.PARTY_SCHOOL] == Decimal("24")
    assert Notice.objects.filter(
        recipient=cadre, kind="records.external.approved"
    ).exists()


def test_an_administrator_may_adjust_the_hours_down_not_up(cadre, town_admin):
    training = pending(cadre)
    with pytest.raises(RecordsError):
        external.approve(town_admin, training, hours=Decimal("30"))
    external.approve(town_admin, training, hours=Decimal("16"))
    assert ledger(cadre, TODAY.year).total == Decimal("16")


def test_a_refusal_needs_a_reason_and_counts_nothing(login, cadre, town_admin):
    training = pending(cadre)
    client = login(town_admin)
    url = reverse("records_external_decide", args=[training.pk])
    client.post(url, {"decision": "refuse", "reason": ""})
    training.refresh_from_db()
    assert training.status == ExternalStatus.PENDING
    client.post(url, {"decision": "refuse", "reason": "无调训通知"})
    training.refresh_from_db()
    assert training.status == ExternalStatus.REFUSED
    assert training.reason == "无调训通知"
    assert ledger(cadre, TODAY.year).total == 0
    notice = Notice.objects.get(recipient=cadre, kind="records.external.refused")
    assert "无调训通知" in notice.body


def test_a_decision_is_taken_once(cadre, town_admin, district_admin):
    training = pending(cadre)
    external.approve(town_admin, training)
    with pytest.raises(RecordsError, match="已"):
        external.refuse(district_admin, training, reason="重复")
    training.refresh_from_db()
    assert training.status == ExternalStatus.APPROVED


def test_outside_his_subtree_an_administrator_sees_and_decides_nothing(
    login, cadre, sibling_admin
):
    training = pending(cadre)
    client = login(sibling_admin)
    assert "专题培训" not in client.get(reverse("records_external")).content.decode()
    url = reverse("records_external_decide", args=[training.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    evidence = reverse("records_external_evidence", args=[training.pk])
    assert client.get(evidence).status_code == 404
    with pytest.raises(RecordsError):
        external.approve(sibling_admin, training)
    training.refresh_from_db()
    assert training.status == ExternalStatus.PENDING


def test_a_trainee_opens_no_review_page_and_nobody_decides_his_own(
    login, cadre, town_admin
):
    response = login(cadre).get(reverse("records_external"))
    assert response.status_code == 302  # no admin at all: to the login
    assert "/login/" in response["Location"]
    TraineeProfileFactory(user=town_admin, unit_forum=cadre.trainee.unit_forum)
    own = pending(town_admin)
    with pytest.raises(RecordsError):
        external.approve(town_admin, own)


def test_the_evidence_opens_for_his_administrators(login, cadre, town_admin):
    training = pending(cadre, evidence=pdf())
    response = login(town_admin).get(
        reverse("records_external_evidence", args=[training.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_only_the_year_it_ended_counts(cadre, town_admin):
    training = pending(cadre)
    training.end_date = date(TODAY.year - 1, 12, 31)
    training.start_date = training.end_date
    training.save()
    external.approve(town_admin, training)
    assert ledger(cadre, TODAY.year).total == 0
    assert ledger(cadre, TODAY.year - 1).total == Decimal("24")
