"""What the judges' panels are told about an event (app.judges.services.facts.EventFacts).

Judges sit below competitions and may not import it, so competitions answers for its
events here and registers the answer with judges at import. The contestants are the active
entries — submitted, endorsed, approved or waitlisted — and, for a team, every active member
of its team (a coach too: a judge who declared a coach may not mark that team). Their units
are the entry's unit, the team's unit and each member's own unit.
"""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import Person
from app.competitions.models import ACTIVE, Competition, Event, Registration, Stage, Team, TeamMember
from app.extensions import db
from app.judges.services.facts import EventFacts, register_event_facts


def event_facts(event_id: int) -> EventFacts | None:
    """The event's names, committee, stages and contestants now; None for no such event."""
    row = db.session.execute(
        select(Event.id, Event.name, Event.code, Competition.name, Competition.committee_id)
        .join(Competition, Competition.id == Event.competition_id).where(Event.id == event_id)).first()
    if row is None:
        return None
    _, name, code, competition_name, committee_id = row
    persons: set[int] = set()
    units: set[int] = set()
    team_ids: set[int] = set()
    for person_id, organisation_id, team_id in db.session.execute(
            select(Registration.person_id, Registration.organisation_id, Registration.team_id)
            .where(Registration.event_id == event_id, Registration.status.in_(ACTIVE))):
        persons.add(person_id)
        if organisation_id is not None:
            units.add(organisation_id)
        if team_id is not None:
            team_ids.add(team_id)
    if team_ids:
        units.update(unit for unit in db.session.scalars(
            select(Team.organisation_id).where(Team.id.in_(team_ids))) if unit is not None)
        for person_id, organisation_id in db.session.execute(
                select(TeamMember.person_id, Person.organisation_id).join(Person, Person.id == TeamMember.person_id)
                .where(TeamMember.team_id.in_(team_ids), TeamMember.is_active)):
            persons.add(person_id)
            if organisation_id is not None:
                units.add(organisation_id)
    stages = tuple((stage_id, stage_name) for stage_id, stage_name in db.session.execute(
        select(Stage.id, Stage.name).where(Stage.event_id == event_id).order_by(Stage.position, Stage.id)))
    return EventFacts(event_id=event_id, name=name, competition_name=competition_name,
                      contestant_unit_ids=frozenset(units), contestant_person_ids=frozenset(persons),
                      committee_id=committee_id, code=code, stages=stages)


def register() -> None:
    """Tell the judges' panels where to ask about events."""
    register_event_facts(event_facts)
