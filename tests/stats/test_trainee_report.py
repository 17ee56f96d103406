"""The trainees' study-hours report (学时台账) counts as the record does:
sessions, lessons and approved training elsewhere, capped per source,
against each trainee's rank's quota (the site's default quota only for a
trainee without a rank) — on the page and in its spreadsheet."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from wagtail.models import Site

from lectures.models import ParticipationSettings, Rank
from records.models import ExternalStatus, LedgerSettings, Source
from tests.factories import ClassFactory, TraineeProfileFactory, UserFactory
from tests.records.helpers import LAST_YEAR, elsewhere, session_on

pytestmark = pytest.mark.django_db

URL = "/admin/reports/trainees/"


@pytest.fixture
def world(tree):
    site = Site.objects.get(is_default_site=True)
    caps = LedgerSettings.for_site(site)
    caps.cap_online = Decimal("5")
    caps.save()
    default = ParticipationSettings.for_site(site)
    default.yearly_hours_quota = Decimal("40")
    default.save()
    head, _ = Rank.objects.get_or_create(name="乡科级正职")
    Rank.objects.filter(pk=head.pk).update(yearly_hours=Decimal("10"))
    town = tree["town"]
    # 甲: 3 h at a session, 2 h at a lesson, 20 h online of which 5 count,
    # 50 h still pending: 10.0 of his rank's 10, not short.
    jia = TraineeProfileFactory(real_name="甲", unit_forum=town, rank=head)
    session_on(town, date(LAST_YEAR, 3, 1), "3", jia.user)
    lesson_day = date(LAST_YEAR, 4, 1)
    session_on(ClassFactory(parent=town), lesson_day, "2", jia.user)
    elsewhere(jia.user, Source.ONLINE, "20")
    elsewhere(jia.user, Source.PARTY_SCHOOL, "50", status=ExternalStatus.PENDING)
    # 乙: the same rank, 4 h at 党校: short by 6.
    yi = TraineeProfileFactory(real_name="乙", unit_forum=town, rank=head)
    elsewhere(yi.user, Source.PARTY_SCHOOL, "4")
    # 丙: no rank, 12 h at 党校 against the default 40: short by 28.
    bing = TraineeProfileFactory(real_name="丙", unit_forum=town, rank=None)
    elsewhere(bing.user, Source.PARTY_SCHOOL, "12")
    return {"甲": jia, "乙": yi, "丙": bing}


@pytest.fixture
def client(login, db):
    return login(UserFactory(username="su", is_superuser=True, is_staff=True))


def test_each_trainee_is_counted_by_the_ledger_against_his_ranks_quota(world, client):
    page = client.get(URL, {"year": LAST_YEAR})
    assert page.status_code == 200
    rows = {row.real_name: row for row in page.context["object_list"]}
    figures = {
        name: (row.rank_name, row.hours, row.quota, row.short_by)
        for name, row in rows.items()
    }
    assert figures == {
        "甲": ("乡科级正职", Decimal("10.0"), Decimal("10"), Decimal("0")),
        "乙": ("乡科级正职", Decimal("4.0"), Decimal("10"), Decimal("6.0")),
        "丙": ("", Decimal("12.0"), Decimal("40"), Decimal("28.0")),
    }
    # Fewest hours first; the rank is shown.
    assert [row.real_name for row in page.context["object_list"]] == ["乙", "甲", "丙"]
    assert page.context["totals"] == {"trainees": 3, "short": 2}
    assert "乡科级正职" in page.content.decode()
    short = client.get(URL, {"year": LAST_YEAR, "short": "on"})
    assert {row.real_name for row in short.context["object_list"]} == {"乙", "丙"}
    assert short.context["totals"] == {"trainees": 2, "short": 2}


def test_an_inactive_account_is_not_listed_as_in_coverage(world, client):
    """A cadre who has left (account deactivated) is asked for no hours, on
    the page and in the coverage report alike; the page says so."""
    world["乙"].user.is_active = False
    world["乙"].user.save()
    page = client.get(URL, {"year": LAST_YEAR})
    names = {row.real_name for row in page.context["object_list"]}
    assert names == {"甲", "丙"}
    assert page.context["totals"] == {"trainees": 2, "short": 1}
    assert "停用" in page.content.decode()
    coverage = client.get("/admin/reports/coverage/", {"year": LAST_YEAR})
    assert coverage.context["totals"].cadres == 2


def test_the_spreadsheet_has_the_same_figures_and_the_rank(world, client):
    book = client.get(URL, {"year": LAST_YEAR, "export": "xlsx"})
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if "职级" in row)
    by_name = {row[0]: row for row in rows[rows.index(header) + 1 : -1]}
    column = {name: header.index(name) for name in ("职级", "学时")}
    assert by_name["甲"][column["职级"]] == "乡科级正职"
    assert Decimal(str(by_name["甲"][column["学时"]])) == Decimal("10")
    assert Decimal(str(by_name["丙"][column["学时"]])) == Decimal("12")
    assert not by_name["丙"][column["职级"]]
    assert rows[-1][0] == "合计"


def test_the_default_quota_is_labelled_the_fallback_and_rank_is_a_cadres():
    from django.utils import translation

    from lectures.views.evaluation_reports import RANKING_COLUMNS

    field = ParticipationSettings._meta.get_field("yearly_hours_quota")
    with translation.override("zh-hans"):
        assert str(field.verbose_name) == "无职级干部的年度学时要求"
        assert "仅用于未设职级的干部" in str(field.help_text)
        # A cadre's rank is his 职级; a lecturer's place in the ranking, 名次.
        assert translation.gettext("Rank") == "职级"
        assert "名次" in [str(column.header) for column in RANKING_COLUMNS]
