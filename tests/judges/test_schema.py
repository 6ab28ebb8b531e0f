"""What the judges migration puts in besides tables (the tables themselves: tests/test_migrations.py)."""
from __future__ import annotations

from sqlalchemy import select

from app.judges import models


def test_migration_seeds_the_three_judge_levels_in_rank_order(db):
    levels = db.session.scalars(select(models.JudgeLevel).order_by(models.JudgeLevel.rank.desc())).all()
    assert [(level.code, level.name, level.rank) for level in levels] == [
        ("national", "国家级", 30), ("provincial", "省级", 20), ("municipal", "市级", 10)]
