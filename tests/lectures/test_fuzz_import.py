"""The trainee import with generated rosters: all rows or none, never a crash.

Rows mix good values with junk (hypothesis): missing or overlong names,
malformed and repeated mobiles, unknown units, taken or odd user names,
control characters. Whatever the file, `import_trainees` either creates one
account per row or nothing at all, and the admin's upload answers a page.
"""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from lectures.models import TraineeProfile
from lectures.services.trainee_import import TEMPLATE_HEADERS, import_trainees
from tests.factories import UserFactory
from tests.fuzz import junk_text
from training_site.tabular import ImportFileError

pytestmark = pytest.mark.django_db

TAKEN_MOBILE = "13911112222"
TAKEN_USERNAME = "13933334444"  # an account whose name is a mobile number

good_mobile = st.from_regex(r"1[3-9]\d{9}", fullmatch=True)
clean_row = st.fixed_dictionaries(
    {
        "姓名": st.sampled_from(["张三", "李四", "王五", "欧阳修"]),
        "手机号": st.one_of(
            good_mobile, st.sampled_from([TAKEN_MOBILE, TAKEN_USERNAME])
        ),
        "单位": st.sampled_from(["城关镇", "东风村微讲坛", "chengguan"]),
        "其他单位": st.just(""),
        "职务": st.sampled_from(["", "科员", "村支书"]),
        "职级": st.just(""),
        "用户名": st.sampled_from(["", "", "zhangsan", "trainee"]),
    }
)
dirty_row = st.fixed_dictionaries(
    {
        "姓名": st.one_of(st.sampled_from(["张三", ""]), junk_text),
        "手机号": st.one_of(good_mobile, junk_text),
        "单位": st.sampled_from(["城关镇", "", "不存在的单位"]),
        "其他单位": st.one_of(st.just(""), st.just("区财政局"), junk_text),
        "职务": st.one_of(st.just("科员"), junk_text),
        "职级": st.one_of(st.just(""), junk_text),
        "用户名": st.one_of(st.just(""), junk_text),
    }
)
row = st.one_of(clean_row, clean_row, dirty_row)
rosters = st.lists(row, min_size=1, max_size=8)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what xlsx cannot hold


def as_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADERS)
    for record in rows:
        writer.writerow([record[column] for column in TEMPLATE_HEADERS])
    return out.getvalue().encode("utf-8")


def as_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(TEMPLATE_HEADERS)
    for record in rows:
        sheet.append([CONTROL.sub("", record[column]) for column in TEMPLATE_HEADERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def existing(tree):
    user = UserFactory()
    TraineeProfile.objects.create(user=user, real_name="已有学员", mobile=TAKEN_MOBILE)
    UserFactory(username=TAKEN_USERNAME)
    UserFactory(username="trainee")


def population() -> tuple[int, int]:
    return get_user_model().objects.count(), TraineeProfile.objects.count()


@settings(max_examples=150)
@given(rows=rosters, kind=st.sampled_from(["csv", "xlsx"]))
def test_an_import_is_all_or_nothing(existing, rows, kind):
    content = as_csv(rows) if kind == "csv" else as_xlsx(rows)
    with transaction.atomic():
        users, profiles = population()
        try:
            report = import_trainees(f"roster.{kind}", content)
        except ImportFileError:
            report = None
        if report is not None and report.ok:
            assert report.created + report.updated + report.unchanged > 0
            assert population() == (users + report.created, profiles + report.created)
        else:
            assert population() == (users, profiles)
            if report is not None:
                assert report.errors
                assert all(e.line >= 2 for e in report.errors)
        transaction.set_rollback(True)


@settings(max_examples=40)
@given(rows=rosters)
def test_the_admin_upload_answers_any_roster(client, existing, district_admin, rows):
    client.force_login(district_admin)
    with transaction.atomic():
        before = population()
        upload = SimpleUploadedFile("roster.csv", as_csv(rows), content_type="text/csv")
        response = client.post(reverse("lectures_trainee_import"), {"file": upload})
        assert response.status_code == 200
        created = population()[1] - before[1]
        filled = [r for r in rows if any(v.strip() for v in r.values())]
        # A row with a known mobile updates its trainee instead of adding one.
        known = [r for r in filled if r["手机号"].strip() == TAKEN_MOBILE]
        assert created in (0, len(filled) - len(known))
        transaction.set_rollback(True)
