"""Demo data for coverage (全覆盖): training elsewhere for part of the cadres.

The demo's cadres attend a few of the network's sessions each, far below a
yearly quota of 90 学时, so without more every one of them would be behind
and the coverage report would say nothing. Here a little over half of each
rank's cadres (every cadre but `demo_trainee`, whose hours the record's own
demo path raises) get approved training elsewhere this year — a party-school
course and online hours — enough to be on track at the day the demo is
built; the others stay behind. Chosen by position in each rank, not by the
demo's random stream, so the rest of the demo is unchanged.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from lectures.models import TraineeProfile
from records.models import ExternalTraining
from records.models.external import ExternalKind, ExternalStatus
from records.services.ledger import LedgerRules, ledgers

#: Of every this many cadres of a rank, the first ON_TRACK are on track.
EVERY, ON_TRACK = 20, 11
MARGIN = Decimal(4)
BATCH = 5000


def build_coverage(builder) -> None:
    today = timezone.localdate(builder.now)
    year = today.year
    end = max(today - timedelta(days=10), today.replace(month=1, day=1))
    profiles = (
        TraineeProfile.objects.exclude(user__username="demo_trainee")
        .order_by("rank_id", "user_id")
        .values_list("user_id", "rank_id")
    )
    by_rank = defaultdict(list)
    for user_id, rank_id in profiles:
        by_rank[rank_id].append(user_id)
    chosen = [
        user_id
        for users in by_rank.values()
        for index, user_id in enumerate(users)
        if index % EVERY < ON_TRACK
    ]
    if not chosen:
        return
    users = get_user_model().objects.filter(pk__in=chosen)
    books = ledgers(users, year, rules=LedgerRules.for_default_site())
    rows = []
    for user_id in chosen:
        book = books[user_id]
        needed = book.expected(today) - book.total + MARGIN
        if needed <= 0:
            continue
        online = min(needed // 3, Decimal(40)).quantize(Decimal("0.1"))
        for kind, title, organiser, hours in (
            (ExternalKind.PARTY_SCHOOL, "县管干部进修班", "区委党校", needed - online),
            (ExternalKind.ONLINE, "网络学院专题课程", "干部网络学院", online),
        ):
            if hours > 0:
                rows.append(
                    ExternalTraining(
                        user_id=user_id,
                        kind=kind,
                        title=title,
                        organiser=organiser,
                        start_date=end - timedelta(days=4),
                        end_date=end,
                        hours_claimed=hours,
                        hours=hours,
                        status=ExternalStatus.APPROVED,
                    )
                )
    ExternalTraining.objects.bulk_create(rows, batch_size=BATCH)


def remove_coverage() -> None:
    """The demo's trainees go with the demo: their training elsewhere first
    (it protects them)."""
    ExternalTraining.objects.filter(user__trainee__isnull=False).delete()
