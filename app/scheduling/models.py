"""Places and time: venues (场馆) → rooms (考场/教室) → stations (工位), and bookings.

A booking holds one resource — a room, a station or a person — over the interval
[starts_at, ends_at). Its owner is an opaque reference (`owner_kind`, `owner_id`, e.g.
"competition_session", 12): the packages above book through scheduling without it knowing them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db


class Venue(db.Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    address: Mapped[str | None] = mapped_column(String(255))
    notes: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rooms: Mapped[list["Room"]] = relationship(back_populates="venue", order_by="Room.name")

    AUDITED = ("name", "address", "notes")

    def __repr__(self) -> str:
        return f"<Venue {self.id}>"


class Room(db.Model):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("venue_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    venue: Mapped[Venue] = relationship(back_populates="rooms")
    stations: Mapped[list["Station"]] = relationship(back_populates="room", order_by="Station.number")

    AUDITED = ("venue_id", "name", "notes")

    @property
    def label(self) -> str:
        return f"{self.venue.name} · {self.name}"

    def __repr__(self) -> str:
        return f"<Room {self.id}>"


class Station(db.Model):
    """A numbered work place (工位) in a room; out of service with a reason, never deleted."""

    __tablename__ = "stations"
    __table_args__ = (UniqueConstraint("room_id", "number"), CheckConstraint("number > 0", name="station_number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    equipment: Mapped[str | None] = mapped_column(String(500))
    is_out_of_service: Mapped[bool] = mapped_column(Boolean, default=False)
    out_of_service_reason: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    room: Mapped[Room] = relationship(back_populates="stations")

    AUDITED = ("room_id", "number", "equipment", "is_out_of_service", "out_of_service_reason")

    def __repr__(self) -> str:
        return f"<Station {self.id}>"


class Booking(db.Model):
    """One resource (a room, a station or a person) held over [starts_at, ends_at)."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="booking_interval"),
        CheckConstraint("(CASE WHEN room_id IS NULL THEN 0 ELSE 1 END + CASE WHEN station_id IS NULL THEN 0 ELSE 1 END"
                        " + CASE WHEN person_id IS NULL THEN 0 ELSE 1 END) = 1", name="booking_one_resource"),
        Index("ix_bookings_room_time", "room_id", "starts_at"),
        Index("ix_bookings_station_time", "station_id", "starts_at"),
        Index("ix_bookings_person_time", "person_id", "starts_at"),
        Index("ix_bookings_owner", "owner_kind", "owner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    owner_kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int | None]
    label: Mapped[str | None] = mapped_column(String(128))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    room: Mapped[Room | None] = relationship()
    station: Mapped[Station | None] = relationship()

    AUDITED = ("room_id", "station_id", "person_id", "starts_at", "ends_at", "owner_kind", "owner_id", "label")

    def __repr__(self) -> str:
        return f"<Booking {self.id}>"
