"""Running a panel's draw through the service: the snapshot it draws from, the record and the
seats it writes, reproducing it from the record, impossible rules, and the conflict rules on
every path that seats a judge — the draw, a manual assignment and a replacement."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, update

from app.core.audit import AuditEntry
from app.core.errors import Conflict, Full, InvalidInput, NotEligible, PermissionDenied
from app.judges import draw as drawing, draw_record
from app.judges.models import (CompatriotRule, DeclaredConflict, Draw, JudgeProfile, MemberSource, MemberStatus,
                               Panel, PanelMember, PanelRole, PanelStatus, Qualification, SeedSource)
from app.judges.services import draws, panels, seats
from app.judges.services.facts import event_facts
from app.notifications.models import Notification, OutboxMessage
from tests.factories import CommitteeFactory, OrganisationFactory, PersonFactory, staff
from tests.judges.factories import SpecialityFactory, level
from tests.judges.panel_support import by_profile, event_with_contestants, judge, make_panel, members, panel_dates


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def secure() -> draws.DrawRequest:
    return draws.DrawRequest()


def witnessed(seed: str) -> draws.DrawRequest:
    return draws.DrawRequest(witnessed=True, seed=seed, witnesses="张监督、李公证")


def seat(panel: Panel, *, chiefs=(), judges=(), reserves=(), status=MemberStatus.INVITED) -> None:
    """Put a drawn panel's members in place directly, to test what happens after a draw."""
    from app.extensions import db
    for role, profiles in ((PanelRole.CHIEF, chiefs), (PanelRole.JUDGE, judges)):
        for profile in profiles:
            db.session.add(PanelMember(panel_id=panel.id, profile_id=profile.id, role=role, status=status,
                                       source=MemberSource.DRAW))
    for order, profile in enumerate(reserves, start=1):
        db.session.add(PanelMember(panel_id=panel.id, profile_id=profile.id, role=PanelRole.RESERVE,
                                   reserve_order=order, status=MemberStatus.STANDBY, source=MemberSource.DRAW))
    panel.status = PanelStatus.DRAWN
    db.session.commit()


# --- the draw and its record ---------------------------------------------------------------------

def test_a_draw_records_everything_invites_the_seated_and_keeps_reserves_on_standby(db):
    trade, unit = SpecialityFactory(), OrganisationFactory()
    event = event_with_contestants(unit)
    pool_ = [judge(trade, email=f"j{n}@example.org") for n in range(5)]
    panel = make_panel(event, trade, chiefs=1, judges=2, reserves=1)
    runner = staff()

    record = draws.run_draw(panel, secure(), actor=runner)

    assert record.seed_source == SeedSource.SECURE and re.fullmatch(r"[0-9a-f]{64}", record.seed)
    assert record.algorithm == drawing.ALGORITHM and record.ran_by_id == runner.id
    assert record.constraints["contestant_unit_ids"] == [unit.id]
    assert sorted(c["profile_id"] for c in record.candidates) == sorted(p.id for p in pool_)
    assert db.session.get(Panel, panel.id).status == PanelStatus.DRAWN
    assert db.session.get(Panel, panel.id).draw_id == record.id
    seated = {m.profile_id: m for m in members(panel)}
    result = record.result
    assert [pid for pid in result["chiefs"]] == [m.profile_id for m in seated.values() if m.role == PanelRole.CHIEF]
    assert sorted(result["judges"]) == sorted(m.profile_id for m in seated.values() if m.role == PanelRole.JUDGE)
    (reserve,) = [m for m in seated.values() if m.role == PanelRole.RESERVE]
    assert (reserve.profile_id, reserve.status, reserve.reserve_order) == (result["reserves"][0], MemberStatus.STANDBY, 1)
    assert {m.status for m in seated.values() if m.role != PanelRole.RESERVE} == {MemberStatus.INVITED}
    invited = {db.session.get(JudgeProfile, pid).person.email for pid in result["chiefs"] + result["judges"]}
    assert set(db.session.scalars(select(OutboxMessage.recipient))) == invited  # the reserve is not asked yet
    assert "panel.drawn" in actions(db)


def test_the_draw_is_the_pure_draw_of_the_stored_snapshot_and_seed(db):
    trade = SpecialityFactory()
    for n in range(6):
        judge(trade, unit=OrganisationFactory() if n % 2 else None)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=3, reserves=2)
    record = draws.run_draw(panel, witnessed("２０２６-开幕"), actor=staff())
    assert record.seed == "2026-开幕" and record.seed_source == SeedSource.WITNESSED
    assert record.witnesses == "张监督、李公证"
    again = drawing.draw(draw_record.candidates_from_json(record.candidates),
                         draw_record.constraints_from_json(record.constraints), "2026-开幕")
    assert draw_record.result_to_json(again) == record.result
    assert draws.verify(record) == []


def test_a_tampered_record_is_reported_with_each_difference(db):
    trade = SpecialityFactory()
    for _ in range(4):
        judge(trade)
    record = draws.run_draw(make_panel(event_with_contestants(), trade, chiefs=1, judges=1, reserves=1),
                            secure(), actor=staff())
    chief, (judge_,) = record.result["chiefs"], record.result["judges"]
    tampered = record.result | {"chiefs": [judge_], "judges": chief}
    db.session.execute(update(Draw).where(Draw.id == record.id).values(result=tampered))
    db.session.commit()
    differences = draws.verify(db.session.get(Draw, record.id))
    assert {d.what for d in differences} == {"chiefs", "judges"}
    assert next(d for d in differences if d.what == "chiefs").stored == [judge_]


def test_a_record_of_another_algorithm_is_not_recomputed_by_this_one(db):
    trade = SpecialityFactory()
    judge(trade)
    record = draws.run_draw(make_panel(event_with_contestants(), trade, chiefs=1, judges=0, reserves=0),
                            secure(), actor=staff())
    db.session.execute(update(Draw).where(Draw.id == record.id).values(algorithm="something-else/v0"))
    db.session.commit()
    (difference,) = draws.verify(db.session.get(Draw, record.id))
    assert (difference.what, difference.stored) == ("algorithm", "something-else/v0")


def test_a_second_draw_is_told_who_drew_the_panel_and_when_and_changes_nothing(db):
    trade = SpecialityFactory()
    for _ in range(3):
        judge(trade)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=1, reserves=0)
    first = staff()
    first.person.full_name = "周抽签"
    db.session.commit()
    draws.run_draw(panel, secure(), actor=first)
    with pytest.raises(Conflict, match="already drawn by 周抽签 at 20"):
        draws.run_draw(panel, secure(), actor=staff())
    assert count(db, Draw) == 1 and count(db, PanelMember) == 2


@pytest.mark.parametrize("asked, field", [
    (draws.DrawRequest(witnessed=True, seed="   ", witnesses="张三"), "seed"),
    (draws.DrawRequest(witnessed=True, seed="x" * 201, witnesses="张三"), "seed"),
    (draws.DrawRequest(witnessed=True, seed="2026", witnesses="  "), "witnesses"),
    (draws.DrawRequest(witnesses="名" * 1001), "witnesses"),
])
def test_a_bad_seed_or_missing_witnesses_are_refused_before_anything_is_written(db, asked, field):
    trade = SpecialityFactory()
    judge(trade)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=0, reserves=0)
    with pytest.raises(InvalidInput) as refused:
        draws.run_draw(panel, asked, actor=staff())
    assert refused.value.field == field
    assert count(db, Draw) == 0 and db.session.get(Panel, panel.id).status == PanelStatus.OPEN


def test_staff_of_another_committee_may_not_draw(db):
    trade = SpecialityFactory()
    judge(trade)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=0, reserves=0)
    with pytest.raises(PermissionDenied):
        draws.run_draw(panel, secure(), actor=staff(CommitteeFactory()))
    assert count(db, Draw) == 0


# --- impossible rules ----------------------------------------------------------------------------

def test_an_impossible_draw_names_the_rule_and_the_shortfall_and_writes_nothing(db):
    trade = SpecialityFactory()
    for _ in range(3):
        judge(trade)
    for _ in range(2):
        judge(trade, qualified=False)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=4, reserves=1)
    before = actions(db)
    with pytest.raises(draws.DrawInfeasible) as refused:
        draws.run_draw(panel, secure(), actor=staff())
    assert refused.value.message == ("Only 3 of them hold a certificate valid for these dates; 5 are needed "
                                     "(2 short).")
    assert refused.value.infeasible.code == "qualification"
    assert {e.code for reasons in refused.value.infeasible.excluded.values() for e in reasons} == {"qualification"}
    assert count(db, Draw) == 0 and count(db, PanelMember) == 0 and actions(db) == before
    assert db.session.get(Panel, panel.id).status == PanelStatus.OPEN


def test_a_unit_cap_that_cannot_be_met_is_named_with_its_number(db):
    trade, unit = SpecialityFactory(), OrganisationFactory()
    for _ in range(3):
        judge(trade, unit=unit)
    judge(trade)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=2, reserves=0, max_per_unit=1)
    with pytest.raises(draws.DrawInfeasible, match=r"^With at most 1 judges from one unit, only 2 seats can be "
                                                   r"filled; 3 are needed \(1 short\)\.$"):
        draws.run_draw(panel, secure(), actor=staff())


def test_conflicts_that_leave_too_few_are_named(db):
    trade, unit = SpecialityFactory(), OrganisationFactory()
    judge(trade, unit=unit)
    judge(trade)
    panel = make_panel(event_with_contestants(unit), trade, chiefs=1, judges=1, reserves=0)
    with pytest.raises(draws.DrawInfeasible, match="Only 1 of them have no conflict with this event's contestants"):
        draws.run_draw(panel, secure(), actor=staff())


def test_every_rule_the_draw_can_blame_has_its_own_message_with_the_numbers(db):
    trade = SpecialityFactory(name="焊工")
    panel = make_panel(event_with_contestants(), trade, min_level_id=level("provincial").id)
    codes = ("pool", *drawing.FILTERS, "unit_cap", "region_cap")
    messages = {code: draws.infeasible_message(drawing.Infeasible(code, {
        "needed": 5, "available": 3, "short": 2, "max_per_unit": 1, "max_per_region": 2}), panel) for code in codes}
    assert len(set(messages.values())) == len(codes)
    assert all("3" in text and "5 are needed (2 short)" in text for text in messages.values()), messages
    assert "焊工" in messages["speciality"] and "Provincial" in messages["level"]  # an English message: its name
    assert panel.starts_on.isoformat() in messages["availability"]
    assert "at most 1 judges from one unit" in messages["unit_cap"]
    assert "at most 2 judges from one region" in messages["region_cap"]


# --- the conflict rules, on every path -----------------------------------------------------------

def declare(profile: JudgeProfile, *, unit=None, person=None) -> DeclaredConflict:
    from app.extensions import db
    conflict = DeclaredConflict(profile_id=profile.id, organisation_id=unit.id if unit else None,
                                person_id=person.id if person else None, reason="亲属")
    db.session.add(conflict)
    db.session.commit()
    return conflict


def test_the_draw_leaves_out_compatriots_and_declared_conflicts_with_their_reasons(db):
    trade, unit, other = SpecialityFactory(), OrganisationFactory(name="华东电力"), OrganisationFactory()
    contestant = PersonFactory(full_name="赵选手")
    event = event_with_contestants(unit, persons=[contestant])
    compatriot = judge(trade, unit=unit)
    declared_unit = declare(judge(trade, unit=other), unit=unit).profile
    declared_person = declare(judge(trade), person=contestant).profile
    clean = [judge(trade) for _ in range(3)]
    panel = make_panel(event, trade, chiefs=1, judges=2, reserves=0)

    record = draws.run_draw(panel, secure(), actor=staff())

    assert set(by_profile(panel)) == {p.id for p in clean}
    excluded = record.result["excluded"]
    assert [e["code"] for e in excluded[str(compatriot.id)]] == ["compatriot"]
    assert [e["code"] for e in excluded[str(declared_unit.id)]] == ["declared_unit"]
    assert [e["code"] for e in excluded[str(declared_person.id)]] == ["declared_person"]
    texts = draws.exclusion_texts(draw_record.result_from_json(record.result).excluded)
    assert texts[compatriot.id] == ["from the unit of a contestant (华东电力)"]
    assert texts[declared_person.id] == ["declared a conflict with a contestant (赵选手)"]


def test_under_the_withhold_rule_a_compatriot_may_sit_and_is_told_whose_sheets_are_withheld(db):
    trade, unit = SpecialityFactory(), OrganisationFactory(name="华东电力")
    compatriot = judge(trade, unit=unit)
    panel = make_panel(event_with_contestants(unit), trade, chiefs=1, judges=0, reserves=0,
                       compatriot_rule=CompatriotRule.WITHHOLD)
    draws.run_draw(panel, secure(), actor=staff())
    (assignment,) = panels.assignments_of(compatriot)
    assert assignment.withheld_unit.name == "华东电力"


def test_an_entry_withdrawn_is_no_longer_a_contestant(db):
    from app.competitions.models import RegistrationStatus
    from tests.judges.panel_support import enter
    trade, unit = SpecialityFactory(), OrganisationFactory()
    event = event_with_contestants()
    entry = enter(event, PersonFactory(organisation_id=unit.id), unit, status=RegistrationStatus.WITHDRAWN)
    assert event_facts(event.id).contestant_unit_ids == frozenset()
    assert entry.person_id not in event_facts(event.id).contestant_person_ids


def test_a_judge_seated_on_another_panel_at_an_overlapping_time_is_busy_but_a_reserve_there_is_not(db):
    trade = SpecialityFactory()
    seated_elsewhere, reserve_elsewhere, free = judge(trade), judge(trade), judge(trade)
    other = make_panel(event_with_contestants(), trade, chiefs=1, judges=0, reserves=0)
    seat(other, chiefs=[seated_elsewhere], reserves=[reserve_elsewhere])
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=1, reserves=0)
    record = draws.run_draw(panel, secure(), actor=staff())
    assert set(by_profile(panel)) == {reserve_elsewhere.id, free.id}
    first, last = panel_dates()
    assert record.result["excluded"][str(seated_elsewhere.id)] == [
        {"code": "busy", "params": {"from": first.isoformat(), "to": last.isoformat()}}]


def drawn_panel(trade, event=None, **rules) -> Panel:
    """An empty panel marked drawn, for manual assignments and replacements."""
    panel = make_panel(event or event_with_contestants(), trade, **({"chiefs": 1, "judges": 2, "reserves": 0} | rules))
    seat(panel)
    return panel


def test_manual_assignment_refuses_a_compatriot_with_the_reason(db):
    trade, unit = SpecialityFactory(), OrganisationFactory(name="华东电力")
    panel = drawn_panel(trade, event_with_contestants(unit))
    with pytest.raises(NotEligible) as refused:
        seats.assign(panel, judge(trade, unit=unit, name="钱同乡").id, PanelRole.JUDGE, actor=staff())
    assert refused.value.message == "钱同乡 cannot sit on this panel: from the unit of a contestant (华东电力)."
    assert count(db, PanelMember) == 0


def test_a_judge_who_competes_in_the_event_is_refused_even_where_compatriots_may_sit(db):
    trade = SpecialityFactory()
    competing = judge(trade, name="周选手")
    event = event_with_contestants(persons=[competing.person])
    panel = drawn_panel(trade, event, compatriot_rule=CompatriotRule.WITHHOLD)
    with pytest.raises(NotEligible) as refused:
        seats.assign(panel, competing.id, PanelRole.JUDGE, actor=staff())
    assert refused.value.message == "周选手 cannot sit on this panel: is a contestant of this event."
    assert count(db, PanelMember) == 0


def test_manual_assignment_refuses_a_declared_conflict_and_every_other_reason(db):
    trade, unit = SpecialityFactory(), OrganisationFactory(name="华东电力")
    panel = drawn_panel(trade, event_with_contestants(unit))
    conflicted = declare(judge(trade, available=False, name="孙亲属"), unit=unit).profile
    with pytest.raises(NotEligible) as refused:
        seats.assign(panel, conflicted.id, PanelRole.RECORDER, actor=staff())
    first, last = panel_dates()
    assert refused.value.message == (
        f"孙亲属 cannot sit on this panel: not declared available on every day from {first.isoformat()} to "
        f"{last.isoformat()}; declared a conflict with a contestant's unit (华东电力).")


def test_manual_assignment_refuses_a_judge_who_breaks_the_unit_cap(db):
    trade, unit = SpecialityFactory(), OrganisationFactory()
    panel = drawn_panel(trade, max_per_unit=1)
    seats.assign(panel, judge(trade, unit=unit).id, PanelRole.JUDGE, actor=staff())
    with pytest.raises(NotEligible, match="more than 1 judges of one unit"):
        seats.assign(panel, judge(trade, unit=unit).id, PanelRole.CHIEF, actor=staff())
    # a recorder holds no capped seat
    seats.assign(panel, judge(trade, unit=unit).id, PanelRole.RECORDER, actor=staff())


def test_manual_assignment_seats_an_eligible_judge_and_invites_them(db):
    trade = SpecialityFactory()
    panel = drawn_panel(trade)
    chosen = judge(trade, email="new@example.org")
    member = seats.assign(panel, chosen.id, PanelRole.CHIEF, actor=staff())
    assert (member.role, member.status, member.source) == (PanelRole.CHIEF, MemberStatus.INVITED, MemberSource.MANUAL)
    assert db.session.scalar(select(OutboxMessage.recipient)) == "new@example.org"   # no account: e-mail only
    assert db.session.scalar(select(OutboxMessage.dedup_key)) == f"panel:{panel.id}:invited:{member.id}"
    with pytest.raises(Full):
        seats.assign(panel, judge(trade).id, PanelRole.CHIEF, actor=staff())
    with pytest.raises(Conflict, match="on this panel already"):
        seats.assign(panel, chosen.id, PanelRole.JUDGE, actor=staff())


def test_manual_assignment_waits_for_the_draw(db):
    trade = SpecialityFactory()
    panel = make_panel(event_with_contestants(), trade)
    with pytest.raises(Conflict, match="Draw the panel first"):
        seats.assign(panel, judge(trade).id, PanelRole.JUDGE, actor=staff())


def test_a_decline_invites_the_next_reserve_in_the_seat(db):
    trade = SpecialityFactory()
    chief, leaving = judge(trade), judge(trade, with_login=True)
    first, second = judge(trade, email="first@example.org"), judge(trade)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=1, reserves=2)
    seat(panel, chiefs=[chief], judges=[leaving], reserves=[first, second])

    seats.decline(by_profile(panel)[leaving.id], "生病", actor=leaving.person.user)

    now = by_profile(panel)
    assert (now[leaving.id].status, now[leaving.id].decline_reason) == (MemberStatus.DECLINED, "生病")
    called = now[first.id]
    assert (called.role, called.status, called.source, called.replaces_id) == (
        PanelRole.JUDGE, MemberStatus.INVITED, MemberSource.REPLACEMENT, now[leaving.id].id)
    assert now[second.id].status == MemberStatus.STANDBY
    assert "panel.reserve_called" in actions(db)
    assert db.session.scalar(select(OutboxMessage.recipient)) == "first@example.org"


@pytest.mark.parametrize("what_changed", ["declared a conflict", "certificate removed", "left the pool",
                                          "seated elsewhere"])
def test_a_replacement_passes_over_a_reserve_who_may_no_longer_sit(db, what_changed):
    trade, unit = SpecialityFactory(), OrganisationFactory()
    event = event_with_contestants(unit)
    chief, leaving = judge(trade), judge(trade)
    stale, next_ = judge(trade), judge(trade)
    panel = make_panel(event, trade, chiefs=1, judges=1, reserves=2)
    seat(panel, chiefs=[chief], judges=[leaving], reserves=[stale, next_])
    if what_changed == "declared a conflict":
        declare(stale, unit=unit)
    elif what_changed == "certificate removed":
        db.session.execute(Qualification.__table__.delete().where(Qualification.profile_id == stale.id))
    elif what_changed == "left the pool":
        stale.is_active = False
    else:
        seat(make_panel(event_with_contestants(), trade, chiefs=1, judges=0, reserves=0), chiefs=[stale])
    db.session.commit()

    seats.remove_member(by_profile(panel)[leaving.id], "换人", actor=staff())

    now = by_profile(panel)
    assert now[next_.id].status == MemberStatus.INVITED and now[next_.id].role == PanelRole.JUDGE
    assert now[stale.id].status == MemberStatus.STANDBY  # passed over, still in line
    reason = db.session.scalar(select(AuditEntry.reason).where(AuditEntry.action == "panel.reserve_passed_over"))
    assert reason


def test_a_replacement_keeps_the_unit_cap(db):
    trade, unit_a, unit_b = SpecialityFactory(), OrganisationFactory(), OrganisationFactory()
    chief, leaving = judge(trade, unit=unit_a), judge(trade, unit=unit_b)
    same_unit, other_unit = judge(trade, unit=unit_a), judge(trade)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=1, reserves=2, max_per_unit=1)
    seat(panel, chiefs=[chief], judges=[leaving], reserves=[same_unit, other_unit])
    seats.remove_member(by_profile(panel)[leaving.id], None, actor=staff())
    now = by_profile(panel)
    assert now[same_unit.id].status == MemberStatus.STANDBY
    assert now[other_unit.id].status == MemberStatus.INVITED
    assert "more than 1 judges of one unit" in db.session.scalar(
        select(AuditEntry.reason).where(AuditEntry.action == "panel.reserve_passed_over"))


def test_with_no_reserve_left_the_panel_is_short_and_staff_are_told(db):
    trade = SpecialityFactory()
    chief, leaving = judge(trade), judge(trade, with_login=True)
    creator = staff()
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=1, reserves=0, actor=creator)
    seat(panel, chiefs=[chief], judges=[leaving])
    seats.decline(by_profile(panel)[leaving.id], None, actor=leaving.person.user)
    assert panels.seats_of(db.session.get(Panel, panel.id)).short == 1
    assert "panel.short" in actions(db)
    assert db.session.scalar(select(OutboxMessage.recipient)) == creator.email
    [told] = db.session.scalars(select(Notification).where(Notification.user_id == creator.id))
    assert (told.kind, told.link) == ("panel.staff_notice", f"/judges/panels/{panel.id}")
    assert panel.name in told.title and panel.name in told.body and "1" in told.body


def test_a_judge_with_an_account_finds_the_invitation_in_their_inbox(db):
    trade = SpecialityFactory()
    panel = drawn_panel(trade)
    chosen = judge(trade, with_login=True)
    member = seats.assign(panel, chosen.id, PanelRole.CHIEF, actor=staff())
    user = chosen.person.user
    [told] = db.session.scalars(select(Notification).where(Notification.user_id == user.id))
    assert (told.kind, told.dedup_key, told.link) == ("panel.invitation", f"panel:{panel.id}:invited:{member.id}",
                                                      "/judges/me")
    assert panel.name in told.body and panel.starts_on.isoformat() in told.body
    assert db.session.scalar(select(OutboxMessage.recipient).where(OutboxMessage.dedup_key.startswith("notify:"))) \
        == user.email
