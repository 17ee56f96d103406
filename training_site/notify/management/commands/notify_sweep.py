from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from training_site import invalidations
from training_site.notify.tasks import sweep


class Command(BaseCommand):
    help = _(
        "Hand every due, unclaimed delivery to the worker (lost tasks, a worker "
        "that died, the end of the quiet hours), and write the page cache's "
        "pending invalidations. Safe to run at any time."
    )

    def handle(self, **options):
        count = sweep()
        self.stdout.write(_("%(n)d deliveries handed to the worker.") % {"n": count})
        applied = invalidations.sweep()
        self.stdout.write(
            _("%(n)d pending cache invalidations applied.") % {"n": applied}
        )
