"""The network workbook: every refusal, all or nothing, re-runs, the numbers."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from lectures.counting import person_times
from lectures.models import (
    Attendance,
    ForumPage,
    Lecturer,
    SessionPage,
    TraineeProfile,
    VillageForumPage,
)
from onboarding.services.export import export_network, template_workbook
from onboarding.services.network import import_network
from onboarding.services.setup import SetupError, setup_network
from tests.onboarding.workbooks import SESSIONS, csv, sheets, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def installed():
    return setup_network(
        district_name="某区干部大讲坛",
        department_name="区委组织部",
        username="first_admin",
        password="Zhong-Wen-2026",
    )


def run(tables, *, commit=True):
    return import_network([("network.xlsx", xlsx(tables))], commit=commit)


def counts(report) -> dict:
    return {s.sheet: (s.created, s.updated, s.unchanged) for s in report.sheets}


def problems(report) -> list[tuple]:
    return [(e.sheet, e.line, e.message) for e in report.errors]


def population() -> tuple:
    return (
        ForumPage.objects.count(),
        TraineeProfile.objects.count(),
        Lecturer.objects.count(),
        SessionPage.objects.count(),
        Attendance.objects.count(),
        get_user_model().objects.count(),
    )


def test_setup_creates_the_district_taxonomy_and_administrator_only(installed):
    district = installed.district
    assert ForumPage.objects.count() == 1
    assert district.get_parent().specific_class.__name__ == "HomePage"
    assert installed.administrator.groups.filter(pk=district.admin_group_id).exists()
    assert installed.administrator.check_password("Zhong-Wen-2026")
    assert not SessionPage.objects.exists()
    assert not TraineeProfile.objects.exists()
    with pytest.raises(SetupError):
        setup_network(
            district_name="x",
            department_name="y",
            username="other",
            password="Zz-12345678",
        )


def test_a_good_workbook_previews_then_imports_and_counts_like_the_platform(
    installed,
):
    before = population()
    preview = run(sheets(), commit=False)
    assert preview.ok
    assert not preview.written
    assert counts(preview) == {
        "讲坛": (3, 1, 0),
        "学员": (3, 0, 0),
        "讲师": (2, 0, 0),
        "往期讲座": (3, 0, 0),
    }
    assert population() == before
    report = run(sheets())
    assert report.written
    assert counts(report) == counts(preview)
    village = VillageForumPage.objects.get(slug="dongfeng")
    assert village.get_parent().slug == "chengguan"
    assert village.admin_group is not None
    # 第N期 in date order per forum: January's session is No. 1.
    numbers = dict(
        SessionPage.objects.filter(forum__slug="chengguan").values_list(
            "title", "number"
        )
    )
    assert numbers == {"经济形势": 1, "学习贯彻全会精神": 2}
    # Person-times by the one rule: a roster's present + late, else the head-count.
    assert person_times(SessionPage.objects.all()) == 3 + 35 + 40
    lecturer = Lecturer.objects.get(name="李秀英")
    assert lecturer.user.trainee.mobile == "13800000003"
    assert lecturer.user.groups.filter(lecturing_forum__slug="chengguan").exists()


def test_a_second_import_reports_0_created_0_updated(installed):
    run(sheets())
    before = population()
    again = run(sheets())
    assert again.written
    assert (again.total("created"), again.total("updated")) == (0, 0)
    assert population() == before


def test_a_changed_row_updates_and_a_new_session_continues_the_numbers(installed):
    run(sheets())
    changed = [list(row) for row in SESSIONS]
    changed[1][10] = "36"  # the head-count
    changed.append(
        [
            "chengguan",
            "2026-04-01 09:00",
            "",
            "四月讲座",
            "王建国",
            "会议室",
            "",
            "",
            "1",
            "",
            "20",
            "",
            "",
            "",
            "",
        ]
    )
    report = run(sheets(sessions=changed))
    assert counts(report)["往期讲座"] == (1, 1, 2)
    assert SessionPage.objects.get(title="四月讲座").number == 3
    assert SessionPage.objects.get(title="法治乡村").headcount == 36


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"forums": [["微讲坛", "nowhere", "某村", "mou", "村", "", ""]]},
            ("讲坛", 2, "未知上级讲坛“nowhere”"),
        ),
        (
            {
                "forums": [
                    ["小讲坛", "", "城关镇小讲坛", "chengguan", "镇", "", ""],
                    ["微讲坛", "chengguan", "东风村", "dongfeng", "村", "", ""],
                    ["微讲坛", "dongfeng", "东风村三组", "sanzu", "村", "", ""],
                ]
            },
            ("讲坛", 4, "微讲坛必须在小讲坛之下；“dongfeng”是微讲坛"),
        ),
    ],
)
def test_forum_refusals(installed, overrides, expected):
    before = population()
    report = run(sheets(trainees=None, lecturers=None, sessions=None, **overrides))
    assert expected in problems(report)
    assert not report.written
    assert population() == before


def test_session_refusals(installed):
    future = timezone.localdate().replace(year=timezone.localdate().year + 1)
    bad = [
        # a held session in the future
        [
            "chengguan",
            f"{future} 09:00",
            "",
            "未来",
            "王建国",
            "",
            "",
            "",
            "1",
            "",
            "10",
            "",
            "",
            "",
            "",
        ],
        # an unknown lecturer and an unknown mobile
        [
            "chengguan",
            "2026-02-01 09:00",
            "",
            "某讲座",
            "无名氏",
            "",
            "",
            "",
            "1",
            "",
            "",
            "13999999999",
            "",
            "",
            "",
        ],
        # the same forum, start and title as line 2's neighbour below
        [
            "dongfeng",
            "2026-03-05 14:30",
            "",
            "法治乡村",
            "",
            "",
            "",
            "",
            "1",
            "",
            "5",
            "",
            "",
            "",
            "",
        ],
        [
            "dongfeng",
            "2026-03-05 14:30",
            "",
            "法治乡村",
            "",
            "",
            "",
            "",
            "1",
            "",
            "5",
            "",
            "",
            "",
            "",
        ],
    ]
    before = population()
    report = run(sheets(sessions=bad))
    found = problems(report)
    assert ("往期讲座", 2, "已举办的讲座不能在将来开始") in found
    assert ("往期讲座", 3, "未知讲师“无名氏”") in found
    assert ("往期讲座", 3, "未知手机号码13999999999") in found
    assert ("往期讲座", 5, "讲坛、开始时间和题目与第4行相同") in found
    assert population() == before


def test_a_trainee_without_a_known_rank_is_refused_with_his_row(installed):
    """The 学员 sheet takes the roster import's rule: every trainee has one
    of the district's ranks."""
    before = population()
    tables = sheets(
        trainees=[
            ["张三", "13800000001", "chengguan", "", "", "一般干部", ""],
            ["李四", "13800000002", "chengguan", "", "", "", ""],
            ["王五", "13800000003", "chengguan", "", "", "正科", ""],
        ]
    )
    found = {(sheet, line): message for sheet, line, message in problems(run(tables))}
    assert found[("学员", 3)].startswith("缺少职级，可选职级：县处级")
    assert found[("学员", 4)].startswith("未知职级“正科”")
    assert ("学员", 2) not in found
    assert population() == before


def test_mistakes_on_several_sheets_are_all_reported_and_nothing_is_written(
    installed,
):
    before = population()
    tables = sheets(
        forums=[["小讲坛", "", "城关镇小讲坛", "chengguan", "星球", "", ""]],
        trainees=[["张三", "123", "", "区委党校", "", "", ""]],
        lecturers=[["王建国", "", "", "不存在的领域", "", ""]],
    )
    tables["往期讲座"][0] = ["讲坛", "题目"]  # a bad header: no start column
    report = run(tables)
    sheets_with_problems = {error.sheet for error in report.errors}
    assert sheets_with_problems == {"讲坛", "学员", "讲师", "往期讲座"}
    assert ("往期讲座", 1) in {(e.sheet, e.line) for e in report.errors}
    assert not report.written
    assert population() == before


def test_rows_naming_a_forum_of_a_refused_sheet_are_not_called_unknown(installed):
    tables = sheets(
        forums=[
            ["大讲坛", "", "区级干部大讲坛", "district", "区", "区委组织部", ""],
            ["小讲坛", "", "城关镇小讲坛", "chengguan", "镇", "", "not a date"],
            ["微讲坛", "chengguan", "东风村微讲坛", "dongfeng", "村", "", ""],
        ]
    )
    report = run(tables)
    assert [(e.sheet, e.line) for e in report.errors] == [("讲坛", 3)]


def test_csv_per_sheet_in_gb18030(installed):
    tables = sheets()
    files = [(f"{name}.csv", csv(rows, "gb18030")) for name, rows in tables.items()]
    report = import_network(files, commit=True)
    assert report.written, problems(report)
    assert TraineeProfile.objects.get(mobile="13800000002").real_name == "李四"


def test_the_template_imports_into_a_fresh_installation(installed):
    report = import_network([("t.xlsx", template_workbook())], commit=True)
    assert report.written, problems(report)
    assert SessionPage.objects.get().forum.slug == "chengguan"


def test_the_commands(installed, tmp_path):
    good = tmp_path / "network.xlsx"
    good.write_bytes(xlsx(sheets()))
    out = StringIO()
    call_command("import_network", str(good), "--dry-run", stdout=out)
    assert not SessionPage.objects.exists()
    call_command("import_network", str(good), stdout=out)
    assert SessionPage.objects.count() == 3
    exported = tmp_path / "out.xlsx"
    call_command("export_network", str(exported), stdout=out)
    again = StringIO()
    call_command("import_network", str(exported), stdout=again)
    assert "0" in again.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(sheets(forums=[["小讲坛", "x", "y", "y", "镇", "", ""]])))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_network", str(bad), stdout=StringIO(), stderr=err)
    assert "讲坛" in err.getvalue()


def test_export_then_import_is_unchanged(installed):
    run(sheets())
    report = import_network([("n.xlsx", export_network())], commit=True)
    assert (report.total("created"), report.total("updated")) == (0, 0), problems(
        report
    )


def test_a_numbered_row_is_matched_by_its_number_and_keeps_it(installed):
    numbered = [[*row] for row in SESSIONS]
    numbered[0] += [""] * (15 - len(numbered[0])) + ["7"]
    run(sheets(sessions=numbered))
    session = SessionPage.objects.get(title="学习贯彻全会精神")
    assert session.number == 7
    # The unnumbered ones of the forum continue after it, in date order.
    assert SessionPage.objects.get(title="经济形势").number == 8
    # Two sessions with one start and title are told apart by their numbers.
    twin = [*numbered[0][:15], "9"]
    report = run(sheets(sessions=[*numbered, twin]))
    assert counts(report)["往期讲座"] == (1, 0, 3)
    assert SessionPage.objects.filter(title="学习贯彻全会精神").count() == 2
    again = run(sheets(sessions=[*numbered, twin]))
    assert counts(again)["往期讲座"] == (0, 0, 4)
