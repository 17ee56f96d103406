"""The certificate PDF (its text read back) and the public verification page,
which shows the number, name, class and date and nothing else."""

import io

import pypdf
import pytest

from courses.models import Certificate
from courses.services.certificates import verification_path
from courses.services.completion import confirm
from courses.services.enrolment import assign
from tests.courses.helpers import at, attend, held_class
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(index, organiser) -> Certificate:
    class_page, lessons = held_class(index, title="2026年新任科级干部初任培训班")
    profile = TraineeProfileFactory(
        real_name="张晓明", unit_name="东风村委会", mobile="13912345678"
    )
    assign(
        class_page,
        [profile.user],
        by=organiser,
        now=at(class_page.start_date, 0),
    )
    for lesson in lessons:
        attend(lesson, profile.user)
    (issued,) = confirm(class_page, [profile.user.pk], by=organiser)
    return issued


def pdf_url(certificate) -> str:
    return f"/me/certificates/{certificate.number}.pdf"


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def test_the_holder_downloads_a_pdf_with_the_right_text(client, certificate):
    client.force_login(certificate.user)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert certificate.number in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert "结业证书" in text
    assert "张晓明" in text
    assert "2026年新任科级干部初任培训班" in text
    assert certificate.number in text
    assert "8.0学时" in text  # 4 lessons × 2 hours


def test_the_pdf_names_its_verification_link(client, certificate):
    client.force_login(certificate.user)
    reader = pypdf.PdfReader(io.BytesIO(client.get(pdf_url(certificate)).content))
    assert certificate.number in reader.metadata.title
    path = verification_path(certificate)
    assert path == f"/certificates/{certificate.number}/{certificate.code}/"
    assert client.get(path).status_code == 200


def test_another_trainee_gets_not_found(client, certificate):
    client.force_login(UserFactory())
    assert client.get(pdf_url(certificate)).status_code == 404


def test_the_pdf_needs_a_login(client, certificate):
    response = client.get(pdf_url(certificate))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_classs_organiser_may_download_it(client, certificate, organiser):
    client.force_login(organiser)
    assert client.get(pdf_url(certificate)).status_code == 200


def test_a_town_admin_may_not_download_a_district_classs(
    client, certificate, town_admin
):
    client.force_login(town_admin)
    assert client.get(pdf_url(certificate)).status_code == 404


@pytest.mark.parametrize("number", ["JT2020-000000", "nope", "x" * 300, "%E4%B8%AD"])
def test_an_unknown_number_is_not_found(client, certificate, number):
    client.force_login(certificate.user)
    assert client.get(f"/me/certificates/{number}.pdf").status_code == 404


# Verification ------------------------------------------------------------------


def test_verification_shows_the_number_name_class_and_date(client, certificate):
    response = client.get(verification_path(certificate))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert certificate.number in html
    assert "张晓明" in html
    assert "2026年新任科级干部初任培训班" in html
    assert certificate.issued_on.strftime("%Y-%m-%d") in html


def test_verification_shows_nothing_more(client, certificate):
    html = client.get(verification_path(certificate)).content.decode()
    for private in (
        "13912345678",
        "东风村委会",
        certificate.user.username,
        certificate.user.email,
    ):
        assert private not in html


@pytest.mark.parametrize(
    "path",
    [
        "wrong code",
        "other's code",
        "unknown number",
        "long",
    ],
)
def test_a_wrong_code_or_number_is_a_clear_not_found(
    client, certificate, index, organiser, path
):
    number, code = certificate.number, certificate.code
    if path == "wrong code":
        code = "A" * 16
    elif path == "other's code":
        other = Certificate.objects.create(
            number="JT2000-999999",
            class_page=certificate.class_page,
            user=UserFactory(),
            issued_on=certificate.issued_on,
            holder_name="李四",
            study_hours=1,
        )
        code = other.code
    elif path == "unknown number":
        number = "JT1999-000001"
    else:
        number, code = "9" * 500, "x" * 500
    response = client.get(f"/certificates/{number}/{code}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "没有与该编号和校验码相符的证书，请核对链接或二维码。" in html
    assert "张晓明" not in html


def test_verification_codes_differ_between_certificates(certificate):
    other = Certificate.objects.create(
        number="JT2000-999998",
        class_page=certificate.class_page,
        user=UserFactory(),
        issued_on=certificate.issued_on,
        holder_name="王五",
        study_hours=1,
    )
    assert other.code != certificate.code
    assert len(other.code) >= 16
