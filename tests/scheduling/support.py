"""What the scheduling tests share: a room with stations, times in the association's zone."""
from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

from app.extensions import db
from app.scheduling.models import Room, Station, Venue

# The zone the application reads (app.config: JIYI_TIMEZONE, Asia/Shanghai unless set).
ZONE = ZoneInfo(os.environ.get("JIYI_TIMEZONE", "Asia/Shanghai"))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """2030-05-`day` at hour:minute in the association's time zone."""
    return datetime(2030, 5, day, hour, minute, tzinfo=ZONE)


def room(name: str = "第一实训室", stations: int = 0, venue: Venue | None = None) -> Room:
    """A stored room (in a new venue unless one is given) with stations numbered 1..`stations`."""
    venue = venue or Venue(name=f"实训基地{db.session.query(Venue).count() + 1}")
    row = Room(venue=venue, name=name)
    db.session.add(row)
    db.session.add_all(Station(room=row, number=n, is_out_of_service=False) for n in range(1, stations + 1))
    db.session.commit()
    return row
