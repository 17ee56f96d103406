from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training_site.services.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by `backup` "
        "(SQLite file or pg_dump custom format). Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation"
        )

    def handle(self, *args, file, yes=False, **options):
        if not yes:
            answer = input(f"Replace the whole database with {file}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing restored.")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {file}")
