"""Hours elsewhere for many cadres from a spreadsheet: all or nothing, every
bad row named, only cadres the administrator manages."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from records.models import ExternalStatus, ExternalTraining, Source
from records.services.external_import import COLUMNS, import_external
from records.services.ledger import ledger
from tests.factories import TraineeProfileFactory
from tests.records.test_external import PDF
from training_site.notify.models import Notice

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
DAY = f"{YEAR}-01-01"


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in [[column.title for column in COLUMNS], *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def cadres(tree):
    return {
        "village": TraineeProfileFactory(
            mobile="13800000001", unit_forum=tree["village"]
        ),
        "town": TraineeProfileFactory(mobile="13800000002", unit_forum=tree["town"]),
        "sibling": TraineeProfileFactory(
            mobile="13800000003", unit_forum=tree["sibling"]
        ),
    }


GOOD = [
    ["13800000001", "党校", "中青年干部培训班", "区委党校", DAY, DAY, "24"],
]


def test_good_rows_are_recorded_approved_and_counted(cadres, town_admin):
    rows = [
        GOOD[0],
        ["13800000002", "网络学院", "网上专题", "干部网络学院", DAY, DAY, "6"],
    ]
    report = import_external(town_admin, "h.xlsx", xlsx(rows))
    assert report.ok, report.errors
    assert report.created == 2
    assert set(ExternalTraining.objects.values_list("status", flat=True)) == {
        ExternalStatus.APPROVED
    }
    village = ledger(cadres["village"].user, YEAR)
    assert village.earned[Source.PARTY_SCHOOL] == Decimal("24")
    assert ledger(cadres["town"].user, YEAR).earned[Source.ONLINE] == Decimal("6")
    assert Notice.objects.filter(kind="records.external.approved").count() == 2


def test_one_bad_row_records_nothing_and_every_bad_row_is_named(cadres, town_admin):
    rows = [
        GOOD[0],
        ["13800000003", "党校", "课程", "区委党校", DAY, DAY, "8"],  # sibling town
        ["13800000009", "党校", "课程", "区委党校", DAY, DAY, "8"],  # nobody
        ["13800000002", "出国考察", "课程", "区委党校", DAY, DAY, "8"],
        ["13800000002", "党校", "课程", "区委党校", "昨天", DAY, "8"],
        ["13800000002", "党校", "课程", "区委党校", DAY, f"{YEAR - 1}-12-01", "8"],
        ["13800000002", "党校", "课程", "区委党校", DAY, DAY, "0"],
    ]
    report = import_external(town_admin, "h.xlsx", xlsx(rows))
    assert not report.ok
    assert [error.line for error in report.errors] == [3, 4, 5, 6, 7, 8]
    messages = " ".join(error.message for error in report.errors)
    assert "13800000003" in messages
    assert "出国考察" in messages
    assert not ExternalTraining.objects.exists()
    assert not Notice.objects.exists()


def test_the_admin_page_imports_and_reports(login, cadres, town_admin, sibling_admin):
    url = reverse("records_external_import")
    upload = SimpleUploadedFile("h.xlsx", xlsx([GOOD[0]]))
    response = login(sibling_admin).post(url, {"file": upload})
    assert "13800000001" in response.content.decode()  # not one of his
    assert not ExternalTraining.objects.exists()
    upload = SimpleUploadedFile("h.xlsx", xlsx([GOOD[0]]))
    response = login(town_admin).post(url, {"file": upload})
    assert response.status_code == 302
    assert ExternalTraining.objects.get().recorded_by == town_admin
    template = login(town_admin).get(reverse("records_external_import_template"))
    assert template.status_code == 200


@pytest.fixture
def sibling_admin(tree):
    from tests.factories import UserFactory

    user = UserFactory()
    user.groups.add(tree["sibling"].admin_group)
    return user


# One evidence file for the whole list -------------------------------------------


def notice(name="调训通知.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_one_evidence_file_is_kept_once_and_shown_on_every_course(
    login, cadres, town_admin
):
    rows = [
        GOOD[0],
        ["13800000002", "上级调训", "中青年干部培训班", "区委党校", DAY, DAY, "24"],
    ]
    client = login(town_admin)
    response = client.post(
        reverse("records_external_import"),
        {"file": SimpleUploadedFile("h.xlsx", xlsx(rows)), "evidence": notice()},
    )
    assert response.status_code == 302
    names = set(ExternalTraining.objects.values_list("evidence", flat=True))
    assert len(names) == 1  # stored once, shared
    (name,) = names
    assert name.startswith("records/evidence/")
    assert name.endswith(".pdf")
    assert "调训通知" not in name  # a random name, as a single recording's
    for training in ExternalTraining.objects.all():
        opened = client.get(reverse("records_external_evidence", args=[training.pk]))
        assert b"".join(opened.streaming_content).startswith(b"%PDF")
    listing = client.get(reverse("records_external"), {"status": "approved"})
    listing = listing.content.decode()
    for training in ExternalTraining.objects.all():
        assert reverse("records_external_evidence", args=[training.pk]) in listing


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (notice("通知.exe", b"MZ"), "pdf, jpg, jpeg, png"),
        (notice("通知.pdf", b"not a pdf"), ".pdf"),
        (notice(content=PDF + b"0" * (10 * 1024 * 1024)), "10 MB"),
    ],
)
def test_bad_evidence_refuses_the_list_as_the_single_recording_does(
    login, cadres, town_admin, upload, problem
):
    response = login(town_admin).post(
        reverse("records_external_import"),
        {"file": SimpleUploadedFile("h.xlsx", xlsx([GOOD[0]])), "evidence": upload},
    )
    assert response.status_code == 200
    assert problem in str(response.context["form"].errors["evidence"])
    assert not ExternalTraining.objects.exists()


def stored() -> set[str]:
    from django.core.files.storage import default_storage

    if not default_storage.exists("records/evidence"):
        return set()
    return set(default_storage.listdir("records/evidence")[1])


def test_a_list_with_a_bad_row_stores_no_evidence(cadres, town_admin):
    before = stored()
    bad = ["13800000009", "党校", "班", "区委党校", DAY, DAY, "24"]
    report = import_external(
        town_admin, "h.xlsx", xlsx([GOOD[0], bad]), evidence=notice()
    )
    assert not report.ok
    assert stored() == before
    assert not ExternalTraining.objects.exists()
    good = import_external(town_admin, "h.xlsx", xlsx(GOOD), evidence=notice())
    assert good.ok
    assert len(stored() - before) == 1
