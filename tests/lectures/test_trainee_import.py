"""The roster import: all rows or none, every bad row named with its line."""

import io
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from lectures.models import TraineeProfile
from lectures.services.trainee_import import TEMPLATE_HEADERS, import_trainees
from tests.factories import UserFactory
from training_site.tabular import ImportFileError

pytestmark = pytest.mark.django_db


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in [TEMPLATE_HEADERS, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    ["张三", "13800000001", "城关镇", "", "科员", "一般干部", ""],
    ["李四", "13800000002", "", "区委党校", "", "县处级", "lisi"],
    ["王五", "13800000003", "东风村微讲坛", "", "", "村（社区）干部", ""],
]


def test_a_good_roster_is_imported(tree):
    report = import_trainees("r.xlsx", xlsx(GOOD), initial_password="chushi-mima-1")
    assert report.ok
    assert report.created == 3
    zhang = TraineeProfile.objects.get(mobile="13800000001")
    assert zhang.unit_forum.specific == tree["town"]
    assert zhang.user.username == "13800000001"
    assert zhang.user.check_password("chushi-mima-1")
    assert TraineeProfile.objects.get(real_name="李四").unit_name == "区委党校"
    assert (
        TraineeProfile.objects.get(real_name="王五").unit_forum_id == tree["village"].pk
    )


def test_bad_rows_import_nothing_and_are_all_named(tree):
    TraineeProfile.objects.create(
        user=UserFactory(), real_name="旧人", mobile="13900000000"
    )
    rows = [
        *GOOD,
        ["", "13800000004", "城关镇", "", "", "一般干部", ""],
        ["赵六", "12345", "城关镇", "", "", "一般干部", ""],
        ["钱七", "13800000001", "城关镇", "", "", "一般干部", ""],
        ["周九", "13800000009", "火星镇", "", "", "一般干部", ""],
        ["吴十", "13800000010", "", "", "", "一般干部", ""],
    ]
    report = import_trainees("r.xlsx", xlsx(rows))
    assert not report.ok
    assert [(e.line, e.message) for e in report.errors] == [
        (5, "缺少姓名"),
        (6, "“12345”不是11位手机号码"),
        (7, "手机号码13800000001与第2行重复"),
        (8, "未知单位“火星镇”"),
        (9, "缺少单位"),
    ]
    assert TraineeProfile.objects.count() == 1
    assert get_user_model().objects.count() == 1


def test_a_known_mobile_updates_its_trainee_and_a_rerun_changes_nothing(tree):
    first = import_trainees("r.xlsx", xlsx(GOOD))
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    users = get_user_model().objects.count()
    again = import_trainees("r.xlsx", xlsx(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    moved = [["张三丰", "13800000001", "", "区委党校", "副科长", "乡科级副职", "x"]]
    report = import_trainees("r.xlsx", xlsx(moved))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    zhang = TraineeProfile.objects.get(mobile="13800000001")
    assert (zhang.real_name, zhang.unit_forum, zhang.unit_name, zhang.rank.name) == (
        "张三丰",
        None,
        "区委党校",
        "乡科级副职",
    )
    # The account keeps its name; nobody is duplicated.
    assert zhang.user.username == "13800000001"
    assert get_user_model().objects.count() == users
    assert TraineeProfile.objects.count() == 3


def test_csv_in_gb18030_from_excel(tree):
    text = "\n".join(",".join(row) for row in [TEMPLATE_HEADERS, *GOOD])
    report = import_trainees("r.csv", text.encode("gb18030"))
    assert report.ok
    assert report.created == 3


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("r.xlsx", b"not a spreadsheet"),
        ("r.txt", b"whatever"),
        ("r.csv", b""),
        ("r.csv", "姓名,单位\n张三,城关镇".encode()),
    ],
)
def test_unreadable_files_are_refused_clearly(tree, name, content):
    with pytest.raises(ImportFileError):
        import_trainees(name, content)
    assert not TraineeProfile.objects.exists()


def test_the_command(tree, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(GOOD))
    out = StringIO()
    call_command("import_trainees", str(good), stdout=out)
    assert "3" in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([["", "1", "", "", "", "", ""]]))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_trainees", str(bad), stdout=StringIO(), stderr=err)
    assert "line 2" in err.getvalue() or "第 2 行" in err.getvalue()


def test_the_admin_import_for_the_district_only(client, tree, people):
    upload = SimpleUploadedFile("r.xlsx", xlsx(GOOD))
    client.force_login(people["town_admin"])
    assert client.get("/admin/trainees/import/").status_code in (302, 403)
    client.post("/admin/trainees/import/", {"file": upload})
    assert not TraineeProfile.objects.exists()
    upload.seek(0)
    client.force_login(people["district_admin"])
    assert client.get("/admin/trainees/import/template.xlsx").status_code == 200
    response = client.post("/admin/trainees/import/", {"file": upload})
    assert response.status_code == 200
    assert TraineeProfile.objects.count() == 3


def test_trainees_never_appear_on_public_pages_or_the_api(client, tree):
    import_trainees("r.xlsx", xlsx(GOOD))
    for url in (
        "/",
        "/schedule/",
        tree["town"].url,
        "/api/v2/pages/?fields=*",
        "/schedule.ics",
        "/lecturers/",
    ):
        body = client.get(url).content.decode()
        for name, mobile in (("张三", "13800000001"), ("李四", "13800000002")):
            assert name not in body, url
            assert mobile not in body, url


def test_a_csv_with_bare_carriage_returns_is_read_not_a_500():
    """Found by the fuzzer: a lone \\r in a field made the csv module raise."""
    from training_site.tabular import read_rows

    rows = read_rows("sheet.csv", "姓名\r张三,13800000000\r\n".encode())
    assert rows == [["姓名"], ["张三", "13800000000"]]


def test_a_rank_is_one_of_the_districts_list_or_the_row_is_refused(tree):
    rows = [
        ["张三", "13800000001", "城关镇", "", "科员", "乡科级副职", ""],
        ["李四", "13800000002", "城关镇", "", "", "正科", ""],
        ["王五", "13800000003", "城关镇", "", "", "", ""],
    ]
    report = import_trainees("r.xlsx", xlsx(rows))
    assert not report.ok
    assert [e.line for e in report.errors] == [3, 4]
    assert "未知职级“正科”" in report.errors[0].message
    assert "缺少职级" in report.errors[1].message
    for error in report.errors:
        assert "乡科级副职" in error.message  # the ranks there are
    assert not TraineeProfile.objects.exists()

    report = import_trainees("r.xlsx", xlsx([rows[0]]))
    assert report.ok
    assert TraineeProfile.objects.get(real_name="张三").rank.name == "乡科级副职"


def test_a_roster_without_the_rank_column_is_refused(tree):
    book = Workbook()
    book.active.append(["姓名", "手机号码", "单位"])
    book.active.append(["张三", "13800000001", "城关镇"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportFileError, match="职级"):
        import_trainees("r.xlsx", out.getvalue())
