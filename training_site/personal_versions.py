"""The triggers that keep `PersonalVersion` (models.py): one person's number
goes up, in the same transaction, whenever a row of his changes.

Each app's migration names the tables that hold a person's rows (his
registrations, attendance, enrolments, notices, …) with `person_rows`, the
tables every person's page reads (ranks and their quotas) with
`everyone_rows`, and rows a page shows of everyone (a class's enrolments,
its seats) with `page_rows`, kept under minus the page's id; `run`
executes the statements for the database in use.
Written as triggers, not signals, so bulk writes, raw updates and other
processes are counted alike (as the kept counts are, lectures/triggers.py).
"""

TABLE = "training_site_personalversion"
EVERYONE = 0

# PostgreSQL: one function for every table; the trigger names its column.
POSTGRESQL_FUNCTIONS = [
    f"""
    CREATE FUNCTION training_site_bump_person(person bigint) RETURNS void AS $$
        INSERT INTO {TABLE} (user_id, version) VALUES (person, 1)
        ON CONFLICT (user_id) DO UPDATE SET version = {TABLE}.version + 1
    $$ LANGUAGE sql
    """,
    """
    CREATE FUNCTION training_site_person_changed() RETURNS trigger AS $$
    DECLARE
        before bigint;
        after bigint;
    BEGIN
        IF TG_ARGV[0] = '' THEN
            PERFORM training_site_bump_person(0);
            RETURN NULL;
        END IF;
        -- TG_ARGV[1]: -1 for a page's rows (kept under minus its id).
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            before := (to_jsonb(OLD) ->> TG_ARGV[0])::bigint * TG_ARGV[1]::bigint;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            after := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint * TG_ARGV[1]::bigint;
        END IF;
        IF after IS NOT NULL THEN
            PERFORM training_site_bump_person(after);
        END IF;
        IF before IS NOT NULL AND before IS DISTINCT FROM after THEN
            PERFORM training_site_bump_person(before);
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
]
POSTGRESQL_FUNCTIONS_REVERSE = [
    "DROP FUNCTION IF EXISTS training_site_person_changed()",
    "DROP FUNCTION IF EXISTS training_site_bump_person(bigint)",
]


def sqlite_bump(person: str, condition: str = "") -> str:
    """The statement adding one to the version of `person` (an SQL
    expression: `NEW.user_id`, or a subquery's column), in a trigger body."""
    where = f"{person} IS NOT NULL" + (f" AND {condition}" if condition else "")
    return (
        f"INSERT INTO {TABLE} (user_id, version) SELECT {person}, 1 WHERE {where} "
        f"ON CONFLICT (user_id) DO UPDATE SET version = version + 1;"
    )


def person_rows(
    table: str,
    column: str = "user_id",
    *,
    columns: tuple[str, ...] = (),
    _sign: int = 1,
) -> dict[str, list[str]]:
    """Triggers: a row of `table` added, changed (in `columns`, if given) or
    removed counts as a change for the person in its `column` (both people,
    if a change moves the row from one to another)."""
    name = f"{table}_{'personal' if _sign > 0 else 'page'}"
    of = f" OF {', '.join(columns)}" if columns else ""
    minus = "-" if _sign < 0 else ""
    new, old = f"{minus}NEW.{column}", f"{minus}OLD.{column}"
    sqlite = [
        f"CREATE TRIGGER {name}_added AFTER INSERT ON {table} "
        f"BEGIN {sqlite_bump(new)} END",
        f"CREATE TRIGGER {name}_changed AFTER UPDATE{of} ON {table} "
        f"BEGIN {sqlite_bump(new)} {sqlite_bump(old, f'{old} IS NOT {new}')} END",
        f"CREATE TRIGGER {name}_removed AFTER DELETE ON {table} "
        f"BEGIN {sqlite_bump(old)} END",
    ]
    postgresql = [
        f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE{of} ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION "
        f"training_site_person_changed('{column}', '{_sign}')"
    ]
    return {"sqlite": sqlite, "postgresql": postgresql}


def page_rows(
    table: str, column: str, *, columns: tuple[str, ...] = ()
) -> dict[str, list[str]]:
    """Triggers: a row of `table` added, changed or removed counts as a
    change to the page in its `column` (a class's enrolments: its seats)."""
    return person_rows(table, column, columns=columns, _sign=-1)


def everyone_rows(table: str) -> dict[str, list[str]]:
    """Triggers: any change to `table` counts as a change for everyone."""
    name = f"{table}_everyone"
    bump = sqlite_bump(str(EVERYONE))
    return {
        "sqlite": [
            f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} "
            f"BEGIN {bump} END"
            for event in ("INSERT", "UPDATE", "DELETE")
        ],
        "postgresql": [
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION "
            "training_site_person_changed('', '1')"
        ],
    }


def dropped(statements: dict[str, list[str]]) -> dict[str, list[str]]:
    """The statements that undo `person_rows` / `everyone_rows`."""

    def names(statement: str) -> tuple[str, str]:
        words = statement.split()
        return words[2], words[words.index("ON") + 1]

    return {
        "sqlite": [
            f"DROP TRIGGER IF EXISTS {names(s)[0]}" for s in statements["sqlite"]
        ],
        "postgresql": [
            "DROP TRIGGER IF EXISTS {} ON {}".format(*names(s))
            for s in statements["postgresql"]
        ],
    }


def run(schema_editor, *sets: dict[str, list[str]]) -> None:
    """Execute these statement sets for the database in use; a database
    without them stops the migration rather than leave pages unkept."""
    vendor = schema_editor.connection.vendor
    for statements in sets:
        if vendor not in statements:
            raise NotImplementedError(f"personal version triggers for {vendor}")
        for statement in statements[vendor]:
            schema_editor.execute(statement)
