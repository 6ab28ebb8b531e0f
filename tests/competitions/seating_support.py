"""What the station-draw tests share: sessions made directly as rows (the session service is
another module's), approved individual and team entries."""
from __future__ import annotations

from datetime import datetime

from app.competitions.models import (Channel, ContestSession, ContestSessionStation, Event, Registration,
                                     TeamRole)
from app.competitions.services import registration, teams
from app.core.transaction import unit_of_work
from app.extensions import db
from app.scheduling.models import Room
from tests import factories as f
from tests.scheduling.support import at, room


def contest_session(event: Event, *, stations: int | Room = 4, starts: datetime | None = None,
                    ends: datetime | None = None, name: str | None = None, stage_id: int | None = None,
                    out_of_service: tuple[int, ...] = ()) -> ContestSession:
    """A stored session of `event` in a new room with `stations` stations (or in a given room,
    using all its stations); the numbers in `out_of_service` are out of service."""
    place = stations if isinstance(stations, Room) else room(stations=stations)
    for station in place.stations:
        if station.number in out_of_service:
            station.is_out_of_service, station.out_of_service_reason = True, "屏幕坏了"
    count = db.session.query(ContestSession).filter_by(event_id=event.id).count()
    row = ContestSession(event_id=event.id, stage_id=stage_id, name=name or f"第{count + 1}场", room_id=place.id,
                         starts_at=starts or at(1 + count, 9), ends_at=ends or at(1 + count, 12))
    db.session.add(row)
    db.session.flush()
    db.session.add_all(ContestSessionStation(session_id=row.id, station_id=s.id) for s in place.stations)
    db.session.commit()
    return row


def approved(event: Event, org=None, *, staff=None) -> Registration:
    """An approved individual entry of a new person (of `org`) in `event`."""
    staff = staff or f.staff()
    person = f.PersonFactory(organisation_id=org.id if org else None)
    with unit_of_work():
        entry = registration.register(event, person, actor=staff, channel=Channel.STAFF)
    with unit_of_work():
        return registration.approve(entry, actor=staff)


def endorsed(event: Event, org=None, *, staff=None) -> Registration:
    """An endorsed (not yet approved) individual entry of a new person in `event`."""
    person = f.PersonFactory(organisation_id=org.id if org else None)
    with unit_of_work():
        return registration.register(event, person, actor=staff or f.staff(), channel=Channel.STAFF)


def team_entry(event: Event, size: int, org=None, *, staff=None, approve: bool = True) -> Registration:
    """A team entry of `size` new contestants (of `org`), approved unless told otherwise."""
    staff = staff or f.staff()
    people = [f.PersonFactory(organisation_id=org.id if org else None) for _ in range(size)]
    with unit_of_work():
        entry = teams.register_team(event, f"队{people[0].id}", [(p, TeamRole.CONTESTANT) for p in people],
                                    actor=staff, channel=Channel.STAFF)
    if not approve:
        return entry
    with unit_of_work():
        return registration.approve(entry, actor=staff)
