"""What the judges' panels are told about events (app.judges.services.facts.EventFacts).

Judges sit below competitions and may not import it, so competitions answers for its events
here; app/competitions/hooks.py provides `facts_of_events` to the judges under EVENT_FACTS.
One call answers for a set of events or every event of some committees, in four queries
however many events (the panels list asks for a page of them at once).

The contestants are the active entries — submitted, endorsed, approved or waitlisted — and,
for a team, every active member of its team (a coach too: a judge who declared a coach may
not mark that team). Their units are the entry's unit, the team's unit and each member's
own unit.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Collection

from sqlalchemy import select

from app.accounts.models import Person
from app.competitions.models import ACTIVE, Competition, Event, Registration, Stage, Team, TeamMember
from app.extensions import db
from app.judges.services.facts import EventFacts


def facts_of_events(*, event_ids: Collection[int] | None = None,
                    committee_ids: Collection[int] | None = None) -> dict[int, EventFacts]:
    """The names, committee, stages and contestants now of the events with these ids, or of
    every event of these committees (both given: both must hold), by event id; an id of no
    event is left out."""
    query = (select(Event.id, Event.name, Event.code, Competition.name, Competition.committee_id)
             .join(Competition, Competition.id == Event.competition_id))
    if event_ids is not None:
        query = query.where(Event.id.in_(list(event_ids)))
    if committee_ids is not None:
        query = query.where(Competition.committee_id.in_(list(committee_ids)))
    events = db.session.execute(query).all()
    ids = [row[0] for row in events]
    if not ids:
        return {}
    persons: dict[int, set[int]] = defaultdict(set)
    units: dict[int, set[int]] = defaultdict(set)
    _entries_and_teams(ids, persons, units)
    stages: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for event_id, stage_id, stage_name in db.session.execute(
            select(Stage.event_id, Stage.id, Stage.name).where(Stage.event_id.in_(ids))
            .order_by(Stage.event_id, Stage.position, Stage.id)):
        stages[event_id].append((stage_id, stage_name))
    return {event_id: EventFacts(event_id=event_id, name=name, competition_name=competition_name,
                                 contestant_unit_ids=frozenset(units[event_id]),
                                 contestant_person_ids=frozenset(persons[event_id]),
                                 committee_id=committee_id, code=code, stages=tuple(stages[event_id]))
            for event_id, name, code, competition_name, committee_id in events}


def _entries_and_teams(event_ids: list[int], persons: dict[int, set[int]], units: dict[int, set[int]]) -> None:
    """Fill each event's contestant people and units from its active entries and their teams."""
    teams_of: dict[int, int] = {}   # team id -> event id
    for event_id, person_id, organisation_id, team_id in db.session.execute(
            select(Registration.event_id, Registration.person_id, Registration.organisation_id, Registration.team_id)
            .where(Registration.event_id.in_(event_ids), Registration.status.in_(ACTIVE))):
        persons[event_id].add(person_id)
        if organisation_id is not None:
            units[event_id].add(organisation_id)
        if team_id is not None:
            teams_of[team_id] = event_id
    if not teams_of:
        return
    for team_id, team_unit, person_id, person_unit in db.session.execute(
            select(Team.id, Team.organisation_id, TeamMember.person_id, Person.organisation_id)
            .outerjoin(TeamMember, (TeamMember.team_id == Team.id) & TeamMember.is_active)
            .outerjoin(Person, Person.id == TeamMember.person_id)
            .where(Team.id.in_(list(teams_of)))):
        event_id = teams_of[team_id]
        units[event_id].update(unit for unit in (team_unit, person_unit) if unit is not None)
        if person_id is not None:
            persons[event_id].add(person_id)
