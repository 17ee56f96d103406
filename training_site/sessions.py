"""Sessions in the database, as Django keeps them, read by one plain
statement.

Django's store builds its query with the ORM on every request that reads
the session (`Session.objects.get(session_key=…, expire_date__gt=now)`):
about 0.3 ms of CPU on this host, as much as half of a `/healthz`, paid by
every logged-in page and every check-in. The same row is read here with
the same conditions; writing, expiry and everything else are Django's.
`SESSION_ENGINE = "training_site.sessions"`.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)} "
                f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s",
                [
                    self.session_key,
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                ],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's: an unknown or expired key is forgotten, and a new
            # one is made if anything is stored.
            self._session_key = None
            return {}
        return self.decode(row[0])
