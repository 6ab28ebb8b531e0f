"""Running an event's station draw (抽签) and checking it later.

The draw itself is app.competitions.station_draw, a pure function. This module feeds it —
the scope's sessions with their stations in service and the event's approved entries with
their contestants and the sessions each cannot take (a contestant booked elsewhere at that
time: the draw places them around it, so no seed has to be tried again) — and writes what
came out in one transaction: the `StationDraw` record (seed, how it was chosen, witnesses,
algorithm, rules, snapshot, result), a `SessionSeat` per contestant (source DRAW) with its
person booked for the session, and the audit line.

One draw per scope: a second draw is refused while the scope's sessions hold seats (moves
and late entries change seats, never the record). Both draws of a race take the named lock
STATION_SEATS first, so the second waits and then sees the first one's seats.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.competitions import station_draw as sd
from app.competitions import station_draw_record as draw_record
from app.competitions.models import Event, Registration, SeatSource, Stage, StationDraw
from app.competitions.services import seats as seating
from app.competitions.services.access import event_scope
from app.core import audit, seeded_draw
from app.core.errors import Conflict, InvalidInput
from app.core.permissions import require
from app.core.time import to_local, utcnow
from app.extensions import db
from app.judges.models import SeedSource
from app.judges.services.draws import Difference

log = logging.getLogger(__name__)


@dataclass
class DrawRequest:
    """How the seed comes: from the secure random source, or typed in front of witnesses."""

    witnessed: bool = False
    seed: str | None = None
    witnesses: str | None = None


class DrawRefused(Conflict):
    """The entries cannot be seated; `infeasible` carries the rule and the numbers."""

    code = "station_draw_infeasible"

    def __init__(self, message: str, infeasible: sd.Infeasible):
        super().__init__(message)
        self.infeasible = infeasible


def _seed(request: DrawRequest) -> tuple[str, SeedSource, str | None]:
    try:
        seed = seeded_draw.choose_seed(witnessed=request.witnessed, typed=request.seed, witnesses=request.witnesses)
    except seeded_draw.SeedRefused as refused:
        if refused.reason == "too_long":
            raise InvalidInput(_("At most %(n)d characters.", n=seeded_draw.MAX_WITNESSES), field="witnesses") from None
        if refused.reason == "invalid":
            raise InvalidInput(_("Please type the seed the witnesses agreed on (1 to %(n)d characters).",
                                 n=seeded_draw.MAX_SEED_LENGTH), field="seed") from None
        raise InvalidInput(_("A seed typed by hand needs the names of the witnesses who saw it."),
                           field="witnesses") from None
    return seed.value, SeedSource.WITNESSED if seed.is_witnessed else SeedSource.SECURE, seed.witnesses


def refusal_message(error: sd.Infeasible) -> str:
    """Why the entries cannot be seated, with the numbers, in the reader's language."""
    p = error.params
    if error.code == "capacity":
        return _("%(needed)d contestants to seat but only %(places)d stations in service in the sessions "
                 "(%(short)d short).", needed=p["needed"], places=p["places"], short=p["needed"] - p["places"])
    if error.code == "team_too_large":
        return _("A team of %(size)d needs adjacent stations in one session, but the largest session has "
                 "%(largest)d stations in service.", size=p["size"], largest=p["largest"])
    if error.code == "teams":
        return _("The %(teams)d teams cannot each sit together in one session (%(needed)d contestants, "
                 "%(places)d stations in service): add stations or a session.", teams=p["teams"],
                 needed=p["needed"], places=p["places"])
    if error.code == "blocked":
        entry = db.session.get(Registration, p["registration_id"])
        name = (entry.team.name if entry.team else entry.person.full_name) if entry else "?"
        return _("%(name)s is booked elsewhere at the time of every session that still has room for them.",
                 name=name)
    return _("One person is a contestant of two entries; please correct the entries first.")


def stage_of(event: Event, stage_id: int | None) -> Stage | None:
    """The event's stage, or None for the whole event. Raises InvalidInput for another's stage."""
    if stage_id is None:
        return None
    stage = db.session.get(Stage, stage_id) if isinstance(stage_id, int) and 0 < stage_id < 2**31 else None
    if stage is None or stage.event_id != event.id:
        raise InvalidInput(_("Please choose a stage of this event."), field="stage_id")
    return stage


def draws_of(event_id: int) -> list[StationDraw]:
    """The event's draws, newest first."""
    return list(db.session.scalars(select(StationDraw).where(StationDraw.event_id == event_id)
                                   .order_by(StationDraw.ran_at.desc(), StationDraw.id.desc())))


def latest_draw(event_id: int, stage_id: int | None) -> StationDraw | None:
    query = select(StationDraw).where(StationDraw.event_id == event_id).order_by(StationDraw.id.desc())
    query = query.where(StationDraw.stage_id.is_(None) if stage_id is None else StationDraw.stage_id == stage_id)
    return db.session.scalars(query.limit(1)).first()


def already_drawn(event_id: int, stage_id: int | None) -> Conflict:
    """The answer for a second draw: who drew the scope, and when (or that seats were given by hand)."""
    record = latest_draw(event_id, stage_id)
    if record is None:
        return Conflict(_("The sessions already have seats; a draw places only sessions without any."))
    ran_by = db.session.get(User, record.ran_by_id) if record.ran_by_id else None
    when = to_local(record.ran_at, current_app.config["JIYI_TIMEZONE"]).strftime("%Y-%m-%d %H:%M")
    return Conflict(_("The stations were already drawn by %(name)s at %(time)s.",
                      name=ran_by.display_name if ran_by else _("the system"), time=when))


def run_draw(event: Event, request: DrawRequest, *, actor, stage_id: int | None = None) -> StationDraw:
    """Draw sessions and stations for the event's approved entries (or a stage's sessions).

    Raises PermissionDenied; InvalidInput for a bad seed, missing witnesses or another
    event's stage; Conflict when the scope already has seats (who drew it, when), when
    there are no sessions with stations or no approved entries, or for a clash of a
    contestant's bookings (named); DrawRefused with the numbers when they cannot be seated.
    On any of them nothing is written.
    """
    require(actor, "competitions.manage", event_scope(event))
    stage = stage_of(event, stage_id)
    seed, source, witnesses = _seed(request)
    seating.lock_seats()
    stage_id = stage.id if stage else None
    if seating.seats_of(event.id, stage_id):
        raise already_drawn(event.id, stage_id)
    sessions = seating.sessions_of(event.id, stage_id)
    slots = [seating.slot_of(session) for session in sessions]
    if not any(slot.capacity for slot in slots):
        raise Conflict(_("There are no sessions with stations in service to draw for."))
    approved = seating.approved_entries(event.id)
    if not approved:
        raise Conflict(_("There are no approved entries to place."))
    people = {entry.id: seating.contestants_of(entry) for entry in approved}
    busy = seating.blocked_sessions({p for persons in people.values() for p in persons}, sessions)
    entries = [sd.Entry(entry.id, entry.organisation_id, people[entry.id],
                        frozenset().union(*(busy.get(p, frozenset()) for p in people[entry.id])))
               for entry in approved]
    rules = sd.Rules()
    try:
        result = sd.draw(slots, entries, seed, rules)
    except sd.Infeasible as error:
        raise DrawRefused(refusal_message(error), error) from None
    record = StationDraw(event_id=event.id, stage_id=stage_id, seed=seed, seed_source=source.value,
                         algorithm=sd.ALGORITHM, rules=draw_record.rules_to_json(rules),
                         snapshot=draw_record.snapshot_to_json(slots, entries),
                         result=draw_record.result_to_json(result),
                         witnesses=witnesses, ran_by_id=getattr(actor, "id", None), ran_at=utcnow())
    db.session.add(record)
    db.session.flush()
    seating.make_seats([(s.session_id, s.station_id, s.registration_id, s.person_id) for s in result.seats],
                       source=SeatSource.DRAW, draw_id=record.id, actor=actor)
    audit.record("station_draw.made", record, actor=actor,
                 after={"event_id": event.id, "stage_id": stage_id, "seed_source": source.value,
                        "witnesses": witnesses, "entries": len(entries), "seats": len(result.seats)})
    log.info("station draw %s of event %s (stage %s) by user %s: %d seats", record.id, event.id, stage_id,
             getattr(actor, "id", None), len(result.seats))
    return record


# --- checking a draw --------------------------------------------------------------------------

def verify(record: StationDraw) -> list[Difference]:
    """Recompute the draw from its stored seed, rules and snapshot; [] when it gives the stored
    result exactly, else every difference (seat by seat)."""
    if record.algorithm != sd.ALGORITHM:
        return [Difference("algorithm", record.algorithm, sd.ALGORITHM)]
    try:
        rules = draw_record.rules_from_json(record.rules)
        sessions, entries = draw_record.snapshot_from_json(record.snapshot)
        again = draw_record.result_to_json(sd.draw(sessions, entries, record.seed, rules))
    except sd.Infeasible as error:
        return [Difference("result", "drawn", f"infeasible: {error}")]
    except ValueError as error:
        return [Difference("record", "unreadable", str(error))]
    stored = record.result if isinstance(record.result, dict) else {}
    stored_seats = stored.get("seats") if isinstance(stored.get("seats"), list) else []
    differences = [Difference(f"seat {i + 1}", old, new) for i, (old, new) in
                   enumerate(zip(stored_seats, again["seats"])) if old != new]
    if len(stored_seats) != len(again["seats"]):
        differences.append(Difference("seats", len(stored_seats), len(again["seats"])))
    differences += [Difference(key, stored[key], None) for key in sorted(set(stored) - set(again))]
    return differences
