"""Coverage (全覆盖) on a hand-built tree: the figures by rank and by unit ×
rank, the theme filter, the names behind each count, the ledger exports,
who may see what, and fixed query counts.

The tree (tests/factories): 城关镇 (the town) with 东风村 and 红旗村 below it,
青山镇 beside it. Ranks: 乡科级正职 (10 学时 a year) and 一般干部 (4); a
cadre without a rank has the site's quota (50). The year is 2025, judged
from 2026, so the pro-rata quota is the whole quota.

| cadre | unit | rank | attended (field, hours) | stands |
|---|---|---|---|---|
| 甲 | town | 乡科级正职 | 理论 3 + 经济 9 = 12 | met |
| 乙 | town | 乡科级正职 | 理论 3 | behind |
| 丙 | town | 一般干部 | nothing | behind, nothing |
| 丁 | 东风村 | 一般干部 | 理论 4 | met |
| 戊 | 东风村 | — | nothing | behind, nothing |
| 己 | 青山镇 | 乡科级正职 | 经济 20 | met (outside the town) |
| 庚 | town | 乡科级正职 | inactive account: not a cadre here |
"""

import io
import itertools
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from lectures.models import (
    Attendance,
    CheckInMethod,
    Rank,
    SessionStatus,
    TraineeProfile,
)
from stats.coverage import CadreLines, CoverageQuery, cadre_lines, coverage
from tests.factories import FieldFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

MOBILES = (f"1390000{n:04d}" for n in itertools.count())
REPORT = "/admin/reports/coverage/"
NAMES = "/admin/reports/coverage/names/"
YEAR = {"year": "2025"}


def at(month: int, day: int):
    return timezone.make_aware(datetime(2025, month, day, 9, 0))


@pytest.fixture
def world(tree):
    ranks = {
        "head": Rank.objects.get_or_create(
            name="乡科级正职", defaults={"yearly_hours": Decimal(10)}
        )[0],
        "staff": Rank.objects.get_or_create(
            name="一般干部", defaults={"yearly_hours": Decimal(4)}
        )[0],
    }
    Rank.objects.filter(pk=ranks["head"].pk).update(yearly_hours=Decimal(10))
    Rank.objects.filter(pk=ranks["staff"].pk).update(yearly_hours=Decimal(4))
    theory = FieldFactory(name="理论", slug="theory")
    economy = FieldFactory(name="经济", slug="economy")

    def session(forum, month, field, hours):
        return SessionFactory(
            parent=tree[forum],
            start=at(month, 10),
            status=SessionStatus.HELD,
            field=field,
            study_hours=Decimal(hours),
        )

    sessions = {
        "t_theory": session("town", 3, theory, 3),
        "t_economy": session("town", 4, economy, 9),
        "v_theory": session("village", 5, theory, 4),
        "s_economy": session("sibling", 6, economy, 20),
    }

    def cadre(name, forum, rank, *attended, active=True):
        user = UserFactory(is_active=active)
        TraineeProfile.objects.create(
            user=user,
            real_name=name,
            mobile=next(MOBILES),
            unit_forum=tree[forum],
            rank=ranks[rank] if rank else None,
        )
        for key in attended:
            Attendance.objects.create(
                session=sessions[key],
                user=user,
                status="present",
                method=CheckInMethod.ROSTER,
            )
        return user

    people = {
        "甲": cadre("甲", "town", "head", "t_theory", "t_economy"),
        "乙": cadre("乙", "town", "head", "t_theory"),
        "丙": cadre("丙", "town", "staff"),
        "丁": cadre("丁", "village", "staff", "v_theory"),
        "戊": cadre("戊", "village", None),
        "己": cadre("己", "sibling", "head", "s_economy"),
        "庚": cadre("庚", "town", "head", "t_theory", active=False),
    }
    return {
        "tree": tree,
        "ranks": ranks,
        "people": people,
        "theory": theory,
        "economy": economy,
    }


def query(world, **kwargs) -> CoverageQuery:
    kwargs.setdefault("forum", world["tree"]["town"])
    return CoverageQuery(year=2025, on=date(2026, 1, 15), **kwargs)


def figures(row) -> tuple:
    return (row.cadres, row.met, row.nothing)


def test_the_town_by_rank_and_by_unit(world):
    report = coverage(query(world))
    assert figures(report.totals) == (5, 2, 2)
    assert report.totals.rate == 40.0
    assert report.totals.coverage == 60.0
    assert {row.rank: figures(row) for row in report.by_rank} == {
        "乡科级正职": (2, 1, 0),
        "一般干部": (2, 1, 1),
        "未定职级": (1, 0, 1),
    }
    by_unit = {(row.slug, row.rank): figures(row) for row in report.by_unit}
    assert by_unit == {
        ("", "乡科级正职"): (2, 1, 0),
        ("", "一般干部"): (1, 0, 1),
        ("dongfeng", "一般干部"): (1, 1, 0),
        ("dongfeng", "未定职级"): (1, 0, 1),
    }
    assert report.unranked == 1  # 戊: shown, and the page says how to fix it
    # Each table adds up to the totals.
    for rows in (report.by_rank, report.by_unit):
        assert tuple(map(sum, zip(*(figures(r) for r in rows), strict=True))) == (
            figures(report.totals)
        )


@pytest.mark.parametrize("status", [None, "behind", "nothing", "met"])
def test_a_page_of_names_is_the_same_slice_of_the_whole_list(world, status):
    """The names page counts its group and reads only the page's lines:
    the same cadres, in the same order, as the whole list's slice."""
    whole = [line for line in cadre_lines(query(world)) if line.is_(status)]
    lazy = CadreLines(query(world), status=status)
    assert len(lazy) == len(whole)
    ids = [line.user_id for line in whole]
    assert [line.user_id for line in lazy[1:3]] == ids[1:3]
    assert [line.user_id for line in lazy] == ids
    if whole:
        assert lazy[0].user_id == ids[0]


def test_the_pro_rata_quota_moves_with_the_day(world):
    # By the end of February a 乡科级正职 is due 10 × 59/365 = 1.6 hours.
    early = CoverageQuery(year=2025, forum=world["tree"]["town"], on=date(2025, 2, 28))
    lines = {line.name: line for line in cadre_lines(early)}
    assert lines["乙"].expected == Decimal("1.6")
    assert lines["乙"].met  # 3 hours by then count (the ledger counts the year)
    assert not lines["丙"].met


def test_a_theme_asks_who_has_not_attended_a_session_on_it(world):
    head = world["ranks"]["head"]
    report = coverage(query(world, field=world["economy"]))
    # Met is still the quota's; "nothing" is now "no session on the theme".
    assert figures(report.totals) == (5, 2, 4)
    lines = cadre_lines(query(world, field=world["economy"], ranks=(head,)))
    assert [line.name for line in lines if line.is_("nothing")] == ["乙"]
    theory = coverage(query(world, field=world["theory"]))
    assert figures(theory.totals) == (5, 2, 2)


def test_the_district_and_a_village(world):
    district = coverage(query(world, forum=world["tree"]["district"]))
    assert figures(district.totals) == (6, 3, 2)
    village = coverage(query(world, forum=world["tree"]["village"]))
    assert figures(village.totals) == (2, 1, 1)


# The pages -------------------------------------------------------------------


def test_the_town_administrator_sees_his_town(world, client, people):
    client.force_login(people["town_admin"])
    page = client.get(REPORT, YEAR)
    assert page.status_code == 200
    html = page.content.decode()
    assert "乡科级正职" in html
    assert "40.0" in html
    # 戊 has no rank: the page says so and how to give him one.
    assert "1 名干部尚未定职级" in html
    # A count leads to its names: the 乡科级正职 behind.
    head = world["ranks"]["head"]
    names = client.get(NAMES, {**YEAR, "rank": head.pk, "status": "behind"})
    listed = [line.name for line in names.context["object_list"]]
    assert listed == ["乙"]
    assert "己" not in names.content.decode()  # 青山镇's is not his


def test_the_names_export_in_the_ledger_layout(world, client, people):
    client.force_login(people["town_admin"])
    head = world["ranks"]["head"]
    response = client.get(
        NAMES, {**YEAR, "rank": head.pk, "status": "behind", "export": "xlsx"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert "城关镇小讲坛" in rows[0][0]  # the title names the unit
    body = rows[4:-1]
    assert [row[0] for row in body] == ["乙"]
    assert body[0][4] == 3
    assert body[0][7] == 7
    assert rows[-1][0] == "合计"


def test_the_whole_report_as_one_workbook(world, client, people):
    client.force_login(people["town_admin"])
    response = client.get(REPORT, {**YEAR, "export": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按职级", "按单位和职级"]
    rows = [list(row) for row in book["按职级"].iter_rows(values_only=True)]
    assert rows[-1][:4] == ["合计", 5, 2, 3]


def test_nobody_sees_outside_his_subtree(world, client, people):
    client.force_login(people["town_admin"])
    for url in (REPORT, NAMES):
        refused = client.get(url, {**YEAR, "forum": "qingshan"})
        assert refused.status_code == 403, url
        assert "己" not in refused.content.decode()
        export = client.get(url, {**YEAR, "forum": "qingshan", "export": "csv"})
        assert export.status_code == 403
    client.force_login(people["village_admin"])
    names = client.get(NAMES, YEAR)
    assert sorted(line.name for line in names.context["object_list"]) == ["丁", "戊"]
    assert client.get(REPORT, {**YEAR, "forum": "chengguan"}).status_code == 403
    for who in ("trainee", "lecturer"):
        client.force_login(people[who])
        assert client.get(NAMES, YEAR).status_code in (302, 403)


def test_bad_filters_are_a_clear_400(world, client, people):
    client.force_login(people["town_admin"])
    for params in ({"year": "abc"}, {"rank": "999999"}, {"status": "sleeping"}):
        response = client.get(NAMES, params)
        assert response.status_code == 400, params


#: Queries of each page, whatever the number of cadres and units (the
#: session, the user and his groups, the header's unread count, the scope,
#: the filters' choices, the cadres, their ledgers, the ranks, the units).
# The names: the count of the group, then only the page's lines.
QUERIES = {REPORT: 26, NAMES: 26}


@pytest.mark.parametrize("url", [REPORT, NAMES])
def test_query_counts_do_not_grow_with_cadres_or_units(
    world, client, people, url, django_assert_num_queries
):
    """A few cadres in two units, or many more in more: the same queries."""
    client.force_login(people["town_admin"])
    client.get(url, YEAR)
    with CaptureQueriesContext(connection) as few:
        client.get(url, YEAR)
    assert len(few) == QUERIES[url]
    tree = world["tree"]
    for n in range(12):
        user = UserFactory()
        TraineeProfile.objects.create(
            user=user,
            real_name=f"新{n}",
            mobile=next(MOBILES),
            unit_forum=tree["village2" if n % 2 else "village"],
            rank=world["ranks"]["staff" if n % 3 else "head"],
        )
    with django_assert_num_queries(len(few)):
        client.get(url, YEAR)


def test_the_dashboard_shows_the_viewers_coverage(world, client, people):
    from django.core.cache import cache

    cache.clear()  # the panel keeps its figure for ten minutes
    client.force_login(people["town_admin"])
    html = client.get("/admin/", YEAR).content.decode()
    # This year (2026) nobody of the town has attended anything yet.
    assert "干部 5 名，学时达到进度要求 0 名" in html
