from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from lectures.services.evaluations import window_days
from lectures.services.reminders import send_reminders, tell_evaluations_waiting


class Command(BaseCommand):
    help = _(
        "Remind everyone registered for tomorrow's sessions and ask yesterday's "
        "attendees for their evaluation (run daily from cron); nobody is told twice."
    )

    def handle(self, *args, **options):
        tomorrow = timezone.localdate() + timedelta(days=1)
        sent = send_reminders(tomorrow)
        self.stdout.write(_("Sent %(n)d reminders.") % {"n": sent})
        asked = tell_evaluations_waiting(days=window_days())
        self.stdout.write(_("Asked %(n)d attendees for an evaluation.") % {"n": asked})
