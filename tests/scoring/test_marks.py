"""Score entry's rules: a judge sees their own sheet without the withheld unit or a declared
conflict (and no names when blind); marks are checked whole against the scale; a client id
stores once; the first mark freezes the version; submission needs every mark; a change after
it keeps the old value and why; judges too far apart flag the cell and tell the chief; the
chief locks only a complete, unflagged sheet, and a mark after the lock is refused."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core.errors import Conflict, InvalidInput
from app.core.transaction import unit_of_work
from app.extensions import db
from app.judges.models import DeclaredConflict
from app.notifications.models import Notification
from app.scoring.models import Mark, MarkChange, SheetStatus, SpreadFlag
from app.scoring.services import chief, marks
from app.judges.models import PanelRole
from tests.judges.panel_support import judge
from tests.scoring.marks_support import aspects, build, seat


def sheet_of(world, user):
    with unit_of_work():
        found = marks.sheets_of(user)
    assert len(found) == 1
    return found[0]


def fill(world, user, values: dict, *, reason=None, prefix="c"):
    """values: registration index → (quality, time); saved in one batch."""
    sheet = sheet_of(world, user)
    keys = aspects(world)
    entries = []
    for index, (quality, time) in values.items():
        registration = world.entries[index].id
        entries.append(marks.MarkIn(f"{prefix}-q-{index}", registration, keys["quality"].id, 1, Decimal(quality),
                                    reason))
        entries.append(marks.MarkIn(f"{prefix}-t-{index}", registration, keys["time"].id, 1, Decimal(time), reason))
    with unit_of_work():
        return marks.save_marks(sheet, entries, actor=user)


def test_a_judge_sees_their_sheet_without_the_withheld_unit_or_a_conflict(db):
    world = build()
    compatriot_view = marks.view_of(sheet_of(world, world.compatriot))
    assert [c.registration_id for c in compatriot_view.contestants] == [e.id for e in world.entries[1:]]
    plain_view = marks.view_of(sheet_of(world, world.judge))
    assert len(plain_view.contestants) == 3 and plain_view.contestants[0].name
    profile_id = world.members[world.judge.id].profile_id
    db.session.add(DeclaredConflict(profile_id=profile_id, organisation_id=world.units[2].id, reason="曾任教练"))
    db.session.commit()
    assert [c.registration_id for c in marks.view_of(sheet_of(world, world.judge)).contestants] == \
        [e.id for e in world.entries[:2]]
    assert marks.sheets_of(world.chief) == []  # the chief judge oversees; judges mark


def test_a_blind_sheet_shows_numbers_never_names_or_units(db):
    world = build(blind=True)
    view = marks.view_of(sheet_of(world, world.judge))
    assert all(c.name is None and c.unit is None for c in view.contestants)
    assert [c.label for c in view.contestants] == [c.number for c in view.contestants]


def test_the_first_mark_freezes_the_version_and_a_resend_stores_nothing_new(db):
    world = build()
    assert not world.scheme.current.is_frozen
    first = fill(world, world.judge, {0: ("7.5", "40")})
    assert {a["result"] for a in first} == {"stored"}
    assert world.scheme.current.is_frozen
    again = fill(world, world.judge, {0: ("7.5", "40")})
    assert {a["result"] for a in again} == {"unchanged"}
    assert db.session.scalar(select(func.count(Mark.id))) == 2


def test_every_problem_is_reported_at_once_and_nothing_stored(db, app):
    world = build()
    keys = aspects(world)
    sheet = sheet_of(world, world.compatriot)
    entries = [marks.MarkIn("a", world.entries[1].id, keys["quality"].id, 1, Decimal("10.5")),
               marks.MarkIn("b", world.entries[1].id, keys["quality"].id, 2, Decimal("7")),
               marks.MarkIn("c", world.entries[2].id, keys["quality"].id, 1, Decimal("7.25")),
               marks.MarkIn("d", world.entries[0].id, keys["time"].id, 1, Decimal("5"))]  # withheld from them
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(InvalidInput) as refused:
        with unit_of_work():
            marks.save_marks(sheet, entries, actor=world.compatriot)
    assert len(refused.value.problems) == 4
    text = " ".join(message for _field, message in refused.value.problems)
    assert "between 0 and 10" in text and "steps of 0.5" in text and "no attempt 2" in text
    assert db.session.scalar(select(func.count(Mark.id))) == 0 and not world.scheme.current.is_frozen


def test_submission_needs_every_mark_and_a_later_change_keeps_the_old_value(db):
    world = build()
    sheet = sheet_of(world, world.judge)
    fill(world, world.judge, {0: ("7", "40"), 1: ("8", "50")})
    with pytest.raises(InvalidInput, match="2"):
        with unit_of_work():
            marks.submit_sheet(sheet, actor=world.judge)
    fill(world, world.judge, {2: ("6", "45")})
    with unit_of_work():
        marks.submit_sheet(sheet, actor=world.judge)
    assert {m.status for m in db.session.scalars(select(Mark))} == {SheetStatus.SUBMITTED}
    with pytest.raises(InvalidInput):
        fill(world, world.judge, {0: ("7.5", "40")}, prefix="late")          # no reason given
    fill(world, world.judge, {0: ("7.5", "40")}, prefix="late", reason="看错了")
    change = db.session.scalar(select(MarkChange))
    assert (change.old_value, change.new_value, change.reason, change.changed_by_id) == \
        (Decimal(7), Decimal("7.5"), "看错了", world.judge.id)


def submit_all(world, values_by_user: dict):
    for user, values in values_by_user.items():
        fill(world, user, values)
        with unit_of_work():
            marks.submit_sheet(sheet_of(world, user), actor=user)


def test_judges_too_far_apart_flag_the_cell_tell_the_chief_and_block_the_lock(db):
    world = build()
    submit_all(world, {world.judge: {0: ("9", "40"), 1: ("8", "50"), 2: ("6", "45")},
                       world.compatriot: {1: ("5", "50"), 2: ("6.5", "45")}})
    flag = db.session.scalar(select(SpreadFlag))
    assert flag.registration_id == world.entries[1].id and flag.spread == 3 and flag.action == "remark"
    told = db.session.scalars(select(Notification).where(Notification.kind == marks.SPREAD_KIND)).all()
    assert [n.user_id for n in told] == [world.chief.id]
    judge_sheet = sheet_of(world, world.judge)
    with pytest.raises(Conflict):
        with unit_of_work():
            chief.lock_sheet(judge_sheet, actor=world.chief)
    fill(world, world.compatriot, {1: ("7", "50")}, prefix="r", reason="复评")   # re-marked: within 2 now
    assert db.session.scalar(select(SpreadFlag)).resolved_at is not None
    with unit_of_work():
        chief.lock_sheet(judge_sheet, actor=world.chief)
    assert judge_sheet.status == SheetStatus.LOCKED


def test_a_mark_after_the_lock_is_refused(db, app):
    world = build(spread=None)
    submit_all(world, {world.judge: {0: ("9", "40"), 1: ("8", "50"), 2: ("6", "45")}})
    sheet = sheet_of(world, world.judge)
    with unit_of_work():
        chief.lock_sheet(sheet, actor=world.chief)
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(Conflict, match="locked"):
        fill(world, world.judge, {0: ("3", "40")}, prefix="late", reason="late")
    assert db.session.scalar(select(Mark.value).where(Mark.registration_id == world.entries[0].id,
                                                      Mark.aspect_id == aspects(world)["quality"].id)) == 9


def statements_of(call) -> tuple[list[str], object]:
    from sqlalchemy import event as sa_event
    statements = []

    def listener(*args):
        statements.append(args[2])
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        answer = call()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    return statements, answer


def test_the_progress_matrix_counts_missing_flagged_and_withheld_in_fixed_queries(db):
    world = build()
    fill(world, world.judge, {0: ("9", "40")})
    chief.progress(world.panel, world.scheme)   # the judges who have not opened theirs get their sheets
    db.session.commit()
    few, _state = statements_of(lambda: chief.progress(world.panel, world.scheme))
    speciality = world.panel.speciality
    for _n in range(3):
        seat(world.panel, judge(speciality, with_login=True), PanelRole.JUDGE)
    chief.progress(world.panel, world.scheme)
    db.session.commit()
    many, state = statements_of(lambda: chief.progress(world.panel, world.scheme))
    assert len(state.sheets) == 5 and len(many) == len(few) <= 20, many
    judge_sheet = next(s for s in state.sheets if s.member_id == world.members[world.judge.id].id)
    compatriot_sheet = next(s for s in state.sheets if s.member_id == world.members[world.compatriot.id].id)
    assert state.problems(judge_sheet).count("missing") == 4 and state.problems(compatriot_sheet).count("missing") == 4
    assert state.cell(compatriot_sheet, state.contestants[0], state.aspects[0], 1) == "hidden"
    assert state.cell(judge_sheet, state.contestants[0], state.aspects[0], 1) == "ok"


@settings(max_examples=25, deadline=None)
@given(st.decimals(min_value=-5, max_value=15, places=2))
def test_a_value_is_a_mark_exactly_when_it_is_on_the_scale(value):
    from app.scoring.models import SchemeAspect
    aspect = SchemeAspect(name="q", kind="judgement", maximum=Decimal(10), scale_min=Decimal(0),
                          scale_max=Decimal(10), scale_step=Decimal("0.5"))
    from flask import Flask
    from flask_babel import Babel
    app = Flask("t")
    Babel(app)
    with app.app_context():
        problem = marks.value_problem(aspect, value)
    assert (problem is None) == (0 <= value <= 10 and value % Decimal("0.5") == 0)


def test_an_old_resend_after_a_newer_write_never_brings_the_old_value_back(db):
    world = build()
    sheet = sheet_of(world, world.judge)
    quality = aspects(world)["quality"].id
    registration = world.entries[0].id

    def send(client_id, value):
        with unit_of_work():
            return marks.save_marks(sheet, [marks.MarkIn(client_id, registration, quality, 1, Decimal(value))],
                                    actor=world.judge)[0]["result"]
    assert [send("first", "6"), send("second", "7"), send("first", "6"), send("second", "7")] == \
        ["stored", "stored", "unchanged", "unchanged"]
    assert db.session.scalar(select(Mark.value)) == 7 and db.session.scalar(select(func.count(Mark.id))) == 1


def test_the_chief_locks_an_aspect_on_every_sheet_once_all_are_in(db, app):
    world = build(spread=None)
    keys = aspects(world)
    fill(world, world.judge, {0: ("9", "40"), 1: ("8", "50"), 2: ("6", "45")})
    with unit_of_work():
        marks.submit_sheet(sheet_of(world, world.judge), actor=world.judge)
    with pytest.raises(Conflict):   # the compatriot has not handed in
        with unit_of_work():
            chief.lock_aspect(world.panel, world.scheme, keys["quality"].id, actor=world.chief)
    fill(world, world.compatriot, {1: ("7", "50"), 2: ("6", "45")})
    with unit_of_work():
        marks.submit_sheet(sheet_of(world, world.compatriot), actor=world.compatriot)
    state = chief.progress(world.panel, world.scheme)
    assert chief.aspect_lockable(state, state.aspects[0])
    with unit_of_work():
        assert chief.lock_aspect(world.panel, world.scheme, keys["quality"].id, actor=world.chief) == 5
    assert not chief.aspect_lockable(chief.progress(world.panel, world.scheme), state.aspects[0])
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(InvalidInput, match="locked"):
        fill(world, world.judge, {0: ("3", "41")}, prefix="late", reason="复核")
    fill(world, world.judge, {1: ("8", "55")}, prefix="time", reason="复核")   # the time stays open
