"""Each cadre's hours for a year by source, kept by the database.

The ledger (`records.services.ledger`) reads these rows instead of summing
a year's attendance (a million rows at 100× the seed) for every question,
and the coverage report folds a whole district's cadres from them in one
grouped query.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class YearHours(models.Model):
    """One cadre's hours earned in one year, by source, in tenths of an hour
    (whole numbers: exact on every database, and study hours are kept to a
    tenth), and how many sessions and lessons he attended that year.

    Kept by triggers (migration `records/0003_kept_year_hours`), whatever
    writes the rows, in the same transaction:
    - attendance present or late, added, changed or deleted: its session's
      study hours under `sessions` or `lessons` (by the session's kind), in
      the year the session starts (Asia/Shanghai);
    - a session's start, study hours or kind changed: moved for everyone
      who attended it;
    - training elsewhere approved, changed or no longer approved: its
      approved hours under its kind, in the year it ended.
    `records.services.kept_hours.year_hours_drift` compares them with a
    recount from the rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="year_hours",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The columns are named as the `Source` values.
    sessions = models.IntegerField(default=0)
    lessons = models.IntegerField(default=0)
    assigned = models.IntegerField(default=0)
    party_school = models.IntegerField(default=0)
    online = models.IntegerField(default=0)
    other = models.IntegerField(default=0)
    attended = models.IntegerField(_("sessions attended"), default=0)

    class Meta:
        verbose_name = _("kept yearly hours")
        verbose_name_plural = _("kept yearly hours")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "year"], name="one_year_hours_per_user_and_year"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.year}"
