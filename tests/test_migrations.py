"""The schema the migrations build is the schema the models describe, table by table.

Alembic's autogenerate compares the migrated database of this run (SQLite or PostgreSQL:
the test runs in both passes of `make test`) with the models' metadata: tables, columns,
types, nullability, server defaults, indexes, unique and foreign keys. Every table is
compared; none is left out. A difference the models cannot or do not yet express is listed
in KNOWN_DIFFERENCES with its reason, and an entry that no longer differs fails the test
too, so the list only ever shrinks.
"""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

# (kind, table, column) → why the migrated database may differ from the models there.
KNOWN_DIFFERENCES = {
    ("modify_default", "events", "waitlist_left"):
        "0005_event_counters added the NOT NULL column to a table with rows, so it needs a server "
        "default to fill them; the model sets the value in Python (default=0) and never omits it",
    ("modify_default", "events", "has_unit_quotas"):
        "0005_event_counters: as waitlist_left, a NOT NULL column added to existing rows "
        "(the model's default=False is set in Python)",
}


def _operations(differences) -> list[tuple]:
    """Autogenerate's differences as flat operation tuples (column changes come in lists)."""
    flat = []
    for difference in differences:
        flat.extend(difference if isinstance(difference, list) else [difference])
    return flat


def _key(operation: tuple) -> tuple:
    """(kind, table, column) of a column change; (kind, table or index or constraint name) otherwise."""
    kind = operation[0]
    if kind.startswith("modify_"):
        return kind, operation[2], operation[3]
    thing = operation[-1]
    if kind in ("add_column", "remove_column"):
        return kind, operation[2], thing.name
    return kind, getattr(thing, "name", thing)


def _differences(db) -> list[tuple]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        return _operations(compare_metadata(context, db.metadata))


def test_every_model_table_is_migrated_and_every_migrated_table_has_a_model(db):
    with db.engine.connect() as connection:
        migrated = set(inspect(connection).get_table_names()) - {"alembic_version"}
    assert migrated == set(db.metadata.tables)


def test_the_migrated_schema_matches_the_models(db):
    found = {_key(operation): operation for operation in _differences(db)}
    unexpected = [operation for key, operation in found.items() if key not in KNOWN_DIFFERENCES]
    assert not unexpected, "the migrations and the models differ (write a migration, or fix the model):\n" + "\n".join(
        repr(operation) for operation in unexpected)
    assert set(KNOWN_DIFFERENCES) <= set(found), (
        f"no longer different, remove from KNOWN_DIFFERENCES: {sorted(set(KNOWN_DIFFERENCES) - set(found))}")
