"""Draws under real concurrency on PostgreSQL: many staff drawing at the same moment.

Each racer is a thread with its own application context, session and connection, released
together by a barrier (tests/competitions/test_registration_races.race). The tests assert the
invariants — one draw per panel, one set of members, everyone else told who drew it; no
judge seated on two panels at overlapping times — never timings.
"""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.errors import Conflict
from app.extensions import db
from app.judges.models import Draw, MemberStatus, Panel, PanelMember, PanelStatus
from app.judges.services import draws
from tests.competitions.test_registration_races import race
from tests.factories import staff
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import event_with_contestants, judge, make_panel

pytestmark = pytest.mark.postgres_only
RACERS = 12


def drawing(panel_id: int, user_id: int):
    def job():
        return draws.run_draw(db.session.get(Panel, panel_id), draws.DrawRequest(),
                              actor=db.session.get(User, user_id)).id
    return job


def test_of_twelve_staff_drawing_one_panel_at_once_one_draws_and_eleven_are_told(app):
    trade = SpecialityFactory()
    for _ in range(8):
        judge(trade)
    panel_id = make_panel(event_with_contestants(), trade, chiefs=1, judges=3, reserves=2).id
    user_ids = [staff().id for _ in range(RACERS)]

    outcomes = race(app, [drawing(panel_id, uid) for uid in user_ids])

    won = [o for o in outcomes if isinstance(o, int)]
    told = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(told) == RACERS - 1, outcomes
    assert all("already drawn by" in error.message for error in told)
    assert db.session.scalar(select(func.count(Draw.id))) == 1
    members = list(db.session.scalars(select(PanelMember).where(PanelMember.panel_id == panel_id)))
    assert len(members) == 6 and len({m.profile_id for m in members}) == 6
    panel = db.session.get(Panel, panel_id)
    assert (panel.status, panel.draw_id) == (PanelStatus.DRAWN, won[0])


def test_two_overlapping_panels_drawn_at_once_never_seat_one_judge_twice(app):
    trade = SpecialityFactory()
    for _ in range(4):
        judge(trade)
    first = make_panel(event_with_contestants(), trade, chiefs=1, judges=1, reserves=0).id
    second = make_panel(event_with_contestants(), trade, chiefs=1, judges=1, reserves=0).id
    user_ids = [staff().id for _ in range(RACERS)]

    outcomes = race(app, [drawing(first if n % 2 else second, uid) for n, uid in enumerate(user_ids)])

    assert sum(isinstance(o, int) for o in outcomes) == 2, outcomes
    seated = Counter(db.session.scalars(select(PanelMember.profile_id).where(
        PanelMember.status == MemberStatus.INVITED)))
    assert len(seated) == 4 and set(seated.values()) == {1}
