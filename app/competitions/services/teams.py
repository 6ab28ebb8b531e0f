"""Team entries: a team registers as one entry, with its members.

Every contestant in the team must be eligible, and nobody may sit in two active teams of
the same event (a partial unique index on team_members guards the race). The entry's
`person_id` is the team's captain (its first contestant); the seat and the unit quota are
taken once, for the team, exactly as for an individual entry.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.competitions.models import Channel, Event, Registration, RegistrationStatus as Status, Team, TeamMember, TeamRole
from app.competitions.services.registration import (Closed, _check_may_register, _initial_status, _notify,
                                                     claim_place, eligibility_problems)
from app.core import audit, transaction
from app.core.errors import Conflict, InvalidInput, NotEligible, Problems
from app.core.time import utcnow
from app.extensions import db


def check_team(event: Event, name: str | None, members: list[tuple[Person, TeamRole]]) -> None:
    """Raises InvalidInput naming every problem of a team's name and make-up at once; changes nothing."""
    problems = Problems()
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        problems.add(_("Please name the team (at most 100 characters)."), "name")
    contestants = [person for person, role in members if role == TeamRole.CONTESTANT]
    if not event.team_size_min <= len(contestants) <= event.team_size_max:
        problems.add(_("A team has %(min)d to %(max)d contestants.", min=event.team_size_min,
                       max=event.team_size_max), "members")
    if len({person.id for person, _role in members}) != len(members):
        problems.add(_("A person appears twice in the team."), "members")
    problems.raise_any()


def check_team_members(event: Event, members: list[tuple[Person, TeamRole]]) -> None:
    """Raises naming every contestant who may not enter and everyone already in a team of the
    event at once (NotEligible or Conflict when only one kind is found); changes nothing."""
    problems = Problems()
    for person, role in members:
        if role == TeamRole.CONTESTANT and (reasons := eligibility_problems(event, person)):
            with problems.check():
                raise NotEligible(f"{person.full_name}: " + " ".join(reasons), field="members")
    taken = db.session.scalars(select(TeamMember.person_id).where(
        TeamMember.event_id == event.id, TeamMember.is_active,
        TeamMember.person_id.in_([person.id for person, _role in members]))).all()
    for person_id in dict.fromkeys(taken):
        with problems.check():
            raise Conflict(_("%(name)s is already in a team of this event.",
                             name=db.session.get(Person, person_id).full_name), field="members")
    problems.raise_any()


def register_team(event: Event, name: str, members: list[tuple[Person, TeamRole]], *, actor,
                  channel: Channel) -> Registration:
    """Enter a team; raises InvalidInput (size, name), NotEligible (naming the member),
    Conflict (someone already in a team of this event), Full (the unit's quota), Closed."""
    if not event.is_team:
        raise InvalidInput(_("This event is for individuals, not teams."))
    name = " ".join((name or "").split())
    contestants = [person for person, role in members if role == TeamRole.CONTESTANT]
    check_team(event, name, members)
    captain = contestants[0]
    _check_may_register(event, captain, actor, channel)
    if channel != Channel.STAFF and not event.is_open(utcnow()):
        raise Closed(_("Registration for this event is not open."))
    check_team_members(event, members)

    place, counts_against_quota = claim_place(event, captain)
    team = Team(event_id=event.id, name=name, organisation_id=captain.organisation_id,
                members=[TeamMember(event_id=event.id, person_id=person.id, role=role) for person, role in members])
    entry = Registration(event_id=event.id, person_id=captain.id, team=team, organisation_id=captain.organisation_id,
                         status=_initial_status(channel, captain.organisation_id) if place.has_seat
                         else Status.WAITLISTED,
                         holds_seat=place.has_seat, waitlist_position=place.position,
                         counts_against_quota=counts_against_quota,
                         channel=channel, submitted_by_id=actor.id)
    entry.place_at_entry = place.place
    db.session.add(entry)
    # a member may have joined another team a moment ago
    transaction.flush_or_refuse(Conflict(_("Someone in this team is already in a team of this event."),
                                         field="members"))
    audit.record("registration.created", entry, actor=actor, after={"team": name, "members": len(members)})
    _notify(entry, "created")
    return entry

