"""The 统计 pages: one set of numbers on the page, in the spreadsheets, in
`lecture_stats --format json` and in the paragraph; each viewer limited to
his subtree; bad filters answered with a clear message."""

import io
import json
from datetime import date
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from stats.figures import ADDITIVE
from tests.factories import UserFactory
from training_site.spreadsheets import tab_name

pytestmark = pytest.mark.django_db

NETWORK = "/admin/reports/network/"
PERIOD = {"start": "2025-01-01", "end": "2026-12-31"}


@pytest.fixture
def data(report_data):
    return report_data


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def json_stats(**options) -> dict:
    out = io.StringIO()
    call_command("lecture_stats", format="json", stdout=out, **options)
    return json.loads(out.getvalue())


def sheet_rows(content: bytes, name: str) -> list[list]:
    book = load_workbook(io.BytesIO(content))
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def test_the_urls_are_stable():
    assert reverse("stats_report_network") == NETWORK
    assert reverse("stats_report_lecturers") == "/admin/reports/lecturers/"
    assert reverse("stats_report_trainees") == "/admin/reports/trainees/"
    assert reverse("courses_report_classes") == "/admin/reports/classes/"


@pytest.mark.parametrize("forum", [None, "chengguan"])
def test_page_spreadsheet_json_and_paragraph_agree(data, superuser, login, forum):
    params = dict(PERIOD, **({"forum": forum} if forum else {}))
    client = login(superuser)
    page = client.get(NETWORK, params)
    assert page.status_code == 200
    stats = page.context["stats"]
    expected = json_stats(
        **{"from": PERIOD["start"], "to": PERIOD["end"]},
        **({"forum": forum} if forum else {}),
    )
    for name in (*ADDITIVE, "unique_participants", "forums", "period"):
        value = getattr(stats, name)
        value = str(value) if name.startswith("study_hours") else value
        assert value == expected[name], name
    # The paragraph on the page is the one `--format text` prints.
    assert page.context["paragraph"] in page.content.decode()
    for figure in (expected["sessions_held"], expected["participants"]):
        assert f"{figure:,}" in page.context["paragraph"]
    # The whole-report workbook: each table's totals row is the JSON's.
    book = client.get(NETWORK, dict(params, export="xlsx"))
    assert book["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(book.content))
    forum_sheet = "按讲坛：" + ("城关镇小讲坛" if forum else "区级大讲坛")
    for name in ("按月", "按层级", "按领域", "按类别", tab_name(forum_sheet)):
        rows = [list(r) for r in workbook[name].iter_rows(values_only=True)]
        total = rows[-1]
        assert total[0] == "合计"
        assert total[1:5] == [
            expected["sessions_held"],
            expected["sessions_cancelled"],
            expected["sessions_postponed"],
            expected["participants"],
        ], name
        body = rows[4:-1]
        assert sum(row[4] for row in body) == expected["participants"]
    # The forums sheet agrees with `forums`.
    forums = [list(r) for r in workbook["讲坛"].iter_rows(values_only=True)]
    assert [row[1] for row in forums[3:6]] == list(expected["forums"].values())


def test_one_table_as_csv_and_xlsx(data, superuser, login):
    client = login(superuser)
    csv = client.get(NETWORK, dict(PERIOD, export="csv", table="forum"))
    text = csv.content.decode("utf-8-sig")
    assert "合计" in text.splitlines()[-1]
    assert "讲次·已开讲" in text
    xlsx = client.get(NETWORK, dict(PERIOD, export="xlsx", table="level"))
    rows = sheet_rows(xlsx.content, "按层级")
    assert "统计时段" in rows[1][0]  # the period line under the title
    assert rows[2][1] == "讲次"  # merged group header
    assert [r[0] for r in rows[4:7]] == ["区级大讲坛", "小讲坛", "微讲坛"]
    book = load_workbook(io.BytesIO(xlsx.content))
    merged = {str(r) for r in book["按层级"].merged_cells.ranges}
    assert "B3:D3" in merged
    assert "A3:A4" in merged


@pytest.mark.parametrize(
    ("user", "scope"),
    [
        ("district_admin", "district"),
        ("town_admin", "chengguan"),
        ("village_admin", "dongfeng"),
    ],
)
def test_each_role_sees_its_own_subtree(data, people, login, user, scope):
    client = login(people[user])
    page = client.get(NETWORK, PERIOD)
    assert page.status_code == 200
    assert page.context["stats"].forum["slug"] == scope
    expected = json_stats(
        **{"from": PERIOD["start"], "to": PERIOD["end"], "forum": scope}
    )
    assert page.context["stats"].participants == expected["participants"]


@pytest.mark.parametrize(
    ("user", "outside"),
    [
        ("town_admin", "qingshan"),
        ("town_admin", "district"),
        ("village_admin", "chengguan"),
        ("village_admin", "hongqi"),
    ],
)
def test_another_subtree_is_refused_not_widened(data, people, login, user, outside):
    client = login(people[user])
    page = client.get(NETWORK, dict(PERIOD, forum=outside))
    assert page.status_code == 403
    assert "只能查看本人管理的讲坛" in page.content.decode()
    export = client.get(NETWORK, dict(PERIOD, forum=outside, export="xlsx"))
    assert export.status_code == 403
    for url in (
        "/admin/reports/lecturers/",
        "/admin/reports/trainees/",
        "/admin/reports/classes/",
    ):
        assert client.get(url, {"forum": outside}).status_code == 403


def test_a_town_may_drill_down_to_its_village(data, people, login):
    client = login(people["town_admin"])
    page = client.get(NETWORK, dict(PERIOD, forum="dongfeng"))
    assert page.status_code == 200
    assert page.context["stats"].forum["slug"] == "dongfeng"


@pytest.mark.parametrize("user", ["lecturer", "trainee"])
def test_who_administers_nothing_sees_no_reports(data, people, login, user):
    from tests.wagtail_admin import refused

    client = login(people[user])
    for url in (NETWORK, "/admin/reports/lecturers/", "/admin/reports/classes/"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        login_page = response.get("Location", "").startswith("/admin/login/")
        assert response.status_code == 403 or refused(response) or login_page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-13-01"}, "有效的日期"),
        ({"start": "2026-03-01", "end": "2026-01-01"}, "开始日期晚于结束日期"),
        ({"end": "3000-01-01"}, "1900"),
        ({"forum": "no-such-forum"}, "no-such-forum"),
        ({"level": "galaxy"}, "galaxy"),
        ({"field": "nope"}, "选择"),
    ],
)
def test_bad_filters_get_a_clear_message(data, superuser, login, params, message):
    client = login(superuser)
    page = client.get(NETWORK, params)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert "stats" not in page.context or page.context.get("stats") is None
    export = client.get(NETWORK, dict(params, export="xlsx"))
    assert export.status_code == 400
    assert message in export.content.decode()


def test_print_view_and_charts_need_no_inline_script(data, superuser, login):
    client = login(superuser)
    page = client.get(NETWORK, PERIOD).content.decode()
    assert 'id="stats-chart-data"' in page
    assert "chart.umd.min.js" in page
    assert "lectures/js/reports.js" in page
    printed = client.get(NETWORK, dict(PERIOD, **{"print": "1"})).content.decode()
    for html in (page, printed):
        scripts = html.split("<script")[1:]
        for script in scripts:
            opening = script.split(">", 1)[0]
            assert "src=" in opening or "application/json" in opening
    assert "data-print" in printed
    assert "合计" in printed


def test_the_menu_and_the_dashboard(data, people, login):
    client = login(people["town_admin"])
    home = client.get("/admin/").content.decode()
    assert reverse("stats_report_network") in home
    assert "城关镇小讲坛" in home
    assert "待审批讲次" in home


def test_the_dashboard_names_the_forums_silent_this_month(tree, people, login):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import SessionFactory
    from training_site.dates import day_start

    # Held this month in any case: a minute after the month began.
    start = day_start(timezone.localdate().replace(day=1)) + timedelta(minutes=1)
    SessionFactory(
        parent=tree["village"],
        start=start,
        end=start + timedelta(hours=1),
        status="held",
    )
    home = login(people["town_admin"]).get("/admin/").content.decode()
    silent = home.split("本月未报送讲坛：")[1].split("</section>")[0]
    assert silent.startswith("2 个")
    assert "城关镇小讲坛" in silent
    assert "红旗村微讲坛" in silent
    assert "东风村微讲坛" not in silent
    assert "青山镇小讲坛" not in silent


def test_lecturer_and_trainee_reports(data, superuser, login):
    from lectures.models import Lecturer, SessionPage, TraineeProfile
    from tests.factories import LecturerFactory, TraineeProfileFactory

    lecturer = LecturerFactory()
    held = SessionPage.objects.filter(status="held").order_by("pk")[:3]
    for session in held:
        session.lecturers.add(lecturer)
        session.save()  # a parental m2m is committed by save()
    profile = TraineeProfileFactory(unit_forum=data["tree"]["town"])
    client = login(superuser)
    page = client.get("/admin/reports/lecturers/", PERIOD)
    rows = {row.pk: row for row in page.context["object_list"]}
    assert rows[lecturer.pk].sessions_given == 3
    book = client.get("/admin/reports/lecturers/", dict(PERIOD, export="xlsx"))
    sheet = sheet_rows(
        book.content, load_workbook(io.BytesIO(book.content)).sheetnames[0]
    )
    assert sheet[-1][0] == "合计"
    assert sheet[-1][3] == 3
    trainees = client.get("/admin/reports/trainees/", {"year": "2025", "short": "on"})
    assert profile.pk in {row.pk for row in trainees.context["object_list"]}
    assert Lecturer.objects.count()
    assert TraineeProfile.objects.count()


def test_lecture_stats_formats(data, tmp_path):
    out = io.StringIO()
    call_command(
        "lecture_stats", "--from", "2025-01-01", "--to", "2026-12-31", stdout=out
    )
    text = out.getvalue()
    expected = json_stats(**{"from": "2025-01-01", "to": "2026-12-31"})
    assert f"{expected['participants']:,}" in text.splitlines()[0]
    assert "按月" in text
    assert "合计" in text
    target = tmp_path / "stats.xlsx"
    call_command(
        "lecture_stats",
        "--from",
        "2025-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    rows = sheet_rows(target.read_bytes(), "按层级")
    assert rows[-1][4] == expected["participants"]
    assert set(expected["breakdowns"]) == {
        "month",
        "level",
        "forum",
        "field",
        "category",
    }
    assert expected["period"] == {"from": "2025-01-01", "to": "2026-12-31"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "yesterday"], "--from"),
        (["--to", "2026-02-30"], "--to"),
        (["--from", "2026-02-01", "--to", "2026-01-01"], "--from"),
        (["--forum", "atlantis"], "atlantis"),
        (["--field", "nope"], "nope"),
        (["--level", "galaxy"], "district"),
        (["--format", "pdf"], "xlsx"),
        (["--format", "xlsx"], "--output"),
        (["--format", "json", "--output", "/nonexistent/dir/x.json"], "/nonexistent"),
    ],
)
def test_lecture_stats_bad_input_is_a_clear_error(db, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("lecture_stats", *args, stdout=io.StringIO())
    assert message in str(error.value)


def test_default_admin_period_is_this_year(tree, superuser, login):
    page = login(superuser).get(NETWORK)
    assert (
        page.context["stats"].period["from"]
        == date.today().replace(month=1, day=1).isoformat()
    )


def test_a_download_is_named_for_what_where_and_when(data, people, login):
    client = login(people["town_admin"])
    book = client.get(NETWORK, dict(PERIOD, export="xlsx"))
    name = quote("讲坛网络统计_城关镇_2025-01-01_2026-12-31.xlsx")
    assert book["Content-Disposition"] == f"attachment; filename*=utf-8''{name}"
    table = client.get(NETWORK, dict(PERIOD, export="csv", table="forum"))
    assert (
        quote("讲坛网络统计_城关镇_2025-01-01_2026-12-31_forum.csv")
        in (table["Content-Disposition"])
    )


def test_the_forum_table_is_shown_a_page_at_a_time(data, superuser, login, monkeypatch):
    """The page lists the table by forum a page at a time, in its order; the
    spreadsheet still has every row."""
    from stats.views import network

    monkeypatch.setattr(network, "FORUM_ROWS_PER_PAGE", 2)
    client = login(superuser)
    xlsx = client.get(NETWORK, dict(PERIOD, export="xlsx", table="forum"))
    book = load_workbook(io.BytesIO(xlsx.content))
    labels = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    # Between the two header rows and 合计.
    body = labels[labels.index("讲坛") + 2 : -1]
    assert len(body) > 2
    shown = []
    for number in range(1, len(body) // 2 + 2):
        response = client.get(NETWORK, dict(PERIOD, forum_rows=number))
        assert response.status_code == 200
        table = next(t for t in response.context["tables"] if t.name == "forum")
        shown += [row.label for row, _values in table.lines()]
        assert "forum_rows=" in response.content.decode()
    assert shown == body
