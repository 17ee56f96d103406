"""Rows read (and written) on every request, by a statement the ORM
builds once.

Building a query with the ORM (the filter, its lookups, the compiler) costs
more CPU than SQLite takes to answer it: about a quarter of a millisecond
for `User.objects.get(pk=…)`, which every logged-in request pays for its
user, against 0.5 ms for a whole `/healthz`. `get_by(Model, field=value, …)`
asks the ORM for the statement once per model, fields and connection, then
only runs it: the same SQL, the same converters (dates, booleans) and
`Model.from_db`, so the object is the one `Model.objects.get()` would give.
For equality on integer columns (ids), the lookups on every request.
`insert(instance)` writes a row as `bulk_create([instance])` does (no
`save()`, no signals), by an INSERT built once: a check-in's attendance and
its log entry.
"""

from weakref import WeakKeyDictionary

from django.db import connections, router
from django.db.models.sql import InsertQuery

#: connection → {(model, lookups): (sql, attnames, compiler, converters)}
_STATEMENTS: WeakKeyDictionary = WeakKeyDictionary()
# Distinct sample values: where each lands among the statement's parameters
# says where each lookup's value goes.
_SAMPLE = 1_000_000_007


def _statement(connection, model, names: tuple[str, ...]):
    kept = _STATEMENTS.setdefault(connection, {})
    statement = kept.get((model, names))
    if statement is None:
        samples = {name: _SAMPLE + n for n, name in enumerate(names)}
        query = model._base_manager.using(connection.alias).filter(**samples).query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        order = [names[value - _SAMPLE] for value in params]
        if sorted(order) != sorted(names):
            raise ValueError(f"{model.__name__}: not plain lookups: {names}")
        select = [expression for expression, _sql, _alias in compiler.select]
        attnames = [expression.target.attname for expression in select]
        converters = compiler.get_converters(select)
        statement = (sql, tuple(order), attnames, compiler, converters)
        kept[(model, names)] = statement
    return statement


def get_by(model, **lookups):
    """The one row of `model` with these integer column values, or None (as
    `model._base_manager.filter(**lookups).first()` on a unique set)."""
    connection = connections[router.db_for_read(model)]
    names = tuple(sorted(lookups))
    sql, order, attnames, compiler, converters = _statement(connection, model, names)
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(lookups[name]) for name in order])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    return model.from_db(connection.alias, attnames, row)


def insert(instance):
    """Write `instance` as `Model.objects.bulk_create([instance])` would (one
    row; no `save()`, no signals: triggers in the database still run), and
    set its primary key. Returns it."""
    model = type(instance)
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    fields = [f for f in opts.concrete_fields if not f.generated and not f.primary_key]
    kept = _STATEMENTS.setdefault(connection, {})
    statement = kept.get((model, "insert"))
    if statement is None:
        query = InsertQuery(model)
        query.insert_values(fields, [instance])
        compiler = query.get_compiler(connection=connection)
        if connection.features.can_return_columns_from_insert:
            compiler.returning_fields = [opts.pk]
        [(sql, _params)] = compiler.as_sql()
        statement = (sql, bool(compiler.returning_fields))
        kept[(model, "insert")] = statement
    sql, returning = statement
    instance._prepare_related_fields_for_save(operation_name="bulk_create")
    values = [
        f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if returning:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, opts.db_table, opts.pk.column)
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance
