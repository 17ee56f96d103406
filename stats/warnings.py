"""The monthly warnings (`manage.py hours_warnings`): each cadre behind his
pro-rata quota is told, and each unit's administrators get the list of the
unit's cadres who are behind — once a month, however often the job runs.

"Behind" is the coverage report's: the study hours that count (the ledger)
below the share of his rank's yearly quota the day calls for. A unit is the
forum a cadre's profile names; its administrators are that forum's
administrators' group (a town's get the town's own cadres; each village's
administrators get the village's).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lectures.models import ForumPage
from records.services.ledger import LedgerRules
from stats.coverage import CadreLine, CoverageQuery, cadre_lines
from training_site.notify.service import notify

logger = logging.getLogger(__name__)

#: Names a unit's list shows in the notice; the report has them all.
NAMES_LISTED = 50


@dataclass
class WarningsSent:
    cadres: int = 0
    administrators: int = 0
    units: int = 0


def _cadre_context(line: CadreLine, day: date) -> dict:
    return {
        "day": day.isoformat(),
        "hours": line.hours,
        "quota": line.quota,
        "expected": line.expected,
        "short": line.short_by,
    }


def _names(lines: list[CadreLine]) -> str:
    shown = "、".join(
        f"{line.name}（{line.hours}/{line.expected}）" for line in lines[:NAMES_LISTED]
    )
    rest = len(lines) - NAMES_LISTED
    if rest > 0:
        shown += _(" and %(n)s more") % {"n": rest}
    return shown


def send_warnings(
    *, today: date | None = None, rules: LedgerRules | None = None
) -> WarningsSent:
    """Tell this month's cadres who are behind, and their units'
    administrators; those told already this month are not told again."""
    today = today or timezone.localdate()
    month = f"{today:%Y-%m}"
    query = CoverageQuery(year=today.year, on=today)
    behind = [line for line in cadre_lines(query, rules=rules) if not line.met]
    sent = WarningsSent()
    # One notice a distinct text: cadres with the same figures share a call.
    same_text = defaultdict(list)
    for line in behind:
        key = tuple(sorted(_cadre_context(line, today).items()))
        same_text[key].append(line.user_id)
    by_unit = defaultdict(list)
    for line in behind:
        if line.unit_path:
            by_unit[line.unit_path].append(line)
    forums = {
        forum.path: forum
        for forum in ForumPage.objects.filter(path__in=list(by_unit)).only(
            "pk", "path", "slug", "title", "unit_name", "admin_group_id"
        )
    }
    names_url = reverse("stats_report_coverage_names")
    users = get_user_model().objects
    with transaction.atomic():
        for key, user_ids in same_text.items():
            sent.cadres += notify(
                user_ids,
                "stats.hours.behind",
                dict(key),
                link="/me/",
                once_key=f"hours-behind:{month}",
            )
        for path, lines in by_unit.items():
            forum = forums.get(path)
            if forum is None or forum.admin_group_id is None:
                continue
            told = notify(
                users.filter(groups=forum.admin_group_id).values("pk"),
                "stats.hours.behind_list",
                {
                    "day": today.isoformat(),
                    "unit": forum.unit_name or forum.title,
                    "count": len(lines),
                    "names": _names(lines),
                },
                link=f"{names_url}?forum={forum.slug}&status=behind&year={today.year}",
                once_key=f"hours-behind-list:{forum.pk}:{month}",
            )
            sent.administrators += told
            sent.units += bool(told)
    logger.info(
        "hours warnings %s: %d cadres, %d administrators of %d units",
        month,
        sent.cadres,
        sent.administrators,
        sent.units,
    )
    return sent
