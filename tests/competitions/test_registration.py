"""Registration through the service: seats, waiting list, quotas, states, exam numbers."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.accounts.models import SkillLevel
from app.competitions.models import Channel, Registration, RegistrationStatus as Status
from app.competitions.services import events, registration
from app.core.errors import Conflict, Full, InvalidInput, NotEligible, PermissionDenied
from app.core.transaction import unit_of_work
from app.extensions import db
from app.notifications.models import Notification, OutboxMessage
from tests import factories as f


def _person(org=None, **kw):
    return f.PersonFactory(organisation_id=org.id if org else None, email="p@example.org", **kw)


def _self_register(event, person=None):
    user = f.UserFactory(person=person or _person())
    with unit_of_work():
        return registration.register(event, user.person, actor=user, channel=Channel.SELF)


def test_self_registration_with_a_unit_waits_for_the_unit():
    org = f.OrganisationFactory()
    reg = _self_register(f.EventFactory(), _person(org))
    assert reg.status == Status.SUBMITTED and reg.holds_seat


def test_self_registration_without_a_unit_goes_straight_to_staff():
    reg = _self_register(f.EventFactory())
    assert reg.status == Status.ENDORSED and reg.holds_seat


def test_full_event_puts_next_registrants_on_the_waiting_list_in_order():
    event = f.EventFactory(capacity=1)
    first, second, third = (_self_register(event) for _ in range(3))
    assert first.holds_seat and first.waitlist_position is None
    assert (second.status, second.waitlist_position) == (Status.WAITLISTED, 1)
    assert (third.status, third.waitlist_position) == (Status.WAITLISTED, 2)
    assert registration.waitlist_place(third) == 2
    assert db.session.get(type(event), event.id).seats_taken == 1


def test_withdrawal_promotes_the_first_on_the_waiting_list_and_tells_them():
    event = f.EventFactory(capacity=1)
    first, second, third = (_self_register(event) for _ in range(3))
    registration.withdraw(first, actor=first.person.user)
    db.session.refresh(second), db.session.refresh(third)
    assert second.holds_seat and second.status == Status.ENDORSED
    assert third.status == Status.WAITLISTED and registration.waitlist_place(third) == 1
    told = db.session.scalar(select(Notification).where(Notification.user_id == second.person.user.id,
                                                        Notification.dedup_key == f"registration:{second.id}:promoted"))
    assert "freed" in told.body and told.link == "/me/registrations"
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.body.contains("freed")))
    assert email.recipient == second.person.user.email


def test_a_person_without_an_account_is_told_by_e_mail_at_their_own_address():
    staff = f.staff()
    person = _person()
    with unit_of_work():
        entry = registration.register(f.EventFactory(), person, actor=staff, channel=Channel.STAFF)
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "p@example.org"))
    assert email.dedup_key == f"registration:{entry.id}:created" and entry.event.name in email.subject
    assert db.session.scalar(select(Notification.id)) is None


def test_a_new_entry_knows_its_place_from_the_counters_that_leaving_the_list_keeps():
    event = f.EventFactory(capacity=1)
    first, second, third = (_self_register(event) for _ in range(3))
    assert (second.place_at_entry, third.place_at_entry) == (1, 2)
    with unit_of_work():
        registration.withdraw(third, actor=third.person.user)      # leaves while waiting
        registration.withdraw(first, actor=first.person.user)      # second is promoted off the list
    stored = db.session.get(type(event), event.id)
    assert (stored.waitlist_issued, stored.waitlist_left, stored.waiting) == (2, 2, 0)
    fourth, fifth = _self_register(event), _self_register(event)
    assert (fourth.waitlist_position, fourth.place_at_entry) == (3, 1)
    assert (fifth.waitlist_position, fifth.place_at_entry) == (4, 2) == (4, registration.waitlist_place(fifth))
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == fifth.person.user.email)
                             .order_by(OutboxMessage.id.desc()))
    assert "in place 2" in mail.body


def test_a_quota_set_or_removed_tells_later_registrations_whether_to_look_for_one():
    org = f.OrganisationFactory()
    event = f.EventFactory(capacity=5)
    staff = f.staff()
    assert not db.session.get(type(event), event.id).has_unit_quotas
    first = _self_register(event, _person(org))
    assert not first.counts_against_quota
    events.set_quota(event, org, 2, actor=staff)
    db.session.refresh(event)
    assert event.has_unit_quotas
    assert _self_register(event, _person(org)).counts_against_quota
    with pytest.raises(Full):
        _self_register(event, _person(org))
    events.set_quota(event, org, None, actor=staff)
    db.session.refresh(event)
    assert not event.has_unit_quotas
    assert not _self_register(event, _person(org)).counts_against_quota


def test_rejection_needs_a_reason_and_frees_the_seat():
    staff = f.staff()
    event = f.EventFactory(capacity=1)
    first, second = _self_register(event), _self_register(event)
    with pytest.raises(InvalidInput):
        registration.reject(first, actor=staff, reason="  ")
    registration.reject(first, actor=staff, reason="材料不全")
    db.session.refresh(second)
    assert first.status == Status.REJECTED and first.reject_reason == "材料不全"
    assert second.holds_seat


def test_a_used_up_unit_quota_refuses_and_names_the_quota_without_waitlisting():
    org = f.OrganisationFactory(name="华北电网")
    event = f.EventFactory(capacity=5)
    events.set_quota(event, org, 1, actor=f.staff())
    _self_register(event, _person(org))
    with pytest.raises(Full, match="华北电网"):
        _self_register(event, _person(org))
    assert db.session.scalar(select(db.func.count(Registration.id))) == 1
    assert db.session.get(type(event), event.id).waitlist_issued == 0


def test_withdrawal_gives_the_quota_back():
    org = f.OrganisationFactory()
    event = f.EventFactory(capacity=5)
    events.set_quota(event, org, 1, actor=f.staff())
    reg = _self_register(event, _person(org))
    registration.withdraw(reg, actor=reg.person.user)
    assert _self_register(event, _person(org)).holds_seat


def test_registering_twice_gives_one_entry_and_a_clear_message():
    event = f.EventFactory()
    user = f.UserFactory()
    registration.register(event, user.person, actor=user, channel=Channel.SELF)
    with pytest.raises(Conflict, match="already registered"):
        registration.register(event, user.person, actor=user, channel=Channel.SELF)


def test_a_withdrawn_person_may_register_again():
    event = f.EventFactory()
    reg = _self_register(event)
    registration.withdraw(reg, actor=reg.person.user)
    again = registration.register(event, reg.person, actor=reg.person.user, channel=Channel.SELF)
    assert again.is_active and again.id != reg.id


def test_registration_outside_the_window_is_refused_but_staff_may_still_enter_people():
    closed = f.EventFactory(closes_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    with pytest.raises(registration.Closed):
        _self_register(closed)
    reg = registration.register(closed, _person(), actor=f.staff(), channel=Channel.STAFF)
    assert reg.status == Status.ENDORSED


def test_ineligible_people_are_told_every_reason():
    event = f.EventFactory(min_age=18, max_age=35, age_reference_date=date(2026, 6, 1), min_skill_level="3",
                           requires_member_unit=True)
    person = _person(birth_date=date(1980, 1, 1), skill_level=SkillLevel.LEVEL_4)
    with pytest.raises(NotEligible) as error:
        _self_register(event, person)
    message = error.value.message
    assert "at most 35" in message and "Level 3 (senior worker) or higher" in message and "member unit" in message


def test_at_most_n_events_per_person_in_one_competition():
    competition = f.CompetitionFactory(max_events_per_person=1)
    first, second = f.EventFactory(competition=competition), f.EventFactory(competition=competition)
    user = f.UserFactory()
    registration.register(first, user.person, actor=user, channel=Channel.SELF)
    with pytest.raises(NotEligible, match="at most 1"):
        registration.register(second, user.person, actor=user, channel=Channel.SELF)


def test_required_questions_must_be_answered():
    event = f.EventFactory(required_fields=["工作年限"])
    user = f.UserFactory()
    with pytest.raises(NotEligible, match="工作年限"):
        registration.register(event, user.person, actor=user, channel=Channel.SELF, answers={})
    reg = registration.register(event, user.person, actor=user, channel=Channel.SELF, answers={"工作年限": "8"})
    assert reg.answers == {"工作年限": "8"}


def test_only_the_units_liaison_endorses_and_staff_approve_with_an_exam_number():
    org, other = f.OrganisationFactory(), f.OrganisationFactory()
    event = f.EventFactory(code="WA", exam_number_pattern="{year}{event_code}{seq:04}")
    reg = _self_register(event, _person(org))
    with pytest.raises(PermissionDenied):
        registration.endorse(reg, actor=f.liaison(other))
    registration.endorse(reg, actor=f.liaison(org))
    approved = registration.approve(reg, actor=f.staff())
    assert (approved.status, approved.exam_number) == (Status.APPROVED, "2026WA0001")


def test_exam_numbers_count_up_per_event():
    staff = f.staff()
    event = f.EventFactory(code="JS")
    numbers = [registration.approve(_self_register(event), actor=staff).exam_number for _ in range(3)]
    assert numbers == ["2026JS0001", "2026JS0002", "2026JS0003"]


def test_approving_twice_is_refused():
    staff = f.staff()
    reg = registration.approve(_self_register(f.EventFactory()), actor=staff)
    with pytest.raises(registration.WrongState):
        registration.approve(reg, actor=staff)


def test_committee_staff_manage_only_their_committees_events():
    committee, other = f.CommitteeFactory(), f.CommitteeFactory()
    event = f.EventFactory(competition=f.CompetitionFactory(committee_id=committee.id))
    reg = _self_register(event)
    with pytest.raises(PermissionDenied):
        registration.approve(reg, actor=f.staff(other))
    assert registration.approve(reg, actor=f.staff(committee)).status == Status.APPROVED


def test_a_liaison_registers_their_units_people_only():
    org, other = f.OrganisationFactory(), f.OrganisationFactory()
    liaison = f.liaison(org)
    event = f.EventFactory()
    reg = registration.register(event, _person(org), actor=liaison, channel=Channel.LIAISON)
    assert reg.status == Status.ENDORSED
    with pytest.raises(PermissionDenied):
        registration.register(event, _person(other), actor=liaison, channel=Channel.LIAISON)


def test_raising_the_capacity_promotes_from_the_waiting_list():
    event = f.EventFactory(capacity=1)
    _self_register(event)
    waiting = _self_register(event)
    data = events.EventFields(code=event.code, name=event.name, capacity=2, opens_at=event.opens_at,
                              closes_at=event.closes_at)
    events.update_event(event, data, actor=f.staff())
    db.session.refresh(waiting)
    assert waiting.holds_seat


def test_capacity_cannot_drop_below_the_seats_taken():
    event = f.EventFactory(capacity=2)
    _self_register(event), _self_register(event)
    data = events.EventFields(code=event.code, name=event.name, capacity=1, opens_at=event.opens_at,
                              closes_at=event.closes_at)
    with pytest.raises(InvalidInput):
        events.update_event(event, data, actor=f.staff())


# --- teams -------------------------------------------------------------------------------

from app.competitions.models import TeamRole  # noqa: E402
from app.competitions.services import teams  # noqa: E402


def _team_event(**kw):
    return f.EventFactory(is_team=True, team_size_min=2, team_size_max=3, **kw)


def test_a_team_registers_as_one_entry_holding_one_seat():
    event = _team_event(capacity=1)
    a, b, coach = _person(), _person(), _person()
    with unit_of_work():
        entry = teams.register_team(event, "红队", [(a, TeamRole.CONTESTANT), (b, TeamRole.CONTESTANT),
                                                    (coach, TeamRole.COACH)], actor=f.staff(), channel=Channel.STAFF)
    assert entry.holds_seat and entry.team.name == "红队" and len(entry.team.members) == 3
    assert db.session.get(type(event), event.id).seats_taken == 1


def test_a_team_outside_the_size_limits_is_refused():
    with pytest.raises(InvalidInput, match="2 to 3"):
        teams.register_team(_team_event(), "小队", [(_person(), TeamRole.CONTESTANT)], actor=f.staff(),
                            channel=Channel.STAFF)


def test_nobody_sits_in_two_teams_of_one_event_until_the_first_team_leaves():
    event, staff = _team_event(), f.staff()
    a, b, c = _person(), _person(), _person()
    first = teams.register_team(event, "一队", [(a, TeamRole.CONTESTANT), (b, TeamRole.CONTESTANT)], actor=staff,
                                channel=Channel.STAFF)
    with pytest.raises(Conflict):
        teams.register_team(event, "二队", [(b, TeamRole.CONTESTANT), (c, TeamRole.CONTESTANT)], actor=staff,
                            channel=Channel.STAFF)
    registration.withdraw(first, actor=staff)
    second = teams.register_team(event, "二队", [(b, TeamRole.CONTESTANT), (c, TeamRole.CONTESTANT)], actor=staff,
                                 channel=Channel.STAFF)
    assert second.is_active


def test_every_team_member_must_be_eligible_and_is_named():
    event = _team_event(min_skill_level="2")
    good = _person(skill_level=SkillLevel.LEVEL_1)
    weak = _person(skill_level=SkillLevel.LEVEL_5, full_name="李弱")
    with pytest.raises(NotEligible, match="李弱"):
        teams.register_team(event, "队", [(good, TeamRole.CONTESTANT), (weak, TeamRole.CONTESTANT)],
                            actor=f.staff(), channel=Channel.STAFF)
