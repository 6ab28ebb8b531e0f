"""Competitions tells the judges about events in batches (app/competitions/services/judging.py,
provided through app/competitions/hooks.py): one call answers for a set of events or for every
event of a committee, in the same few queries however many events it covers."""
from __future__ import annotations

from sqlalchemy import event as sa_event

from app.judges.services.facts import facts_in_committees, facts_of
from tests.factories import CommitteeFactory, CompetitionFactory, EventFactory, OrganisationFactory, PersonFactory
from tests.judges.panel_support import enter


def _events_with_an_entry_each(committee, count: int):
    competition = CompetitionFactory(committee_id=committee.id)
    found = {}
    for _ in range(count):
        unit = OrganisationFactory()
        event = EventFactory(competition=competition)
        enter(event, PersonFactory(organisation_id=unit.id), unit)
        found[event.id] = unit.id
    return found


def _queries_for(db, ask) -> int:
    sent = []

    def record(conn, cursor, statement, *args):
        sent.append(statement)
    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        ask()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    return len(sent)


def test_a_committee_is_answered_for_all_its_events_in_one_call(db):
    committee, other = CommitteeFactory(), CommitteeFactory()
    mine = _events_with_an_entry_each(committee, 3)
    _events_with_an_entry_each(other, 1)
    facts = facts_in_committees({committee.id})
    assert set(facts) == set(mine)
    assert all(facts[event_id].contestant_unit_ids == {unit_id} for event_id, unit_id in mine.items())
    assert all(f.committee_id == committee.id for f in facts.values())


def test_many_events_cost_no_more_queries_than_one(db):
    events = list(_events_with_an_entry_each(CommitteeFactory(), 5))
    one = _queries_for(db, lambda: facts_of(events[:1]))
    five = _queries_for(db, lambda: facts_of(events))
    assert five == one and len(facts_of(events)) == 5


def test_an_id_of_no_event_is_left_out(db):
    events = list(_events_with_an_entry_each(CommitteeFactory(), 1))
    assert set(facts_of([*events, 987654, -1, "x"])) == set(events)
