"""Plain rows written with `executemany`, for the demo's millions of rows.

At 100× the demo writes two million attendance rows and as many
registrations, and hundreds of thousands of trainees, rating tallies and
evaluation receipts. `bulk_create` builds a model instance and prepares every
value of every row through its field (about 25 µs a row); these tables hold
only ids, numbers, short strings, dates and UUIDs, so the rows are written as
tuples, and the values the database driver cannot take as they are (dates,
datetimes, UUIDs without a native column) are prepared by their field, once
per distinct value.
"""

from collections.abc import Callable

from django.db import connection, models

CHUNK = 5000


def insert_rows(model: type[models.Model], columns: list[str], rows: list[tuple]):
    """INSERT the rows (values in the order of `columns`, field attnames).

    Nothing fills in defaults: every NOT NULL column without a database
    default must be among `columns`."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    adapters = {
        i: adapt for i, field in enumerate(fields) if (adapt := _adapter(field))
    }
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            if adapters:
                chunk = [_adapted(row, adapters) for row in chunk]
            cursor.executemany(sql, chunk)


def _adapted(row: tuple, adapters: dict[int, Callable]) -> tuple:
    values = list(row)
    for i, adapt in adapters.items():
        values[i] = adapt(values[i])
    return tuple(values)


def _adapter(field: models.Field) -> Callable | None:
    """How a value of `field` goes to the driver, remembered per value (a
    demo repeats its dates and times), or None when it goes as it is."""
    if isinstance(field, models.DateTimeField):
        prepare = connection.ops.adapt_datetimefield_value
    elif isinstance(field, models.DateField):
        prepare = connection.ops.adapt_datefield_value
    elif isinstance(field, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return None
        return lambda value: None if value is None else value.hex
    else:
        return None
    cache: dict[object, object] = {}

    def adapt(value):
        if value is None:
            return None
        if value not in cache:
            cache[value] = prepare(value)
        return cache[value]

    return adapt
