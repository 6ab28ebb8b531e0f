"""Sessions (场次) of an event, or of one of its stages: a room over [starts_at, ends_at), the
stations of that room it uses (all in service unless chosen), a capacity derived from them.

The room and every station a session uses are booked in scheduling (owner "contest_session",
the session's id), so a room booked twice or a station given twice is refused by the one
clash rule, with its reason. Editing re-books: the session's bookings are released and booked
again, with those of the judges of the panels judging it (their interval follows the session),
in one `book_all` and one transaction. Deleting releases.

Rules besides clashes:
- a session lies within the event's dates (Event.dates, local days in JIYI_TIMEZONE); an event
  without dates has no date rule;
- its stations are stations of its room;
- a session with seats is neither deleted nor moved: its room and times stand, and every
  seated station stays in use (renaming it and adding stations are fine). Moving it would move
  its contestants' bookings and places, which belong to the station draw: staff unseat first.

Who: `competitions.manage` in the event's committee (the event's setup permission); giving a
panel its session asks `judges.manage` too (app.judges.services.panel_sessions).

Lock order: the session row, then the judges' seat lock and panel rows, then the bookings'
rows (app.core.locks). Services flush; the caller commits once.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.competitions.models import ContestSession, Event, SessionSeat, Stage
from app.competitions.services.access import event_scope
from app.core import audit, locks
from app.core.errors import Conflict, InvalidInput, NotFound, Problems
from app.core.permissions import require
from app.core.time import association_zone
from app.extensions import db
from app.judges.models import Panel
from app.judges.services import panel_sessions
from app.scheduling.models import Room, Station
from app.scheduling.services import bookings
from app.scheduling.services.bookings import BookingRequest

log = logging.getLogger(__name__)

OWNER = "contest_session"
MAX_NAME = 100


@dataclass
class SessionFields:
    """What a form or an API call says about a session. `station_ids` None: every station of
    the room in service."""

    name: str | None
    room_id: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    stage_id: int | None = None
    station_ids: list[int] | None = field(default=None)
    station_numbers: list[int] | None = field(default=None)   # a form's way of naming them, when no ids


def session_or_404(session_id) -> ContestSession:
    session = db.session.get(ContestSession, session_id) if isinstance(session_id, int) else None
    if session is None:
        raise NotFound(_("No such session."))
    return session


def sessions_of(event: Event) -> list[ContestSession]:
    """The event's sessions, soonest first."""
    return list(db.session.scalars(select(ContestSession).where(ContestSession.event_id == event.id)
                                   .order_by(ContestSession.starts_at, ContestSession.id)))


def seats_taken(session_ids: list[int]) -> dict[int, int]:
    """How many seats each session has given, by session id (absent: none)."""
    if not session_ids:
        return {}
    return dict(db.session.execute(select(SessionSeat.session_id, func.count(SessionSeat.id))
                                   .where(SessionSeat.session_id.in_(session_ids))
                                   .group_by(SessionSeat.session_id)).all())


def snapshot(session: ContestSession) -> dict:
    return audit.snapshot(session, ContestSession.AUDITED) | {"station_ids": [s.id for s in session.stations]}


# --- checking ---------------------------------------------------------------------------------

def _local_day(value: datetime):
    return value.astimezone(association_zone()).date()


def _clean(event: Event, data: SessionFields, session: ContestSession | None) -> tuple[str, Room, list[Station]]:
    """The fields checked; raises InvalidInput naming every problem at once."""
    problems = Problems()
    name = " ".join((data.name or "").split())
    if not name:
        problems.add(_("Please name the session."), "name")
    elif len(name) > MAX_NAME:
        problems.add(_("At most %(n)d characters.", n=MAX_NAME), "name")
    elif db.session.scalar(select(ContestSession.id).where(
            ContestSession.event_id == event.id, ContestSession.name == name,
            ContestSession.id != (session.id if session is not None else 0)).limit(1)) is not None:
        problems.add(_("This event already has a session of this name."), "name")
    if data.stage_id is not None and db.session.scalar(
            select(Stage.id).where(Stage.id == data.stage_id, Stage.event_id == event.id)) is None:
        problems.add(_("Please choose a stage of this event."), "stage_id")
    room = db.session.get(Room, data.room_id) if isinstance(data.room_id, int) else None
    if room is None:
        problems.add(_("Please choose a room from the list."), "room_id")
    _check_times(event, data, problems)
    stations = _stations(room, data, problems) if room is not None else []
    problems.raise_any()
    return name, room, stations


def _check_times(event: Event, data: SessionFields, problems: Problems) -> None:
    if not bookings.interval_problems(data.starts_at, data.ends_at, problems):
        return
    first, last = event.dates
    if first is None:
        return  # an event without dates has no date rule
    last_moment = data.ends_at - timedelta(microseconds=1)   # a session ending at midnight ends that day
    if _local_day(data.starts_at) < first or _local_day(last_moment) > last:
        problems.add(_("The session must lie within the event's dates, %(first)s to %(last)s.",
                       first=first.isoformat(), last=last.isoformat()), "starts_at")


def _stations(room: Room, data: SessionFields, problems: Problems) -> list[Station]:
    station_ids = data.station_ids
    if station_ids is None and data.station_numbers:
        by_number = {s.number: s.id for s in room.stations}
        missing = sorted({n for n in data.station_numbers if n not in by_number})
        if missing:
            problems.add(_("The room %(room)s has no station numbered %(numbers)s.", room=room.label,
                           numbers=", ".join(str(n) for n in missing)), "station_ids")
        station_ids = [by_number[n] for n in data.station_numbers if n in by_number]
    if station_ids is None:
        chosen = [s for s in room.stations if not s.is_out_of_service]
    else:
        of_room = {s.id: s for s in room.stations}
        strangers = [i for i in station_ids if i not in of_room]
        if strangers:
            problems.add(_("Please choose stations of the room %(room)s.", room=room.label), "station_ids")
        chosen = sorted({of_room[i] for i in station_ids if i in of_room}, key=lambda s: s.number)
        broken = [s for s in chosen if s.is_out_of_service]
        for station in broken:
            problems.add(_("Station %(n)d is out of service: %(reason)s", n=station.number,
                           reason=station.out_of_service_reason or ""), "station_ids")
    if not chosen and not problems.errors:
        problems.add(_("The session needs at least one station in service; the room %(room)s has none chosen.",
                       room=room.label), "station_ids")
    return chosen


def check_session(event: Event, data: SessionFields, session: ContestSession | None = None) -> None:
    """Raises InvalidInput naming every problem of the fields at once; changes nothing
    (clashes are found when booking)."""
    _clean(event, data, session)


# --- changing -----------------------------------------------------------------------------------

def _label(event: Event, name: str) -> str:
    return f"{event.name} · {name}"[:128]


def _requests(session: ContestSession, event: Event, name: str, room: Room, stations: list[Station],
              starts_at: datetime, ends_at: datetime) -> list[BookingRequest]:
    label = _label(event, name)
    common = {"starts_at": starts_at, "ends_at": ends_at, "owner_kind": OWNER, "owner_id": session.id,
              "label": label}
    return ([BookingRequest(room_id=room.id, **common)]
            + [BookingRequest(station_id=station.id, **common) for station in stations])


def create_session(event: Event, data: SessionFields, *, actor) -> ContestSession:
    """Add a session and book its room and stations. Raises PermissionDenied, InvalidInput
    (every problem of the fields), Conflict naming a clash (room or station booked then)."""
    require(actor, "competitions.manage", event_scope(event))
    name, room, stations = _clean(event, data, None)
    session = ContestSession(event_id=event.id, stage_id=data.stage_id, name=name, room_id=room.id,
                             starts_at=data.starts_at, ends_at=data.ends_at, created_by_id=getattr(actor, "id", None))
    session.stations = stations
    db.session.add(session)
    db.session.flush()
    bookings.book_all(_requests(session, event, name, room, stations, data.starts_at, data.ends_at), actor=actor)
    audit.record("session.created", session, actor=actor, after=snapshot(session))
    log.info("session %s created for event %s", session.id, event.id)
    return session


def _seated_stations(session_id: int) -> dict[int, int]:
    """Seats per station of the session, by station id."""
    return dict(db.session.execute(select(SessionSeat.station_id, func.count(SessionSeat.id))
                                   .where(SessionSeat.session_id == session_id)
                                   .group_by(SessionSeat.station_id)).all())


def _check_seats_stay(session: ContestSession, room: Room, stations: list[Station], data: SessionFields) -> None:
    """Conflict when the change would move seated contestants (see the module's rules)."""
    seated = _seated_stations(session.id)
    if not seated:
        return
    count = sum(seated.values())
    moved = (room.id != session.room_id or data.starts_at != session.starts_at or data.ends_at != session.ends_at)
    if moved:
        raise Conflict(_("%(n)d contestants have seats in this session: its room and times cannot change until "
                         "they are unseated.", n=count), field="starts_at")
    dropped = set(seated) - {s.id for s in stations}
    if dropped:
        numbers = sorted(s.number for s in session.stations if s.id in dropped)
        raise Conflict(_("Contestants are seated at stations %(numbers)s: keep those stations in the session.",
                         numbers=", ".join(str(n) for n in numbers)), field="station_ids")


def update_session(session: ContestSession, data: SessionFields, *, actor) -> ContestSession:
    """Change a session and book it again (released, then booked with its judges, all or
    nothing). Raises PermissionDenied, InvalidInput, Conflict naming a clash or the seats that
    keep it where it is."""
    event = session.event
    require(actor, "competitions.manage", event_scope(event))
    name, room, stations = _clean(event, data, session)
    session = _lock(session.id)
    _check_seats_stay(session, room, stations, data)
    before = snapshot(session)
    panels = panel_sessions.lock_for_session(session.id)
    bookings.release_owner(OWNER, session.id, actor=actor)
    panel_sessions.release(panels, actor=actor)
    requests = _requests(session, event, name, room, stations, data.starts_at, data.ends_at)
    requests += panel_sessions.requests_at(panels, data.starts_at, data.ends_at)
    bookings.book_all(requests, actor=actor)
    session.name, session.stage_id, session.room_id = name, data.stage_id, room.id
    session.starts_at, session.ends_at, session.stations = data.starts_at, data.ends_at, stations
    panel_sessions.follow(panels, session.id, data.starts_at, data.ends_at, actor=actor)
    db.session.flush()
    after = snapshot(session)
    if after != before:
        audit.record("session.updated", session, actor=actor, before=before, after=after)
    return session


def delete_session(session: ContestSession, *, actor) -> None:
    """Delete a session without seats and release its bookings; its panels sit on their dates
    again. Raises PermissionDenied, Conflict saying how many seats it has."""
    require(actor, "competitions.manage", event_scope(session.event))
    session = _lock(session.id)
    count = sum(_seated_stations(session.id).values())
    if count:
        raise Conflict(_("%(n)d contestants have seats in this session; unseat them before deleting it.", n=count))
    before = snapshot(session)
    panels = panel_sessions.lock_for_session(session.id)
    panel_sessions.release(panels, actor=actor)
    panel_sessions.follow(panels, None, None, None, actor=actor)
    bookings.release_owner(OWNER, session.id, actor=actor)
    audit.record("session.deleted", session, actor=actor, before=before)
    db.session.delete(session)
    db.session.flush()
    log.info("session %s deleted", before["name"])


def _lock(session_id: int) -> ContestSession:
    session = locks.fetch_locked(ContestSession, session_id)
    if session is None:
        raise NotFound(_("No such session."))
    return session


# --- panels -------------------------------------------------------------------------------------

def panels_of_event(event: Event) -> list[Panel]:
    """The event's panels, by name: those a session may be given to."""
    return list(db.session.scalars(select(Panel).where(Panel.event_id == event.id).order_by(Panel.name, Panel.id)))


def give_panel(session: ContestSession, panel_id: int | None, *, actor) -> Panel:
    """Let a panel of the session's event judge it: the panel's interval becomes the session's
    and its seated judges are booked then. Raises InvalidInput for a panel of another event,
    PermissionDenied (judges.manage), Conflict naming a judge booked elsewhere."""
    require(actor, "competitions.manage", event_scope(session.event))
    panel = db.session.get(Panel, panel_id) if isinstance(panel_id, int) else None
    if panel is None or panel.event_id != session.event_id:
        raise InvalidInput(_("Please choose a panel of this event."), field="panel_id")
    session = _lock(session.id)   # its times hold still until the panel has them (the session row first)
    return panel_sessions.set_session(panel, session.id, session.starts_at, session.ends_at, actor=actor)


def take_panel(panel: Panel, *, actor) -> Panel:
    """The panel judges no session any more: it sits on its dates, its judges' bookings released."""
    event = db.session.get(Event, panel.event_id)
    require(actor, "competitions.manage", event_scope(event))
    return panel_sessions.set_session(panel, None, None, None, actor=actor)


def set_panel(session: ContestSession, panel_id: int | None, *, actor) -> Panel | None:
    """The panel judging the session becomes `panel_id` (None: no panel); any other panel on
    it sits on its dates again. Raises as give_panel."""
    current = [panel for panel in panel_sessions.panels_of_session(session.id) if panel.id != panel_id]
    for panel in current:
        take_panel(panel, actor=actor)
    if panel_id is None:
        return None
    return give_panel(session, panel_id, actor=actor)


def panel_ids_of_sessions(session_ids: list[int]) -> dict[int, list[int]]:
    """The ids of the panels judging each session, by session id (absent: none), in one statement."""
    found: dict[int, list[int]] = {}
    if session_ids:
        for session_id, panel_id in db.session.execute(select(Panel.session_id, Panel.id).where(
                Panel.session_id.in_(session_ids)).order_by(Panel.id)):
            found.setdefault(session_id, []).append(panel_id)
    return found


