"""Sessions, seats and panels made directly as rows, for the timetable tests (the session and
seat services are written elsewhere; these tests need only the rows they leave behind)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from app.accounts.models import Person
from app.competitions.models import (Channel, ContestSession, ContestSessionStation, Registration,
                                     RegistrationStatus, SeatSource, SessionSeat)
from app.extensions import db
from app.judges.models import (JudgeKind, JudgeLevel, JudgeProfile, MemberSource, MemberStatus, Panel, PanelMember,
                               PanelRole, Speciality)
from app.scheduling.models import Room, Station, Venue
from tests import factories as f

# 09:00 in Shanghai on 2027-05-10 (UTC+8): a day of the contest.
MORNING = datetime(2027, 5, 10, 1, 0, tzinfo=timezone.utc)


def room_with_stations(count: int, *, venue: str = "国家会展中心", room: str = "A101",
                       equipment: str | None = None) -> tuple[Room, list[Station]]:
    """A room of `count` stations numbered 1..count, in a venue of its own name."""
    place = db.session.scalar(select(Venue).where(Venue.name == venue)) or Venue(name=venue)
    hall = Room(venue=place, name=room)
    stations = [Station(room=hall, number=n, equipment=equipment) for n in range(1, count + 1)]
    db.session.add_all([place, hall, *stations])
    db.session.flush()
    return hall, stations


def session(event, room: Room, stations: list[Station], *, starts_at: datetime = MORNING, hours: float = 3,
            name: str | None = None) -> ContestSession:
    """A session of `event` in `room` using `stations`."""
    row = ContestSession(event_id=event.id, room_id=room.id, starts_at=starts_at,
                         ends_at=starts_at + timedelta(hours=hours),
                         name=name or f"第{db.session.query(ContestSession).count() + 1}场")
    db.session.add(row)
    db.session.flush()
    db.session.execute(insert(ContestSessionStation),
                       [{"session_id": row.id, "station_id": station.id} for station in stations])
    return row


def approved_entry(event, person: Person | None = None, *, exam_number: str | None = None) -> Registration:
    """An approved entry of `person` (a new one by default), made as a row."""
    person = person or f.PersonFactory()
    entry = Registration(event_id=event.id, person_id=person.id, status=RegistrationStatus.APPROVED,
                         holds_seat=True, channel=Channel.STAFF,
                         exam_number=exam_number or f"2027{event.code}{person.id:05d}")
    db.session.add(entry)
    db.session.flush()
    return entry


def seat(contest_session: ContestSession, entry: Registration, station: Station) -> SessionSeat:
    row = SessionSeat(session_id=contest_session.id, registration_id=entry.id, person_id=entry.person_id,
                      station_id=station.id, source=SeatSource.MANUAL)
    db.session.add(row)
    db.session.flush()
    return row


def seated_judge(contest_session: ContestSession, person: Person | None = None, *,
                 role: PanelRole = PanelRole.JUDGE, status: MemberStatus = MemberStatus.ACCEPTED) -> PanelMember:
    """`person` (a new one by default) on a panel that judges `contest_session`."""
    person = person or f.PersonFactory()
    level = db.session.scalar(select(JudgeLevel).order_by(JudgeLevel.rank))
    trade = db.session.scalar(select(Speciality)) or Speciality(code="T1", name="网络安全")
    profile = db.session.scalar(select(JudgeProfile).where(JudgeProfile.person_id == person.id)) or JudgeProfile(
        person_id=person.id, kind=JudgeKind.JUDGE, level_id=level.id)
    day = contest_session.starts_at.date()
    panel = Panel(event_id=contest_session.event_id, name=f"裁判组{contest_session.id}", starts_on=day, ends_on=day,
                  session_id=contest_session.id, starts_at=contest_session.starts_at,
                  ends_at=contest_session.ends_at, speciality=trade)
    db.session.add_all([profile, panel])
    db.session.flush()
    member = PanelMember(panel_id=panel.id, profile_id=profile.id, role=role, status=status,
                         source=MemberSource.MANUAL)
    db.session.add(member)
    db.session.flush()
    return member


def crowded_event(event, *, sessions: int, contestants: int) -> None:
    """`sessions` sessions of `event`, each in its own room of `contestants` stations, every
    station taken by an approved entry of its own person: rows inserted in bulk."""
    venue = Venue(name=f"场馆{event.id}")
    db.session.add(venue)
    db.session.flush()
    rooms = [dict(venue_id=venue.id, name=f"R{n}") for n in range(sessions)]
    room_ids = list(db.session.scalars(insert(Room).returning(Room.id, sort_by_parameter_order=True), rooms))
    stations = [dict(room_id=room_id, number=n, is_out_of_service=False)
                for room_id in room_ids for n in range(1, contestants + 1)]
    station_ids = list(db.session.scalars(insert(Station).returning(Station.id, sort_by_parameter_order=True),
                                          stations))
    starts = [MORNING + timedelta(hours=4 * (n % 2), days=n // 2) for n in range(sessions)]
    session_ids = list(db.session.scalars(
        insert(ContestSession).returning(ContestSession.id, sort_by_parameter_order=True),
        [dict(event_id=event.id, room_id=room_id, name=f"第{n + 1}场", starts_at=start,
              ends_at=start + timedelta(hours=3)) for n, (room_id, start) in enumerate(zip(room_ids, starts))]))
    people = sessions * contestants
    person_ids = list(db.session.scalars(insert(Person).returning(Person.id, sort_by_parameter_order=True),
                                         [dict(full_name=f"选手{n}") for n in range(people)]))
    entry_ids = list(db.session.scalars(
        insert(Registration).returning(Registration.id, sort_by_parameter_order=True),
        [dict(event_id=event.id, person_id=person_id, status=RegistrationStatus.APPROVED, is_active=True,
              holds_seat=True, channel=Channel.STAFF, exam_number=f"X{n:05d}")
         for n, person_id in enumerate(person_ids)]))
    db.session.execute(insert(ContestSessionStation),
                       [dict(session_id=session_id, station_id=station_ids[s * contestants + n])
                        for s, session_id in enumerate(session_ids) for n in range(contestants)])
    db.session.execute(insert(SessionSeat),
                       [dict(session_id=session_ids[i // contestants], registration_id=entry_ids[i],
                             person_id=person_ids[i], station_id=station_ids[i], source=SeatSource.DRAW)
                        for i in range(people)])
    db.session.commit()
