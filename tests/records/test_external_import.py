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
