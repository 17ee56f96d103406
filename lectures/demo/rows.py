"""Plain rows written with `executemany`, for the demo's millions of rows.

At 100× the demo writes two million attendance rows and as many
registrations. `bulk_create` builds a model instance and prepares every
value of every row through its field (about 25 µs a row); these tables hold
only ids, short strings and datetimes, so the rows are written as tuples,
datetimes adapted once each by the database backend.
"""

from datetime import datetime

from django.db import connection, models

CHUNK = 5000


def insert_rows(model: type[models.Model], columns: list[str], rows: list[tuple]):
    """INSERT the rows (values in the order of `columns`, field attnames)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    adapt = _datetime_adapter()
    dated = [
        i for i, field in enumerate(fields) if isinstance(field, models.DateTimeField)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            if dated:
                chunk = [_adapted(row, dated, adapt) for row in chunk]
            cursor.executemany(sql, chunk)


def _adapted(row: tuple, dated: list[int], adapt) -> tuple:
    values = list(row)
    for i in dated:
        values[i] = adapt(values[i])
    return tuple(values)


def _datetime_adapter():
    cache: dict[datetime, object] = {}

    def adapt(value):
        if value is None:
            return None
        if value not in cache:
            cache[value] = connection.ops.adapt_datetimefield_value(value)
        return cache[value]

    return adapt
