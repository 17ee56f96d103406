import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_site.settings.dev")

# A gunicorn worker has threads: its loop, which reads requests, and the
# ones that answer them (one each, as `make serve` runs; WEB_THREADS more).
# A thread back from the database waits for another to hand over the
# interpreter lock, by default for up to 5 ms — and a SQLite writer waits so
# while holding the writers' turn (training_site/db/sqlite3/), every other
# writer behind it. 1 ms gives the lock back sooner; switching costs nothing
# while one thread runs alone. (With two threads answering, a check-in rush
# measured 4–12% more check-ins a second.)
SWITCH_INTERVAL = float(os.environ.get("PYTHON_SWITCH_INTERVAL", "0.001"))
sys.setswitchinterval(SWITCH_INTERVAL)

application = get_wsgi_application()
