"""The scheduling tables the migration builds are the tables the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.scheduling import models  # noqa: F401  (the tables compared)

TABLES = {"venues", "rooms", "stations", "bookings"}


def _tables_of(diff) -> set[str]:
    """The names of our tables an autogenerate difference mentions (diffs nest tuples and lists)."""
    text = repr(diff)
    return {table for table in TABLES if f"'{table}'" in text or f"table={table}" in text or f"{table}." in text}


def test_scheduling_migration_matches_the_models(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, db.metadata) if _tables_of(d)]
    assert differences == []
