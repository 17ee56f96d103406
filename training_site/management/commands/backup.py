from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training_site.services.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database while the site runs: SQLite's online backup, or "
        "pg_dump (custom format) for PostgreSQL. Default: backups/jiangtan-<time>."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="where to write the backup")

    def handle(self, *args, output=None, **options):
        try:
            path = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
