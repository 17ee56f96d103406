import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from lectures.demo.builder import DemoBuilder, database_is_empty, reset_demo


class Command(BaseCommand):
    help = _(
        "Load the demo network at the seed's size (1 district, 57 town/unit and "
        "48 village forums, 520 held sessions), or N times it with --scale N."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help=_("Multiply forums and sessions by N")
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Remove an existing network and its demo accounts first"),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing (and succeed) when the database already has a network"),
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, reset, if_empty, seed, verbosity, **options):
        if scale < 1 or scale > 1000:
            raise CommandError(_("--scale must be between 1 and 1000."))
        if not database_is_empty():
            if if_empty:
                if verbosity:
                    self.stdout.write(_("The database already has data; demo skipped."))
                return
            if not reset:
                raise CommandError(
                    _(
                        "The database already holds a forum network. Run with "
                        "--reset to replace it with the demo (this deletes it)."
                    )
                )
            reset_demo()

        def progress(items, total, desc):
            return tqdm(items, total=total, desc=desc, disable=verbosity == 0)

        started = time.monotonic()
        summary = DemoBuilder(scale=scale, seed=seed, progress=progress).build()
        elapsed = time.monotonic() - started
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Demo loaded in %(seconds).1f s: %(district)d district, "
                        "%(unit)d town/unit and %(village)d village forums, "
                        "%(lecturers)d lecturers, %(held)d held sessions "
                        "(%(people)d person-times), %(upcoming)d upcoming."
                    )
                    % {
                        "seconds": elapsed,
                        **summary.forums,
                        "lecturers": summary.lecturers,
                        "held": summary.sessions_held,
                        "people": summary.person_times,
                        "upcoming": summary.sessions_upcoming,
                    }
                )
            )
