"""Days as the site counts them: from midnight in its time zone (Asia/Shanghai).

A day range is `[day_start(first), day_after(last))`, so a session at 23:30
on the last day is in it and one at 00:00 the next day is not.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def day_start(day: date) -> datetime:
    """Midnight in the site's time zone at the start of `day`."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_after(day: date) -> datetime:
    """Midnight at the end of `day`: the exclusive upper bound of a range."""
    return day_start(day + timedelta(days=1))
