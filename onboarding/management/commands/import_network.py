from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from onboarding.services.network import import_network
from training_site.tabular import ImportFileError


class Command(BaseCommand):
    help = _(
        "Import the network (forums, trainees, lecturers, past sessions) from one "
        ".xlsx workbook or one .csv per sheet: everything checked first, all or "
        "nothing, safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check and show what would change; write nothing"),
        )

    def handle(self, *args, files, dry_run, **options):
        contents = []
        for file in files:
            path = Path(file)
            if not path.is_file():
                raise CommandError(_("No such file: %(file)s") % {"file": file})
            contents.append((path.name, path.read_bytes()))
        try:
            report = import_network(contents, commit=not dry_run)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        for error in report.errors:
            self.stderr.write(
                _("%(sheet)s, line %(line)d: %(message)s")
                % {"sheet": error.sheet, "line": error.line, "message": error.message}
            )
        if not report.ok:
            raise CommandError(
                _("Nothing imported: %(n)d problem(s) in the workbook.")
                % {"n": len(report.errors)}
            )
        for sheet in report.sheets:
            self.stdout.write(
                _(
                    "%(sheet)s: %(created)d created, %(updated)d updated, "
                    "%(unchanged)d unchanged"
                )
                % {
                    "sheet": sheet.sheet,
                    "created": sheet.created,
                    "updated": sheet.updated,
                    "unchanged": sheet.unchanged,
                }
            )
        done = (
            _("Checked; nothing written (--dry-run).")
            if dry_run
            else _("Imported: %(created)d created, %(updated)d updated.")
            % {"created": report.total("created"), "updated": report.total("updated")}
        )
        self.stdout.write(self.style.SUCCESS(done))
