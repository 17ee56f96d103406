from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from onboarding.services.export import export_network


class Command(BaseCommand):
    help = _(
        "Write the network (forums, trainees, lecturers, past sessions) as the "
        "workbook import_network reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        body = export_network()
        try:
            with open(file, "wb") as handle:
                handle.write(body)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s")
                % {"path": file, "error": error.strerror or error}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(_("Written to %(path)s.") % {"path": file})
        )
