"""The judges tables the migrations build are the tables the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from app.judges import models

JUDGES_TABLES = {"judge_levels", "specialities", "judge_profiles", "judge_specialities",
                 "judge_qualifications", "judge_availability", "judge_conflicts", "panels", "draws",
                 "panel_members"}


def _table_of(diff) -> str | None:
    """The table an autogenerate difference is about (diffs are tuples, or lists of them)."""
    if isinstance(diff, list):
        return _table_of(diff[0])
    for part in diff[1:]:
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None and getattr(table, "name", None):
            return table.name
        if isinstance(part, str) and part in JUDGES_TABLES:
            return part
        if name in JUDGES_TABLES and hasattr(part, "columns"):
            return name
    return None


def test_judges_migration_matches_the_models(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, db.metadata) if _table_of(d) in JUDGES_TABLES]
    assert differences == []


def test_migration_seeds_the_three_judge_levels_in_rank_order(db, app):
    if app.config["_TEST_SQLITE_FILE"] is None:
        return  # PostgreSQL runs truncate every table between tests, seeded rows included
    levels = db.session.scalars(select(models.JudgeLevel).order_by(models.JudgeLevel.rank.desc())).all()
    assert [(level.code, level.name, level.rank) for level in levels] == [
        ("national", "国家级", 30), ("provincial", "省级", 20), ("municipal", "市级", 10)]
