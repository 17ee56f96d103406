"""The monthly warnings: each cadre behind his pro-rata quota is told once a
month, and each unit's administrators get the list of their own unit's
cadres who are behind — nobody else's.

On the hand-built tree of `test_coverage` judged at 2025-06-30, when a
乡科级正职 is due 10 × 181/365 = 5.0 hours, a 一般干部 2.0 and a cadre
without a rank 50 × 181/365 = 24.8: 乙 (3 h) and 丙 (0) of the town and 戊
(0) of 东风村 are behind; 甲 (12), 丁 (4) and 己 (20, 青山镇) are not.
"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, get_commands

from stats.warnings import send_warnings
from tests.factories import TraineeProfileFactory
from tests.stats.test_coverage import world  # noqa: F401 - the fixture
from training_site.notify.models import Notice

pytestmark = pytest.mark.django_db

JUNE = date(2025, 6, 30)


def told(kind: str) -> dict:
    """{recipient id: [notice, …]} of one kind."""
    found: dict = {}
    for notice in Notice.objects.filter(kind=kind).order_by("pk"):
        found.setdefault(notice.recipient_id, []).append(notice)
    return found


def test_each_cadre_behind_is_told_once_a_month(world):  # noqa: F811
    people = world["people"]
    sent = send_warnings(today=JUNE)
    cadres = told("stats.hours.behind")
    assert set(cadres) == {people[name].pk for name in ("乙", "丙", "戊")}
    assert sent.cadres == 3
    text = cadres[people["乙"].pk][0].body
    assert "3.0" in text
    assert "5.0" in text
    assert "2.0" in text
    # Again the same month: nobody twice.
    again = send_warnings(today=date(2025, 6, 30))
    assert (again.cadres, again.administrators) == (0, 0)
    assert Notice.objects.filter(kind="stats.hours.behind").count() == 3
    # The next month, those still behind are told again.
    july = send_warnings(today=date(2025, 7, 31))
    assert july.cadres == 3


def test_each_unit_administrator_gets_his_own_units_list(world, people):  # noqa: F811
    cadres = world["people"]
    send_warnings(today=JUNE)
    lists = told("stats.hours.behind_list")
    town = lists[people["town_admin"].pk]
    assert len(town) == 1
    assert "乙" in town[0].body
    assert "丙" in town[0].body
    assert "戊" not in town[0].body  # the village's are its administrators'
    assert "/admin/reports/coverage/names/" in town[0].link
    village = lists[people["village_admin"].pk]
    assert "戊" in village[0].body
    assert "乙" not in village[0].body
    # 青山镇's administrators have nobody behind; the cadres get no list.
    assert set(lists) == {people["town_admin"].pk, people["village_admin"].pk}
    assert not set(lists) & {user.pk for user in cadres.values()}
    send_warnings(today=JUNE)
    assert Notice.objects.filter(kind="stats.hours.behind_list").count() == 2


def test_the_command_runs_and_refuses_a_bad_date(world):  # noqa: F811
    out = StringIO()
    call_command("hours_warnings", "--date", "2025-06-30", stdout=out)
    assert "3" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("hours_warnings", "--date", "2025-13-01")


def test_remind_study_hours_is_the_old_name_of_the_same_warnings(world, people):  # noqa: F811
    # Django runs the first installed app's command of a name: it is stats'.
    assert get_commands()["remind_study_hours"] == "stats"
    call_command("remind_study_hours", "--date", "2025-06-30", stdout=StringIO())
    people = world["people"]
    assert set(told("stats.hours.behind")) == {
        people[name].pk for name in ("乙", "丙", "戊")
    }
    assert len(told("stats.hours.behind_list")) == 2
    # The same notices as hours_warnings': whichever name cron runs, the
    # other tells nobody twice that month.
    again = send_warnings(today=JUNE)
    assert (again.cadres, again.administrators) == (0, 0)
    call_command("remind_study_hours", "--date", "2025-06-30", stdout=StringIO())
    assert Notice.objects.count() == 5
    assert not Notice.objects.exclude(kind__startswith="stats.hours.").exists()
    with pytest.raises(CommandError):
        call_command("remind_study_hours", "--date", "2025-13-01")


def test_remind_study_hours_tells_a_trainee_behind_once_this_month():
    behind = TraineeProfileFactory(rank=None).user
    call_command("remind_study_hours", stdout=StringIO())
    call_command("remind_study_hours", stdout=StringIO())
    assert Notice.objects.get(kind="stats.hours.behind").recipient == behind
