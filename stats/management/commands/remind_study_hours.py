"""`remind_study_hours`: the old name of `hours_warnings`, kept for the cron
tables that call it. It runs exactly the same warnings (`stats.warnings`)."""

from django.utils.translation import gettext_lazy as _

from stats.management.commands.hours_warnings import Command as HoursWarnings


class Command(HoursWarnings):
    help = _(
        "The old name of hours_warnings; runs exactly the same monthly "
        "study-hours warnings."
    )
