from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from wagtail.models import Site

from lectures.models import ParticipationSettings
from lectures.services.reminders import tell_hours_behind


class Command(BaseCommand):
    help = _(
        "Tell trainees whose study hours are behind the year's quota (run it "
        "monthly or weekly from cron); once a month each."
    )

    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).first()
        quota = ParticipationSettings.for_site(site).yearly_hours_quota
        told = tell_hours_behind(quota)
        self.stdout.write(_("Told %(n)d trainees.") % {"n": told})
