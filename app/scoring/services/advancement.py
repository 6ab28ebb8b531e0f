"""Advancement (晋级): the best of a published result enter the next stage.

In competitions an entry (Registration) belongs to one event, one active entry per person; a
stage's contestants are those seated in its sessions. So the next stage that takes entries is
an event of its own (e.g. the national final after a provincial round): advancing the top N
(or the top share) of a scheme's current snapshot enters each of them there, through
competitions' own services — `registration.register` by staff, then `approve` — and records
an `Advancement` per contestant. Contestants sharing the last place that qualifies all advance.
A top share is a percentage of the ranked contestants, rounded half up, at least one.

Idempotent: a contestant already advanced to that event (an Advancement row), or already
entered there, is not entered again. All or nothing: a refusal (the target is full, a person
is not eligible) names the contestant and stops the whole advancement.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.competitions.models import Channel, Event, Registration, RegistrationStatus
from app.competitions.services import registration as entries
from app.core import audit
from app.core.errors import DomainError, InvalidInput
from app.core.locks import hold_row
from app.extensions import db
from app.scoring.models import MarkingScheme
from app.scoring.result_models import Advancement, ResultSnapshot
from app.scoring.services import publication


def how_many(ranked: int, *, top: int | None = None, share: Decimal | None = None) -> int:
    """The number of places that advance: N, or share % of the ranked (half up, at least 1)."""
    if (top is None) == (share is None):
        raise InvalidInput(_("Give either the number of contestants or the share that advance."), "top")
    if top is not None:
        if not 1 <= top <= 100000:
            raise InvalidInput(_("The number that advance is a whole number from 1."), "top")
        return top
    if not Decimal(0) < share <= Decimal(100):
        raise InvalidInput(_("The share that advance is above 0 and at most 100 percent."), "share")
    return max(1, int((share * ranked / 100).to_integral_value(rounding=ROUND_HALF_UP)))


def qualified(snapshot: ResultSnapshot, places: int) -> list[tuple[int, int]]:
    """(registration id, place) of the ranked contestants placed within `places`."""
    return [(int(c["id"]), c["place"]) for c in snapshot.outputs["contestants"]
            if c.get("place") is not None and c["place"] <= places]


def advanced_to(target: Event) -> dict[int, Advancement]:
    return {a.registration_id: a for a in db.session.scalars(
        select(Advancement).where(Advancement.target_event_id == target.id))}


def advance(scheme: MarkingScheme, target: Event, *, actor, top: int | None = None,
            share: Decimal | None = None) -> list[Advancement]:
    """Enter the best of the scheme's current published result in `target`; answers the
    advancements made now (those made before are left as they are)."""
    if target.id == scheme.event_id:
        raise InvalidInput(_("Please choose another event: the next stage's."), "target_event_id")
    hold_row(MarkingScheme, scheme.id)
    snapshot = publication.latest(scheme.id)
    if snapshot is None:
        raise InvalidInput(_("Publish the results before advancing anyone."), "target_event_id")
    ranked = sum(1 for c in snapshot.outputs["contestants"] if c.get("place") is not None)
    chosen = qualified(snapshot, how_many(ranked, top=top, share=share))
    done = advanced_to(target)
    sources = {r.id: r for r in db.session.scalars(select(Registration).where(
        Registration.id.in_([id_ for id_, _place in chosen])))}
    made = []
    for registration_id, place in chosen:
        source = sources.get(registration_id)
        if registration_id in done or source is None:
            continue
        person = db.session.get(Person, source.person_id)
        try:
            entry = entries.active_entry(target, person) or entries.register(
                target, person, actor=actor, channel=Channel.STAFF)
            if entry.status == RegistrationStatus.ENDORSED:
                entry = entries.approve(entry, actor=actor)
        except DomainError as error:
            error.message = _("%(name)s could not be entered: %(why)s", name=person.full_name, why=error.message)
            raise
        advancement = Advancement(snapshot_id=snapshot.id, registration_id=registration_id, target_event_id=target.id,
                                  entry_id=entry.id, place=place, created_by_id=getattr(actor, "id", None))
        db.session.add(advancement)
        made.append(advancement)
    db.session.flush()
    audit.record("scoring.advanced", scheme, actor=actor,
                 after={"version": snapshot.number, "event": target.name, "count": len(made)})
    return made
