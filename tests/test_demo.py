"""`flask seed-demo`: a believable association, loaded the same way however often it runs.

Demo passwords are hashed with argon2's smallest cost here (tests.accounts.sessions):
what is tested is that each demo login works, not how slow the hash is.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import demo
from app.accounts.models import Person, User
from app.accounts.services import auth
from app.competitions import demo as contests
from app.competitions.models import (ContestSession, Event, Registration, RegistrationStatus, SeatSource, SessionSeat,
                                     StationDraw)
from app.competitions.services import station_draws
from app.competitions.services.timetables import appointments_of
from app.core import crypto, ids
from app.core.permissions import Grant, Role, ScopeType
from app.core.time import association_zone
from app.judges.models import Panel
from app.orgs.models import Organisation
from app.scheduling import demo as places
from app.scheduling.models import Booking, Room, Station, Venue
from tests.accounts.sessions import CHEAP_HASHER


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(auth, "hasher", CHEAP_HASHER)


def seed(app, *options: str) -> str:
    result = app.test_cli_runner().invoke(args=["seed-demo", *options])
    assert result.exit_code == 0, result.output
    return result.output


def row_counts(db) -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


@pytest.fixture
def seeded(app, db):
    """The demo with a few members only: each member is a commit, and commits are slow."""
    seed(app, "--people", "8")
    db.session.expire_all()


def test_seeding_twice_adds_nothing_the_second_time(app, db):
    seed(app)
    first = row_counts(db)
    seed(app)
    assert row_counts(db) == first


def test_seeding_loads_units_people_and_one_login_per_role(db, seeded):
    counts = row_counts(db)
    assert counts["organisations"] == len(demo.UNITS)
    assert counts["users"] == len(demo.ACCOUNTS)
    assert counts["persons"] == len(demo.ACCOUNTS) + 8


def test_every_demo_units_credit_code_validates(db, seeded):
    for org in db.session.scalars(select(Organisation)):
        assert ids.parse_credit_code(org.credit_code) == org.credit_code, org.name


def test_every_demo_persons_id_number_validates_and_agrees_with_the_record(app, db):
    seed(app)
    checked = 0
    for person in db.session.scalars(select(Person).where(Person.id_number_encrypted.is_not(None))):
        number = crypto.decrypt(person.id_number_encrypted)
        resident = ids.parse_resident_id(number)
        assert person.id_hash == crypto.keyed_hash(ids.IdType.RESIDENT_ID.value, number)
        assert (person.gender.value, person.birth_date) == (resident.gender, resident.birth_date)
        assert person.id_masked == ids.mask_id_number(number)
        checked += 1
    assert checked >= 40


def test_each_demo_login_works(db, seeded):
    for username, *_ in demo.ACCOUNTS:
        user = auth.authenticate(username, demo.DEMO_PASSWORD)
        assert user is not None and user.username == username, username


def test_demo_logins_hold_the_roles_they_are_listed_with(db, seeded):
    def roles(username):
        user = db.session.scalar(select(User).where(User.username == username))
        return {(g.role, g.scope_type) for g in db.session.scalars(select(Grant).where(Grant.user_id == user.id))}

    assert roles("admin") == {(Role.ADMIN, None)}
    assert roles("staff") == {(Role.STAFF, None)}
    assert roles("cyberstaff") == {(Role.STAFF, ScopeType.COMMITTEE)}
    assert roles("liaison") == {(Role.LIAISON, ScopeType.ORGANISATION)}
    assert roles("contestant") == set()


def test_seeding_prints_every_demo_login(app, db):
    output = seed(app, "--people", "0")
    assert demo.DEMO_PASSWORD in output
    for username, *_ in demo.ACCOUNTS:
        assert username in output


def test_demo_has_an_open_competition_to_register_for(app):
    from sqlalchemy import select

    from app.competitions.models import Competition
    from app.core.time import utcnow
    from app.extensions import db

    app.test_cli_runner().invoke(args=["seed-demo", "--people", "3"])
    app.test_cli_runner().invoke(args=["seed-demo", "--people", "3"])
    competitions = list(db.session.scalars(select(Competition)))
    assert len(competitions) == 2  # idempotent
    assert any(event.is_open(utcnow()) for c in competitions for event in c.events)


def test_demo_has_a_schedule_made_through_the_services(app, db):
    seed(app)
    seed(app)  # a second run neither adds nor draws again
    venue = db.session.scalar(select(Venue).where(Venue.name == places.VENUE))
    rooms = {room.name: room for room in db.session.scalars(select(Room).where(Room.venue_id == venue.id))}
    assert {name: len(rooms[name].stations) for name, *_ in places.ROOMS} == {"实训楼A201": 20, "实训楼A202": 12}
    broken = db.session.scalars(select(Station).where(Station.is_out_of_service)).all()
    assert [(s.room.name, s.number, s.out_of_service_reason) for s in broken] == [("实训楼A201", 7, "显示器花屏，待更换")]

    event = db.session.scalar(select(Event).where(Event.code == contests.SCHEDULED_EVENT))
    first_day, last_day = event.dates
    held = db.session.scalars(select(ContestSession).where(ContestSession.event_id == event.id)
                              .order_by(ContestSession.starts_at)).all()
    assert [s.name for s in held] == [name for name, *_ in contests.SESSIONS]
    assert held[0].capacity == 19 and held[2].capacity == 12   # the broken station is not used
    for session in held:   # within the event's days, and its room and stations booked
        booked = db.session.scalars(select(Booking).where(Booking.owner_kind == "contest_session",
                                                          Booking.owner_id == session.id)).all()
        assert sum(b.room_id is not None for b in booked) == 1
        assert sum(b.station_id is not None for b in booked) == len(session.stations)
    zone = association_zone()
    assert held[0].starts_at.astimezone(zone).date() == first_day
    assert held[-1].ends_at.astimezone(zone).date() == last_day
    panel = db.session.scalar(select(Panel).where(Panel.event_id == event.id, Panel.name == contests.PANEL))
    assert (panel.session_id, panel.starts_at, panel.ends_at) == (held[0].id, held[0].starts_at, held[0].ends_at)

    [draw] = db.session.scalars(select(StationDraw).where(StationDraw.event_id == event.id)).all()
    assert (draw.seed, draw.witnesses) == (contests.DRAW_SEED, contests.DRAW_WITNESSES)
    assert station_draws.verify(draw) == []
    approved = db.session.scalars(select(Registration).where(Registration.event_id == event.id,
                                                             Registration.status == RegistrationStatus.APPROVED)).all()
    seats = db.session.scalars(select(SessionSeat).join(ContestSession)
                               .where(ContestSession.event_id == event.id)).all()
    assert len(approved) > 10 and sorted(s.registration_id for s in seats) == sorted(e.id for e in approved)
    assert {s.session_id for s in seats} == {s.id for s in held} and {s.source for s in seats} == {SeatSource.DRAW}
    assert not any(s.station.is_out_of_service for s in seats)

    contestant = db.session.scalar(select(User).where(User.username == "contestant"))
    [mine] = appointments_of(contestant.person_id)
    assert mine.station is not None and mine.place.startswith(places.VENUE)
