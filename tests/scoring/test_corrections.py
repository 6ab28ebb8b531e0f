"""After the lock a mark changes only through a correction: asked with a value on the scale and
a reason, approved by the chief judge and by staff (two people), then applied and kept in
MarkChange and the audit log; or refused. The third marker: assigned by the chief judge to a
judge who has not marked the cell and may see the contestant; their mark resolves the flag and
the results keep the two closest marks. An aspect's judges per attempt: the cell takes that many
marks, two measurements must agree."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.core.audit import AuditEntry
from app.core.errors import Conflict, InvalidInput
from app.core.transaction import unit_of_work
from app.extensions import db
from app.notifications.models import Notification
from app.scoring.arithmetic.aspects import score_attempt
from app.scoring.models import CorrectionStatus, Mark, MarkChange, SheetStatus, SpreadFlag, ThirdMarker
from app.scoring.services import chief, corrections, marks, publication, schemes, third_markers
from tests.factories import staff
from tests.scoring.marks_support import aspects, build


def sheet_of(user):
    with unit_of_work():
        return marks.sheets_of(user)[0]


def put(world, user, values, *, reason=None, submit=False):
    """values: [(entry index, aspect key, value)], saved in one batch (and handed in)."""
    keys, sheet = aspects(world), sheet_of(user)
    entries = [marks.MarkIn(f"{user.id}-{i}-{key}-{value}", world.entries[i].id, keys[key].id, 1, Decimal(value),
                            reason) for i, key, value in values]
    with unit_of_work():
        marks.save_marks(sheet, entries, actor=user)
        if submit:
            marks.submit_sheet(sheet, actor=user)
    return sheet


def judges_per_attempt(world, **counts):
    with unit_of_work():
        for key, count in counts.items():
            aspects(world)[key].judges = count


def told(kind):
    return [n.user_id for n in db.session.scalars(select(Notification).where(Notification.kind == kind))]


def test_a_locked_mark_changes_once_chief_and_staff_approve_and_a_refusal_keeps_it(db, app):
    world = build(spread=None)
    office = staff()
    sheet = put(world, world.judge, [(i, key, "5" if key == "quality" else "40") for i in range(3)
                                     for key in ("quality", "time")], submit=True)
    with unit_of_work():
        chief.lock_sheet(sheet, actor=world.chief)
    mark = db.session.scalar(select(Mark).where(Mark.sheet_id == sheet.id, Mark.aspect_id == aspects(world)["quality"].id,
                                                Mark.registration_id == world.entries[0].id))
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(InvalidInput) as refused:
        corrections.request(world.panel, mark.id, Decimal("10.25"), " ", actor=world.judge)
    assert {field for field, _message in refused.value.problems} == {"value", "reason"}
    with unit_of_work():
        asked = corrections.request(world.panel, mark.id, Decimal("6.5"), "录入错误", actor=world.judge)
    assert set(told(corrections.ASKED_KIND)) == {world.chief.id, office.id}
    waiting = corrections.waiting_on(sheet.version)    # an open correction holds back publishing
    assert "1" in waiting and waiting in publication.blockers(sheet.version)
    with pytest.raises(Conflict):
        corrections.request(world.panel, mark.id, Decimal("7"), "again", actor=world.judge)
    db.session.rollback()
    chief_roles = corrections.capacities(world.chief, world.panel)
    assert chief_roles == {corrections.CHIEF} and corrections.capacities(world.judge, world.panel) == set()
    for _twice in range(2):
        with unit_of_work():
            corrections.approve(asked, actor=world.chief, roles=chief_roles)
    assert db.session.get(Mark, mark.id).value == 5 and asked.status == CorrectionStatus.PENDING
    with unit_of_work():
        corrections.approve(asked, actor=office, roles=corrections.capacities(office, world.panel))
    assert asked.status == CorrectionStatus.APPLIED and db.session.get(Mark, mark.id).value == Decimal("6.5")
    assert corrections.waiting_on(sheet.version) is None
    change = db.session.scalar(select(MarkChange))
    assert (change.old_value, change.new_value, change.reason, change.changed_by_id) == \
        (5, Decimal("6.5"), "录入错误", office.id)
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"scoring.correction_asked", "scoring.correction_approved", "scoring.mark_corrected"} <= actions
    assert told(corrections.APPLIED_KIND) == [world.judge.id]
    assert db.session.get(Mark, mark.id).status == SheetStatus.LOCKED
    with unit_of_work():
        again = corrections.request(world.panel, mark.id, Decimal("9"), "再改", actor=world.chief)
    with pytest.raises(InvalidInput):
        corrections.refuse(again, "", actor=office, roles={corrections.STAFF})
    with unit_of_work():
        corrections.refuse(again, "没有依据", actor=office, roles={corrections.STAFF})
    with pytest.raises(Conflict):
        corrections.approve(again, actor=world.chief, roles=chief_roles)
    db.session.rollback()
    assert again.status == CorrectionStatus.REFUSED and db.session.get(Mark, mark.id).value == Decimal("6.5")
    assert [r.judge for r in corrections.rows([again])] and corrections.pending_of_event(world.event) == []


def test_a_third_marker_resolves_the_flag_and_the_two_closest_marks_count(db, app):
    world = build(spread_action="third_marker", judges=1)
    judges_per_attempt(world, quality=2, time=1)
    extra = next(db.session.get(type(world.judge), user_id) for user_id in world.members
                 if user_id not in (world.chief.id, world.judge.id, world.compatriot.id))
    put(world, world.judge, [(0, "quality", "3"), (1, "quality", "3"), (2, "quality", "5"), (0, "time", "40"),
                             (1, "time", "50"), (2, "time", "45")], submit=True)
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(InvalidInput, match="already"):
        put(world, world.compatriot, [(1, "time", "50")])    # the one judge the time needs has entered it
    put(world, world.compatriot, [(1, "quality", "8"), (2, "quality", "5")], submit=True)
    put(world, extra, [(0, "quality", "3")], submit=True)    # the extra judge owes nothing else
    flag = db.session.scalar(select(SpreadFlag))
    assert (flag.registration_id, flag.action, flag.resolved_at) == (world.entries[1].id, "third_marker", None)
    state = chief.progress(world.panel, world.scheme)
    sheets = {s.member_id: s for s in state.sheets}
    extra_sheet, compatriot_sheet = sheets[world.members[extra.id].id], sheets[world.members[world.compatriot.id].id]
    assert state.cell(extra_sheet, state.contestants[1], state.aspects[0], 1) == "spare"
    assert [s.id for s in state.candidates(flag)] == [extra_sheet.id]
    with pytest.raises(InvalidInput):
        third_markers.assign(world.panel, flag.id, compatriot_sheet.id, actor=world.chief)
    db.session.rollback()
    with unit_of_work():
        third_markers.assign(world.panel, flag.id, extra_sheet.id, actor=world.chief)
    assert told(third_markers.THIRD_KIND) == [extra.id]
    assert [(c.registration_id, a.key) for c, a, _n in marks.view_of(extra_sheet).missing()] == \
        [(world.entries[1].id, "quality")]
    with pytest.raises(Conflict):   # the lock waits for the third mark
        with unit_of_work():
            chief.lock_sheet(compatriot_sheet, actor=world.chief)
    put(world, extra, [(1, "quality", "7")])
    assert db.session.get(SpreadFlag, flag.id).resolved_at is not None
    assert db.session.scalar(select(ThirdMarker.marked_at)) is not None
    for sheet in state.sheets:
        with unit_of_work():
            chief.lock_sheet(sheet, actor=world.chief)
    rule = schemes.spec_of(schemes.definition_of(world.scheme.current)).components[0].criteria[0].aspects[0].rule
    figures = score_attempt(rule, [Decimal(3), Decimal(8), Decimal(7)])
    assert figures.aggregated.kept == (7, 8) and figures.value == Decimal("7.5")


def test_two_measurements_that_differ_flag_the_cell_until_they_agree(db):
    world = build(spread=None)
    judges_per_attempt(world, time=2)
    put(world, world.judge, [(i, key, "5" if key == "quality" else "40") for i in range(3)
                             for key in ("quality", "time")], submit=True)
    put(world, world.compatriot, [(i, key, "5" if key == "quality" else "41") for i in (1, 2)
                                  for key in ("quality", "time")], submit=True)
    flags = db.session.scalars(select(SpreadFlag).order_by(SpreadFlag.registration_id)).all()
    assert [(f.registration_id, f.action) for f in flags] == [(world.entries[1].id, "remark"),
                                                             (world.entries[2].id, "remark")]
    put(world, world.compatriot, [(1, "time", "40"), (2, "time", "40")], reason="重新测量")
    assert all(f.resolved_at is not None for f in db.session.scalars(select(SpreadFlag)))
    # re-marking is audited: the old value, who and why
    assert [(c.old_value, c.reason) for c in db.session.scalars(select(MarkChange))] == [(41, "重新测量")] * 2
    assert "scoring.mark_changed" in set(db.session.scalars(select(AuditEntry.action)))
    state = chief.progress(world.panel, world.scheme)
    plain = next(s for s in state.sheets if s.member_id == world.members[world.judge.id].id)
    assert state.problems(plain).count("missing") == 0
    # the time of the first contestant has one measurement of the two it needs: no sheet locks
    with pytest.raises(Conflict):
        with unit_of_work():
            chief.lock_sheet(plain, actor=world.chief)
