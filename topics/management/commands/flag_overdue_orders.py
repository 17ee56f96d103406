"""Flag orders left waiting too long: run daily from cron. Idempotent."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from topics.services.orders import flag_overdue


class Command(BaseCommand):
    help = (
        "Flag orders not dispatched or not accepted within the configured days "
        "to the level above (once per order and stage)."
    )

    def handle(self, *args, **options):
        flagged = flag_overdue()
        self.stdout.write(_("%(n)d order(s) flagged overdue.") % {"n": len(flagged)})
