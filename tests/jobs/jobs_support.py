"""What the job tests build: a session (场次) with seated contestants and a panel of judges."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from app.competitions.models import (Channel, ContestSession, ContestSessionStation, Event, Registration,
                                     RegistrationStatus, SeatSource, SessionSeat)
from app.extensions import db
from app.judges.models import MemberSource, MemberStatus, Panel, PanelMember, PanelRole
from app.scheduling.models import Room, Station, Venue
from tests.factories import EventFactory, PersonFactory, UserFactory
from tests.judges.factories import JudgeFactory, SpecialityFactory

_made = {"n": 0}


def _next() -> int:
    _made["n"] += 1
    return _made["n"]


def session_at(starts_at: datetime, *, contestants: int = 1, judges: int = 1, reserve_judges: int = 0,
               event: Event | None = None, accounts: int = 0, judge_accounts: int = 0) -> ContestSession:
    """A one-hour session starting at `starts_at` in a room of its own, with `contestants`
    approved entries seated in it and `judges` accepted on a panel that judges it (and
    `reserve_judges` reserves, who are not reminded). Everyone has an e-mail address; the
    event's seat counter agrees with its entries. The first `accounts` contestants and the
    first `judge_accounts` judges have a user account (the rest never signed up)."""
    n = _next()
    event = event or EventFactory(capacity=max(10, contestants))
    venue = Venue(name=f"场馆{n}-{event.id}")
    room = Room(venue=venue, name=f"教室{n}")
    stations = [Station(room=room, number=i + 1) for i in range(max(1, contestants))]
    db.session.add_all([venue, room, *stations])
    db.session.flush()
    session = ContestSession(event_id=event.id, name=f"第{n}场", room_id=room.id, starts_at=starts_at,
                             ends_at=starts_at + timedelta(hours=1))
    db.session.add(session)
    db.session.flush()
    db.session.add_all([ContestSessionStation(session_id=session.id, station_id=s.id) for s in stations])
    for index in range(contestants):
        person = PersonFactory(email=f"contestant{n}-{index}@example.org")
        if index < accounts:
            UserFactory(person=person)
        entry = Registration(event_id=event.id, person_id=person.id, status=RegistrationStatus.APPROVED,
                             is_active=True, holds_seat=True, channel=Channel.STAFF)
        db.session.add(entry)
        db.session.flush()
        db.session.add(SessionSeat(session_id=session.id, registration_id=entry.id, person_id=person.id,
                                   station_id=stations[index].id, source=SeatSource.MANUAL))
    event.seats_taken += contestants
    if judges or reserve_judges:
        speciality = SpecialityFactory()
        panel = Panel(event_id=event.id, name=f"裁判组{n}", starts_on=date(2026, 1, 1), ends_on=date(2030, 1, 1),
                      session_id=session.id, starts_at=session.starts_at, ends_at=session.ends_at,
                      speciality_id=speciality.id)
        db.session.add(panel)
        db.session.flush()
        for index in range(judges + reserve_judges):
            profile = JudgeFactory(person__email=f"judge{n}-{index}@example.org", specialities=[speciality])
            if index < judge_accounts:
                UserFactory(person=profile.person)
            reserve = index >= judges
            db.session.add(PanelMember(panel_id=panel.id, profile_id=profile.id,
                                       role=PanelRole.RESERVE if reserve else PanelRole.JUDGE,
                                       reserve_order=index - judges + 1 if reserve else None,
                                       status=MemberStatus.STANDBY if reserve else MemberStatus.ACCEPTED,
                                       source=MemberSource.MANUAL))
    db.session.commit()
    return session
