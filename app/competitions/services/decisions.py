"""Staff decisions on many entries at once: each entry is decided on its own, so one that
cannot be changed is listed with its reason and changes nothing, and the others go on.

Each entry is its own unit of work, committed (or rolled back) before the next begins: so
the event row it locks is let go at once. Holding every event's lock until the whole batch
ends would make registrants wait, and two batches locking events in different orders could
deadlock. Call these alone in the caller's unit of work: they commit what came before them.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Iterable

from flask_babel import gettext as _

from app.competitions.models import Registration
from app.competitions.services import registration
from app.competitions.services.access import event_scope
from app.core.errors import DomainError, InvalidInput
from app.core.permissions import has_permission
from app.core.transaction import unit_of_work
from app.extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decided:
    """One entry a decision was asked for: who, in which event, and why it failed (None: done)."""

    registration_id: int
    name: str
    event: str
    problem: str | None = None
    is_missing: bool = False  # no such entry, or one the actor may not see: nothing of it is named


@dataclass
class Decisions:
    done: list[Decided] = field(default_factory=list)
    failed: list[Decided] = field(default_factory=list)

    @property
    def found_none(self) -> bool:
        """Every entry asked for is unknown to the actor (then the answer is 404)."""
        return not self.done and all(decided.is_missing for decided in self.failed)


def approve_many(registration_ids: Iterable[int], *, actor) -> Decisions:
    """Approve each entry (each gets its exam number); one that cannot be approved is listed
    with its reason and changes nothing, and the others go on."""
    return _decide(registration_ids, lambda entry: registration.approve(entry, actor=actor), "approved", actor)


def reject_many(registration_ids: Iterable[int], *, actor, reason: str) -> Decisions:
    """Reject each entry with the one reason; raises InvalidInput when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Please give the reason for the rejection."), field="reason")
    return _decide(registration_ids, lambda entry: registration.reject(entry, actor=actor, reason=reason),
                   "rejected", actor)


def _decide(registration_ids: Iterable[int], action: Callable[[Registration], Registration], verb: str,
            actor) -> Decisions:
    decisions = Decisions()
    for registration_id in dict.fromkeys(registration_ids):  # once each, in the order given
        entry = db.session.get(Registration, registration_id)
        # Another committee's entry is as unknown as a missing one: its person and event stay unnamed.
        if entry is None or not has_permission(actor, "competitions.manage", event_scope(entry.event)):
            decisions.failed.append(Decided(registration_id, "", "", _("No such entry."), is_missing=True))
            continue
        about = Decided(entry.id, entry.person.full_name, entry.event.name)
        try:
            with unit_of_work():
                action(entry)
        except DomainError as error:  # rolled back: nothing of it is kept
            decisions.failed.append(Decided(about.registration_id, about.name, about.event, error.message))
        else:
            decisions.done.append(about)
    log.info("%d entries %s, %d refused, by user %s", len(decisions.done), verb, len(decisions.failed),
             getattr(actor, "id", None))
    return decisions
