import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils.translation import gettext as _

from training_site import invalidations
from training_site.notify.tasks import BACKEND, sweep

logger = logging.getLogger(__name__)


def _sweep_forever(every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        try:
            close_old_connections()
            sweep()
            invalidations.sweep()
        except Exception:
            logger.exception("The delivery sweep failed; trying again later.")
        finally:
            connection.close()


class Command(BaseCommand):
    help = _(
        "The notices' background worker: hands out what is due and writes the "
        "page cache's pending invalidations (also every NOTIFY_SWEEP_SECONDS), "
        "then runs django-tasks' database worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1)
        parser.add_argument("--batch", action="store_true")
        parser.add_argument("--worker-id", default=None)

    def handle(self, *, interval, batch, worker_id, verbosity, **options):
        sweep()
        invalidations.sweep()
        connection.close()
        stop = threading.Event()
        every = getattr(settings, "NOTIFY_SWEEP_SECONDS", 60)
        if not batch and every:
            threading.Thread(
                target=_sweep_forever, args=(every, stop), daemon=True
            ).start()
        # As command-line words: db_worker checks its defaults' backend too.
        arguments = ["--backend", BACKEND, "--interval", str(interval)]
        arguments += ["--no-reload", "--no-startup-delay", f"-v{verbosity}"]
        if batch:
            arguments.append("--batch")
        if worker_id:
            arguments += ["--worker-id", worker_id]
        try:
            call_command("db_worker", *arguments)
        finally:
            stop.set()
