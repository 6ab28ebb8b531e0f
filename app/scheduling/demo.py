"""The demo venue for `flask seed-demo`: a training base with two rooms of numbered stations
(工位), one of them out of service with its reason. Added through the place services, as
staff would on the venues pages; idempotent: a venue of that name is left as it is.
Everything here is invented."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.scheduling.models import Room, Venue
from app.scheduling.services import places

VENUE = "国家网络安全人才与创新基地（演示）"
ADDRESS = "湖北省武汉市东西湖区（虚构地址）"
# room, stations, their equipment, the station out of service and why (None: all in service)
ROOMS = [("实训楼A201", 20, "台式机一台、双显示器、靶场终端", (7, "显示器花屏，待更换")),
         ("实训楼A202", 12, "台式机一台、靶场终端", None)]


def seed_places(*, actor) -> list[Room]:
    """The demo venue's rooms (added when the venue is not there yet), in ROOMS order."""
    venue = db.session.scalar(select(Venue).where(Venue.name == VENUE))
    if venue is None:
        venue = places.create_venue(places.VenueFields(name=VENUE, address=ADDRESS, notes="演示数据：虚构的场馆。"),
                                    actor=actor)
        for name, stations, equipment, broken in ROOMS:
            room = places.create_room(venue, places.RoomFields(name=name), actor=actor)
            added = places.add_stations(room, 1, stations, equipment, actor=actor)
            if broken is not None:
                number, reason = broken
                station = next(station for station in added if station.number == number)
                places.set_out_of_service(station, True, reason, actor=actor)
    by_name = {room.name: room for room in db.session.scalars(select(Room).where(Room.venue_id == venue.id))}
    return [by_name[name] for name, *_ in ROOMS if name in by_name]
