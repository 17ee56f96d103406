from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from lectures.services.reminders import send_reminders


class Command(BaseCommand):
    help = _(
        "Mail everyone registered for tomorrow's sessions (run daily from cron); "
        "nobody is reminded twice."
    )

    def handle(self, *args, **options):
        tomorrow = timezone.localdate() + timedelta(days=1)
        sent = send_reminders(tomorrow)
        self.stdout.write(_("Sent %(n)d reminders.") % {"n": sent})
