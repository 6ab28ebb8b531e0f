"""Competitions (竞赛), their events (赛项), stages, teams and registrations.

The counters on `Event` (`seats_taken`, `waitlist_issued`, `waitlist_left`,
`exam_numbers_issued`) and on `EventQuota` (`used`) are the concurrency-critical state:
they change only through conditional UPDATEs in app.competitions.services.capacity, which
lock the event row for the rest of the transaction, so many web workers can never overbook.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.core.types import enum_type
from app.extensions import db


class CompetitionLevel(str, enum.Enum):
    NATIONAL = "national"        # 全国
    INDUSTRY = "industry"        # 行业
    PROVINCIAL = "provincial"    # 省级


class Competition(db.Model):
    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    level: Mapped[CompetitionLevel] = mapped_column(enum_type(CompetitionLevel, 16))
    # The organising committee; None means the association itself.
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(default=False)  # shown on the public pages
    max_events_per_person: Mapped[int | None]  # "at most N events per person" (None: no limit)
    # When and where the contest itself takes place (not registration): what people look for.
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))   # city and venue, as text
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    committee = relationship("Committee")
    events: Mapped[list["Event"]] = relationship(back_populates="competition", order_by="Event.id")


class Event(db.Model):
    """An event (赛项 / 工种): one trade, entered by individuals or by teams."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("competition_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))     # goes into exam numbers, e.g. "WA"
    name: Mapped[str] = mapped_column(String(200))
    is_team: Mapped[bool] = mapped_column(default=False)
    team_size_min: Mapped[int] = mapped_column(default=1)
    team_size_max: Mapped[int] = mapped_column(default=1)
    capacity: Mapped[int]
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    exam_number_pattern: Mapped[str] = mapped_column(String(64), default="{year}{event_code}{seq:04}")
    # Eligibility (each None means "no rule").
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    age_reference_date: Mapped[date | None] = mapped_column(Date)  # default: the day registration closes
    min_skill_level: Mapped[str | None] = mapped_column(String(1))   # "3" = level 3 or higher (2, 1)
    requires_member_unit: Mapped[bool] = mapped_column(default=False)
    required_fields: Mapped[list | None] = mapped_column(JSON)       # extra questions, by label
    # The event's own contest days and place; None: the competition's (see `dates`, `where`).
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    # Counters: changed only by conditional UPDATEs (services/capacity.py).
    seats_taken: Mapped[int] = mapped_column(default=0)
    waitlist_issued: Mapped[int] = mapped_column(default=0)
    waitlist_left: Mapped[int] = mapped_column(default=0)   # of those issued, left the list since
    exam_numbers_issued: Mapped[int] = mapped_column(default=0)
    # Whether any unit has a quota here: changed with the quota rows, under the event's lock,
    # so a registration holding that lock knows exactly whether to look for its unit's quota.
    has_unit_quotas: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    competition: Mapped[Competition] = relationship(back_populates="events")
    stages: Mapped[list["Stage"]] = relationship(back_populates="event", order_by="Stage.position")

    @property
    def dates(self) -> tuple[date | None, date | None]:
        """The contest's first and last day: the event's own, else its competition's."""
        if self.starts_on is not None:
            return self.starts_on, self.ends_on or self.starts_on
        return self.competition.starts_on, self.competition.ends_on or self.competition.starts_on

    @property
    def where(self) -> str | None:
        return self.place or self.competition.place

    def is_open(self, now: datetime) -> bool:
        """Registration is open when opens_at <= now < closes_at (derived, never switched)."""
        return self.opens_at <= now < self.closes_at

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    @property
    def waiting(self) -> int:
        """How many are on the waiting list now."""
        return self.waitlist_issued - self.waitlist_left


class EventQuota(db.Model):
    """How many entries one member unit may put into one event."""

    __tablename__ = "event_quotas"
    __table_args__ = (UniqueConstraint("event_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    quota: Mapped[int]
    used: Mapped[int] = mapped_column(default=0)

    organisation = relationship("Organisation")


class StageKind(str, enum.Enum):
    PRELIMINARY = "preliminary"   # 初赛
    FINAL = "final"               # 决赛
    OTHER = "other"


class Stage(db.Model):
    __tablename__ = "stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[StageKind] = mapped_column(enum_type(StageKind, 16))
    position: Mapped[int] = mapped_column(default=1)

    event: Mapped[Event] = relationship(back_populates="stages")


class RegistrationStatus(str, enum.Enum):
    SUBMITTED = "submitted"     # 已提交: waits for the unit's liaison
    ENDORSED = "endorsed"       # 单位已确认: waits for staff
    APPROVED = "approved"       # 已通过
    REJECTED = "rejected"       # 未通过 (reason required)
    WAITLISTED = "waitlisted"   # 候补
    WITHDRAWN = "withdrawn"     # 已退出


# Entries in these states hold a seat; a waitlisted one waits for a seat.
SEAT_HOLDING = (RegistrationStatus.SUBMITTED, RegistrationStatus.ENDORSED, RegistrationStatus.APPROVED)
ACTIVE = SEAT_HOLDING + (RegistrationStatus.WAITLISTED,)


class Channel(str, enum.Enum):
    SELF = "self"          # the contestant registered themself
    LIAISON = "liaison"    # their unit's liaison registered them
    STAFF = "staff"        # association staff registered them


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    members: Mapped[list["TeamMember"]] = relationship(back_populates="team", order_by="TeamMember.id",
                                                       cascade="all, delete-orphan")


class TeamRole(str, enum.Enum):
    CONTESTANT = "contestant"   # 选手
    COACH = "coach"             # 教练


class TeamMember(db.Model):
    __tablename__ = "team_members"
    __table_args__ = (
        # A person sits in at most one active team of an event.
        Index("uq_team_members_event_person_active", "event_id", "person_id", unique=True,
              sqlite_where=text("is_active"), postgresql_where=text("is_active")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"))
    role: Mapped[TeamRole] = mapped_column(enum_type(TeamRole, 16))
    is_active: Mapped[bool] = mapped_column(default=True)

    team: Mapped[Team] = relationship(back_populates="members")
    person = relationship("Person")


# An entry that was given a waiting-list position and is no longer waiting: it holds a seat
# now, or it has ended. Written without parameters so that PostgreSQL can use the partial
# index below for any prepared statement that says the same.
LEFT_WAITLIST = "waitlist_position IS NOT NULL AND (holds_seat OR NOT is_active)"


class Registration(db.Model):
    """One entry in one event: a person, or a team (then `person_id` is its captain)."""

    __tablename__ = "registrations"
    __table_args__ = (
        # One active entry per person and event: a double click or two tabs get one entry.
        Index("uq_registrations_event_person_active", "event_id", "person_id", unique=True,
              sqlite_where=text("is_active"), postgresql_where=text("is_active")),
        UniqueConstraint("event_id", "exam_number"),
        UniqueConstraint("event_id", "waitlist_position"),
        Index("ix_registrations_event_status", "event_id", "status"),
        # Entries that have left the waiting list (promoted to a seat, withdrawn, rejected):
        # a place on the list is counted over these few, not over everyone still waiting.
        Index("ix_registrations_event_waitlist_left", "event_id", "waitlist_position",
              sqlite_where=text(LEFT_WAITLIST), postgresql_where=text(LEFT_WAITLIST)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)
    status: Mapped[RegistrationStatus] = mapped_column(enum_type(RegistrationStatus, 16))
    is_active: Mapped[bool] = mapped_column(default=True)    # not withdrawn, not rejected
    holds_seat: Mapped[bool] = mapped_column(default=False)
    counts_against_quota: Mapped[bool] = mapped_column(default=False)
    waitlist_position: Mapped[int | None]                    # issued in order, never reused
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, 16))
    answers: Mapped[dict | None] = mapped_column(JSON)       # the event's extra questions
    exam_number: Mapped[str | None] = mapped_column(String(32))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    person = relationship("Person", foreign_keys=[person_id])
    team: Mapped[Team | None] = relationship()
    organisation = relationship("Organisation")

    AUDITED = ("status", "holds_seat", "waitlist_position", "exam_number", "reject_reason", "checked_in_at")

    # Not stored: the place on the waiting list when this entry was made, known (without a
    # query) to the request that made it. Later places: services.registration.waitlist_place.
    place_at_entry = None  # int | None


# --- Sessions (场次) and seats: when and where an event is contested, who sits where ---------

class ContestSession(db.Model):
    """A session (场次) of an event, or of one stage of it: one room over [starts_at, ends_at),
    with the stations it uses. The room, the stations and the people in it are held through
    app.scheduling bookings (owner "contest_session", this id), so one clash rule serves all."""

    __tablename__ = "contest_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="session_interval"),
                      UniqueConstraint("event_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))            # "第1场", "Morning A"
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="RESTRICT"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    stage: Mapped[Stage | None] = relationship()
    room = relationship("Room")
    stations = relationship("Station", secondary="contest_session_stations", order_by="Station.number")
    seats: Mapped[list["SessionSeat"]] = relationship(back_populates="session", cascade="all, delete-orphan",
                                                      order_by="SessionSeat.id")

    AUDITED = ("event_id", "stage_id", "name", "room_id", "starts_at", "ends_at")

    @property
    def capacity(self) -> int:
        """Contestants the session can seat: its stations in service."""
        return sum(1 for station in self.stations if not station.is_out_of_service)


class ContestSessionStation(db.Model):
    """A station a session uses (stations of the session's room)."""

    __tablename__ = "contest_session_stations"

    session_id: Mapped[int] = mapped_column(ForeignKey("contest_sessions.id", ondelete="CASCADE"),
                                            primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="RESTRICT"), primary_key=True,
                                            index=True)


class SeatSource(str, enum.Enum):
    DRAW = "draw"       # the station draw (抽签)
    LATE = "late"       # approved after the draw: the next free station
    SWAP = "swap"       # moved after the draw, with a reason (audited)
    MANUAL = "manual"   # placed by staff


class StationDraw(db.Model):
    """One seeded station draw for an event (or a stage): everything needed to recompute it.
    Never updated; `flask --app wsgi schedule verify-draw ID` recomputes and compares."""

    __tablename__ = "station_draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    seed: Mapped[str] = mapped_column(String(200))
    seed_source: Mapped[str] = mapped_column(String(16))   # judges.models.SeedSource values
    algorithm: Mapped[str] = mapped_column(String(64))
    rules: Mapped[dict] = mapped_column(JSON)
    snapshot: Mapped[dict] = mapped_column(JSON)            # sessions with their stations; entries
    result: Mapped[dict] = mapped_column(JSON)
    witnesses: Mapped[str | None] = mapped_column(Text)
    ran_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()


class SessionSeat(db.Model):
    """A contestant's place in a session: a station, how it was given, whether they came.
    A team entry has one seat per member, on adjacent stations."""

    __tablename__ = "session_seats"
    __table_args__ = (UniqueConstraint("session_id", "station_id"), UniqueConstraint("session_id", "person_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("contest_sessions.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="RESTRICT"))
    source: Mapped[SeatSource] = mapped_column(enum_type(SeatSource, 16))
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("station_draws.id", ondelete="SET NULL"))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[ContestSession] = relationship(back_populates="seats")
    registration: Mapped[Registration] = relationship()
    person = relationship("Person")
    station = relationship("Station")

    AUDITED = ("session_id", "registration_id", "person_id", "station_id", "source", "checked_in_at")


# --- Calendar feeds: a person's timetable at a secret, revocable address ----------------------

class CalendarFeed(db.Model):
    """The secret address of one person's iCalendar feed (their contest seats and panels).

    The address's token is never stored: it is an HMAC of `nonce` under the SECRET_KEY
    (app.competitions.services.calendar_feeds), so the owner's page can show it again while the
    table alone reveals nothing; `token_hash` finds the row. A new address revokes the old one.
    """

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        # One live address per person: a double click makes one, not two.
        Index("uq_calendar_feeds_person_live", "person_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
