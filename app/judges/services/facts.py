"""What the panels need to know about events, told by the package that owns events.

Judges sit below competitions and never import it (DESIGN.md). Competitions provides, in its
hooks (app/competitions/hooks.py), the function registered under EVENT_FACTS: it answers
`EventFacts` for a set of event ids or for every event of some committees, in one call (a
handful of queries however many events): their names, the committee that runs each (the
panels' permission scope), their stages, and who their contestants are — the people and the
units the conflict rules keep judges away from. Every call asks afresh: a draw must see the
entries as they stand at that moment.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from flask_babel import gettext as _

from app.core import registry
from app.core.errors import NotFound
from app.core.permissions import Scope, ScopeType


@dataclass(frozen=True)
class EventFacts:
    """An event as the panels see it. Contestants are the active entries (submitted,
    endorsed, approved or waitlisted), team members included."""

    event_id: int
    name: str
    competition_name: str
    contestant_unit_ids: frozenset[int]
    contestant_person_ids: frozenset[int]
    committee_id: int | None = None          # None: the association itself runs it
    code: str | None = None                  # the event's code; a trade of the same code is its speciality
    stages: tuple[tuple[int, str], ...] = field(default_factory=tuple)   # (stage id, name), in order

    @property
    def scope(self) -> Scope:
        """Where the event's panels sit among the permission scopes: its committee, or nowhere."""
        return Scope() if self.committee_id is None else Scope.of(ScopeType.COMMITTEE, self.committee_id)

    @property
    def title(self) -> str:
        return f"{self.competition_name} · {self.name}"


# The provider's name in the registry, and what it answers: the facts of the events with
# these ids, or of every event of these committees (both given: both must hold), by event id;
# an event that does not exist is left out.
EVENT_FACTS = "judges.event_facts"
Provider = Callable[..., "dict[int, EventFacts]"]


def _provider() -> Provider:
    return registry.current().provider(EVENT_FACTS)


def facts_of(event_ids: Iterable[int]) -> dict[int, EventFacts]:
    """The facts of these events now, by id, in one call; ids of no event are left out."""
    wanted = frozenset(i for i in event_ids if type(i) is int and i > 0)
    return _provider()(event_ids=wanted) if wanted else {}


def facts_in_committees(committee_ids: Iterable[int]) -> dict[int, EventFacts]:
    """The facts of every event the committees run, by event id, in one call."""
    wanted = frozenset(committee_ids)
    return _provider()(committee_ids=wanted) if wanted else {}


def event_facts(event_id: int) -> EventFacts:
    """The event's facts now. Raises NotFound for an event that does not exist."""
    facts = facts_of([event_id]).get(event_id) if type(event_id) is int else None
    if facts is None:
        raise NotFound(_("No such event."))
    return facts
