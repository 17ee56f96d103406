from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lectures.services.trainee_import import import_trainees
from training_site.tabular import ImportFileError


class Command(BaseCommand):
    help = _(
        "Import trainees from an .xlsx or .csv roster: all rows or none, with a "
        "report of every bad row."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--initial-password",
            help=_("Password for the new accounts (they should change it)"),
        )

    def handle(self, *args, file, initial_password, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        try:
            report = import_trainees(
                path.name, path.read_bytes(), initial_password=initial_password
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if not report.ok:
            for error in report.errors:
                self.stderr.write(
                    _("line %(line)d: %(message)s")
                    % {"line": error.line, "message": error.message}
                )
            raise CommandError(
                _("Nothing imported: %(n)d problem(s) in the file.")
                % {"n": len(report.errors)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported: %(created)d created, %(updated)d updated.")
                % {"created": report.created, "updated": report.updated}
            )
        )
        if not initial_password:
            self.stdout.write(
                _(
                    "The accounts have no password yet: set one with "
                    "--initial-password or in the admin."
                )
            )
