"""A correction under real concurrency on PostgreSQL: the chief judge's and staff's approvals at
the same moment (each sent twice) change the mark once."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.transaction import unit_of_work
from app.extensions import db
from app.judges.models import Panel
from app.scoring.models import CorrectionStatus, Mark, MarkChange, MarkCorrection
from app.scoring.services import chief, corrections
from tests.competitions.test_registration_races import race
from tests.factories import staff
from tests.scoring.marks_support import build
from tests.scoring.test_corrections import put

pytestmark = pytest.mark.postgres_only


def test_two_approvals_at_once_change_the_mark_once(app):
    world = build(spread=None)
    office = staff()
    sheet = put(world, world.judge, [(i, key, "5" if key == "quality" else "40") for i in range(3)
                                     for key in ("quality", "time")], submit=True)
    with unit_of_work():
        chief.lock_sheet(sheet, actor=world.chief)
        mark_id = db.session.scalar(select(Mark.id).where(Mark.sheet_id == sheet.id).order_by(Mark.id))
        correction_id = corrections.request(world.panel, mark_id, Decimal("6"), "录入错误", actor=world.judge).id
    panel_id, approvers = world.panel.id, [world.chief.id, office.id]

    def approve(user_id):
        def job():
            user, panel = db.session.get(User, user_id), db.session.get(Panel, panel_id)
            corrections.approve(db.session.get(MarkCorrection, correction_id), actor=user,
                                roles=corrections.capacities(user, panel))
            return "approved"
        return job
    outcomes = race(app, [approve(user_id) for user_id in approvers * 2])
    with app.app_context():
        assert outcomes == ["approved"] * 4
        assert db.session.scalar(select(func.count(MarkChange.id))) == 1
        assert db.session.get(Mark, mark_id).value == 6
        assert db.session.get(MarkCorrection, correction_id).status == CorrectionStatus.APPLIED
