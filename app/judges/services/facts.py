"""What the panels need to know about an event, told by the package that owns events.

Judges sit below competitions and never import it (DESIGN.md). Competitions registers a
provider at import (app/competitions/services/judging.py) that answers `EventFacts` for an
event id: its names, the committee that runs it (the panels' permission scope), its stages,
and who its contestants are — the people and the units the conflict rules keep judges away
from. Every call asks afresh: a draw must see the entries as they stand at that moment.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask_babel import gettext as _

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


Provider = Callable[[int], "EventFacts | None"]
_provider: Provider | None = None


def register_event_facts(provider: Provider) -> Provider | None:
    """Install the function that answers EventFacts for an event id (None: no such event).
    Returns the one it replaces, so a test can put it back."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def event_facts(event_id: int) -> EventFacts:
    """The event's facts now. Raises NotFound for an event that does not exist."""
    if _provider is None:
        raise RuntimeError("no event facts provider is registered (app.competitions registers one at import)")
    facts = _provider(event_id) if isinstance(event_id, int) and event_id > 0 else None
    if facts is None:
        raise NotFound(_("No such event."))
    return facts
