"""Running a migration's trigger statements for the database in use.

Counts the database keeps itself (`RosterCount`, `RatingCount`) are written
as triggers, one set of statements per vendor; a vendor without them stops
the migration rather than leave the counts unkept.
"""


def run_for_vendor(schema_editor, statements: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise NotImplementedError(f"count triggers for {vendor}")
    for statement in statements[vendor]:
        schema_editor.execute(statement)
