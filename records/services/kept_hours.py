"""The yearly hours the database keeps (`records.models.YearHours`), and a
recount of them from the rows."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear, TruncDate

from lectures.models import Attendance, SessionKind
from records.models import ExternalTraining, Source, YearHours

#: The kept columns, named as the sources, then the sessions attended.
COLUMNS = (*(source.value for source in Source), "attended")

Kept = dict[tuple[int, int], tuple[int, ...]]


def _tenths(hours) -> int:
    return int((Decimal(hours or 0) * 10).to_integral_value())


def recount_year_hours() -> Kept:
    """{(user id, year): (tenths by source…, attended)} from the rows; only
    the years with something in them."""
    found: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    index = {column: place for place, column in enumerate(COLUMNS)}
    platform = (
        Attendance.objects.attended()
        .annotate(year=ExtractYear(TruncDate("session__start")))
        .order_by()
        .values_list("user_id", "year", "session__kind")
        .annotate(hours=Sum("session__study_hours"), n=Count("pk"))
    )
    for user_id, year, kind, hours, n in platform:
        row = found[user_id, year]
        source = Source.LESSONS if kind == SessionKind.LESSON else Source.SESSIONS
        row[index[source]] += _tenths(hours)
        row[index["attended"]] += n
    elsewhere = (
        ExternalTraining.objects.approved()
        .annotate(year=ExtractYear("end_date"))
        .order_by()
        .values_list("user_id", "year", "kind")
        .annotate(hours=Sum("hours"))
    )
    for user_id, year, kind, hours in elsewhere:
        found[user_id, year][index[kind]] += _tenths(hours)
    return {key: tuple(row) for key, row in found.items()}


def year_hours_drift() -> dict[tuple[int, int], tuple[tuple, tuple]]:
    """Wherever the kept yearly hours are wrong:
    {(user id, year): (kept, counted)}; a kept row of zeros is no drift."""
    zero = (0,) * len(COLUMNS)
    kept = {
        (user_id, year): tuple(values)
        for user_id, year, *values in YearHours.objects.values_list(
            "user_id", "year", *COLUMNS
        )
    }
    counted = recount_year_hours()
    return {
        key: (kept.get(key, zero), counted.get(key, zero))
        for key in kept.keys() | counted.keys()
        if kept.get(key, zero) != counted.get(key, zero)
    }
