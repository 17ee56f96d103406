"""`hours_warnings`: the monthly study-hours warnings (see `stats.warnings`)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stats.warnings import send_warnings


class Command(BaseCommand):
    help = _(
        "Tell each cadre behind his pro-rata study-hours quota, and each unit's "
        "administrators which of its cadres are; once a month (run it monthly "
        "from cron; running it again that month tells nobody twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help=_("Judge as of this day (YYYY-MM-DD); today if not given")
        )

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                today = None
            if today is None or not 1900 <= today.year <= 2100:
                raise CommandError(
                    _("--date “%(value)s” is not a date; use YYYY-MM-DD.")
                    % {"value": options["date"]}
                )
        sent = send_warnings(today=today)
        self.stdout.write(
            _(
                "Told %(cadres)d cadres and %(admins)d administrators of "
                "%(units)d units."
            )
            % {
                "cadres": sent.cadres,
                "admins": sent.administrators,
                "units": sent.units,
            }
        )
