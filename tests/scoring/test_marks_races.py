"""Score entry under real concurrency on PostgreSQL (the race helper of
tests/competitions/test_registration_races.py): fifty judges handing in at once, each spread
check seeing every mark; a lock racing late marks — none accepted after the lock; the same
client id sent twice at once stores one mark."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.errors import Conflict
from app.core.transaction import unit_of_work
from app.extensions import db
from app.scoring.models import Mark, ScoreSheet, SheetStatus, SpreadFlag
from app.scoring.services import chief, marks
from tests.competitions.test_registration_races import race
from tests.scoring.marks_support import aspects, build

pytestmark = pytest.mark.postgres_only
JUDGES = 50


def _sheets(world) -> dict[int, int]:
    """user id → sheet id, every marking judge's sheet made."""
    with unit_of_work():
        return {user_id: marks.sheets_of(db.session.get(User, user_id))[0].id for user_id in world.members
                if user_id != world.chief.id}


def _hand_in(user_id: int, sheet_id: int, values: list[tuple[int, int, str]]):
    def job():
        user = db.session.get(User, user_id)
        sheet = db.session.get(ScoreSheet, sheet_id)
        entries = [marks.MarkIn(f"{user_id}-{registration}-{aspect}", registration, aspect, 1, Decimal(value))
                   for registration, aspect, value in values]
        marks.save_marks(sheet, entries, actor=user)
        marks.submit_sheet(sheet, actor=user)
        return sheet_id
    return job


def test_fifty_judges_hand_in_at_once_and_the_spread_is_seen(app):
    world = build(judges=JUDGES - 2)
    sheets = _sheets(world)
    keys = aspects(world)
    jobs = []
    for n, (user_id, sheet_id) in enumerate(sheets.items()):
        visible = [e.id for e in world.entries[1:]] if user_id == world.compatriot.id else [e.id for e in world.entries]
        # every judge gives 5 on the last contestant's quality but one, who gives 9: beyond the spread of 2
        values = [(r, keys["quality"].id, "9" if (n == 7 and r == world.entries[2].id) else "5") for r in visible]
        values += [(r, keys["time"].id, "40") for r in visible]
        jobs.append(_hand_in(user_id, sheet_id, values))
    outcomes = race(app, jobs)
    assert sorted(outcomes) == sorted(sheets.values()), [o for o in outcomes if not isinstance(o, int)]
    with app.app_context():
        assert set(db.session.scalars(select(ScoreSheet.status))) == {SheetStatus.SUBMITTED}
        assert db.session.scalar(select(func.count(Mark.id))) == JUDGES * 6 - 2
        flags = db.session.scalars(select(SpreadFlag)).all()
        assert [(f.registration_id, f.spread) for f in flags] == [(world.entries[2].id, 4)]


def test_a_lock_racing_late_marks_accepts_none_after_it(app):
    world = build(spread=None)
    sheet_id = _sheets(world)[world.judge.id]
    keys = aspects(world)
    with app.app_context(), unit_of_work():
        _hand_in(world.judge.id, sheet_id, [(e.id, a.id, "5") for e in world.entries for a in keys.values()])()
    chief_id, judge_id = world.chief.id, world.judge.id

    def lock():
        chief.lock_sheet(db.session.get(ScoreSheet, sheet_id), actor=db.session.get(User, chief_id))
        return "locked"

    def late(n):
        def job():
            sheet = db.session.get(ScoreSheet, sheet_id)
            marks.save_marks(sheet, [marks.MarkIn(f"late-{n}", world.entries[n % 3].id, keys["quality"].id, 1,
                                                  Decimal("7"), "复核")], actor=db.session.get(User, judge_id))
            return "stored"
        return job
    outcomes = race(app, [lock] + [late(n) for n in range(20)])
    with app.app_context():
        stored = sum(o == "stored" for o in outcomes)
        refused = [o for o in outcomes if isinstance(o, Conflict)]
        assert outcomes[0] == "locked" and stored + len(refused) == 20
        locked_at = db.session.scalar(select(ScoreSheet.locked_at).where(ScoreSheet.id == sheet_id))
        after = db.session.scalar(select(func.count(Mark.id)).where(Mark.sheet_id == sheet_id,
                                                                    Mark.updated_at > locked_at))
        assert after == 0
        assert set(db.session.scalars(select(Mark.status).where(Mark.sheet_id == sheet_id))) == {SheetStatus.LOCKED}


def test_the_same_client_id_twice_at_once_stores_one_mark(app):
    world = build()
    sheet_id = _sheets(world)[world.judge.id]
    keys = aspects(world)
    judge_id, registration = world.judge.id, world.entries[0].id

    def send():
        marks.save_marks(db.session.get(ScoreSheet, sheet_id),
                         [marks.MarkIn("same-id", registration, keys["quality"].id, 1, Decimal("6.5"))],
                         actor=db.session.get(User, judge_id))
        return "ok"
    outcomes = race(app, [send for _n in range(10)])
    with app.app_context():
        assert outcomes == ["ok"] * 10
        assert db.session.scalar(select(func.count(Mark.id))) == 1
