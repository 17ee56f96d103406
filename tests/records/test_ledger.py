"""The study-hours ledger: sources, caps, quotas by rank, the pro-rata quota,
and many trainees in the queries of one."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lectures.models import AttendanceStatus, Rank
from records.models import ExternalStatus, Source
from records.services.ledger import LedgerRules, ledger, ledgers, pro_rata
from tests.factories import ClassFactory, TraineeProfileFactory, attended
from tests.records.helpers import LAST_YEAR, elsewhere, session_on

pytestmark = pytest.mark.django_db

NO_CAPS = LedgerRules(caps=dict.fromkeys(Source), default_quota=Decimal("50"))


def rank(name: str) -> Rank:
    return Rank.objects.get(name=name)


def test_the_default_ranks_carry_the_regulations_quotas():
    assert [(r.name, r.yearly_hours) for r in Rank.objects.all()] == [
        ("县处级", Decimal("110")),
        ("乡科级正职", Decimal("90")),
        ("乡科级副职", Decimal("90")),
        ("一般干部", Decimal("90")),
        ("村（社区）干部", Decimal("90")),
    ]


def test_the_quota_is_his_ranks_or_the_sites_default_without_one():
    county = TraineeProfileFactory(rank=rank("县处级")).user
    deputy = TraineeProfileFactory(rank=rank("乡科级副职")).user
    unranked = TraineeProfileFactory().user
    found = ledgers([county, deputy, unranked], LAST_YEAR, rules=NO_CAPS)
    assert found[county.pk].quota == Decimal("110")
    assert found[county.pk].rank_name == "县处级"
    assert found[deputy.pk].quota == Decimal("90")
    assert found[unranked.pk].quota == Decimal("50")
    assert found[unranked.pk].rank_name == ""
    # The district edits a rank's quota: it holds from then on.
    Rank.objects.filter(name="乡科级副职").update(yearly_hours=Decimal("60"))
    assert ledger(deputy, LAST_YEAR, rules=NO_CAPS).quota == Decimal("60")


def test_hours_come_by_source_from_the_year_only(tree):
    user = TraineeProfileFactory(rank=rank("一般干部")).user
    session_on(tree["town"], date(LAST_YEAR, 3, 1), "2", user)
    session_on(tree["town"], date(LAST_YEAR, 12, 31), "1.5", user)
    session_on(ClassFactory(parent=tree["town"]), date(LAST_YEAR, 4, 1), "3", user)
    session_on(tree["town"], date(LAST_YEAR - 1, 12, 31), "9", user)  # year before
    session_on(tree["town"], date(LAST_YEAR + 1, 1, 1), "9", user)  # year after
    missed = session_on(tree["town"], date(LAST_YEAR, 5, 1), "9")
    attended(missed, user, status=AttendanceStatus.ABSENT)
    elsewhere(user, Source.PARTY_SCHOOL, "24")
    elsewhere(user, Source.ONLINE, "10")
    elsewhere(user, Source.ONLINE, "5", ended=date(LAST_YEAR, 1, 1))
    elsewhere(user, Source.ASSIGNED, "40", status=ExternalStatus.PENDING)
    elsewhere(user, Source.OTHER, "40", status=ExternalStatus.REFUSED)
    elsewhere(user, Source.OTHER, "40", ended=date(LAST_YEAR + 1, 1, 1))

    year = ledger(user, LAST_YEAR, rules=NO_CAPS)
    assert year.earned == {
        Source.SESSIONS: Decimal("3.5"),
        Source.LESSONS: Decimal("3"),
        Source.ASSIGNED: Decimal("0"),
        Source.PARTY_SCHOOL: Decimal("24"),
        Source.ONLINE: Decimal("15"),
        Source.OTHER: Decimal("0"),
    }
    assert year.counted == year.earned
    assert year.total == Decimal("45.5")
    assert year.remaining == Decimal("44.5")
    assert not year.met()


def test_a_cap_counts_at_most_so_much_of_a_source(tree):
    user = TraineeProfileFactory(rank=rank("一般干部")).user
    elsewhere(user, Source.ONLINE, "50")
    elsewhere(user, Source.PARTY_SCHOOL, "30")
    session_on(tree["town"], date(LAST_YEAR, 3, 1), "2", user)
    rules = LedgerRules(
        caps={
            **NO_CAPS.caps,
            Source.ONLINE: Decimal("30"),
            Source.SESSIONS: Decimal("5"),
        },
        default_quota=Decimal("50"),
    )
    year = ledger(user, LAST_YEAR, rules=rules)
    assert year.earned[Source.ONLINE] == Decimal("50")
    assert year.counted[Source.ONLINE] == Decimal("30")
    assert year.counted[Source.SESSIONS] == Decimal("2")  # under its cap
    assert year.earned_total == Decimal("82")
    assert year.total == Decimal("62")
    online = next(row for row in year.by_source() if row.source == Source.ONLINE)
    assert online.capped
    assert online.cap == Decimal("30")


def test_the_caps_are_the_sites_settings(rf, tree):
    from wagtail.models import Site

    from records.models import LedgerSettings

    settings = LedgerSettings.for_site(Site.objects.get(is_default_site=True))
    settings.cap_online = Decimal("12")
    settings.save()
    user = TraineeProfileFactory().user
    elsewhere(user, Source.ONLINE, "20")
    assert ledger(user, LAST_YEAR).total == Decimal("12")


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 1, 1), Decimal("0.2")),  # 90 × 1/365
        (date(2025, 7, 2), Decimal("45.1")),  # 90 × 183/365
        (date(2025, 12, 31), Decimal("90")),
        (date(2024, 12, 31), Decimal("0")),
        (date(2026, 1, 1), Decimal("90")),
    ],
)
def test_the_pro_rata_quota_grows_with_the_days_of_the_year(on, expected):
    assert pro_rata(Decimal("90"), 2025, on) == expected


def test_behind_and_met_judge_against_the_pro_rata_quota(tree):
    user = TraineeProfileFactory(rank=rank("一般干部")).user
    elsewhere(user, Source.PARTY_SCHOOL, "45")
    year = ledger(user, LAST_YEAR, rules=NO_CAPS)
    spring, autumn = date(LAST_YEAR, 3, 31), date(LAST_YEAR, 10, 1)
    assert year.met(spring)
    assert not year.behind(spring)
    assert year.short(spring) == 0
    assert year.behind(autumn)
    assert not year.met(autumn)
    assert year.short(autumn) == year.expected(autumn) - Decimal("45")
    assert not year.met()


def _many(tree, count: int):
    users = []
    class_page = ClassFactory(parent=tree["town"])
    for n in range(count):
        user = TraineeProfileFactory(rank=rank("一般干部")).user
        session_on(tree["town"], date(LAST_YEAR, 3, 1 + n), "2", user)
        session_on(class_page, date(LAST_YEAR, 4, 1 + n), "3", user)
        elsewhere(user, Source.ONLINE, "4")
        users.append(user)
    return users


@pytest.mark.parametrize("count", [1, 6])
def test_many_trainees_cost_the_queries_of_one(tree, count):
    users = _many(tree, count)
    with CaptureQueriesContext(connection) as listed:
        found = ledgers(users, LAST_YEAR, rules=NO_CAPS)
    from django.contrib.auth import get_user_model

    queryset = get_user_model().objects.filter(pk__in=[u.pk for u in users])
    with CaptureQueriesContext(connection) as queried:
        by_queryset = ledgers(queryset, LAST_YEAR, rules=NO_CAPS)
    assert len(listed) == len(queried) == 1
    assert found == by_queryset
    assert {year.total for year in found.values()} == {Decimal("9")}


def test_a_user_without_hours_or_profile_has_an_empty_year(tree):
    from tests.factories import UserFactory

    user = UserFactory()
    year = ledger(user, LAST_YEAR, rules=NO_CAPS)
    assert year.total == 0
    assert year.quota == Decimal("50")
    assert year.rank_id is None
