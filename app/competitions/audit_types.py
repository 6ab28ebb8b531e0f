"""How competitions, events and entries read in the audit log (core.audit_log), and which
of them sit in a committee (so that committee's staff see them)."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import Person
from app.competitions.models import (CalendarFeed, Competition, CompetitionLevel, ContestSession, Event,
                                     Registration, RegistrationStatus, SessionSeat, StationDraw)
from app.core import audit_log
from app.extensions import db


def _competitions(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Competition.id, Competition.name).where(Competition.id.in_(ids))).all())


def _events(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Event.id, Event.name, Competition.name).join(Competition)
                              .where(Event.id.in_(ids)))
    return {id_: f"{event} · {competition}" for id_, event, competition in rows}


def _registrations(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Registration.id, Person.full_name, Event.name)
                              .join(Person, Registration.person_id == Person.id)
                              .join(Event, Registration.event_id == Event.id).where(Registration.id.in_(ids)))
    return {id_: f"{person} · {event}" for id_, person, event in rows}


def _session_seats(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(SessionSeat.id, Person.full_name, ContestSession.name, Event.name)
                              .join(Person, SessionSeat.person_id == Person.id)
                              .join(ContestSession, SessionSeat.session_id == ContestSession.id)
                              .join(Event, ContestSession.event_id == Event.id).where(SessionSeat.id.in_(ids)))
    return {id_: f"{person} · {session} · {event}" for id_, person, session, event in rows}


def _session_seats_in(committee_ids: set[int]):
    return (select(SessionSeat.id).join(ContestSession, SessionSeat.session_id == ContestSession.id)
            .join(Event, ContestSession.event_id == Event.id).join(Competition)
            .where(Competition.committee_id.in_(committee_ids)))


def _calendar_feeds(ids: list[int]) -> dict[int, str]:
    """A feed reads as its owner's name (never its token)."""
    rows = db.session.execute(select(CalendarFeed.id, Person.full_name)
                              .join(Person, CalendarFeed.person_id == Person.id).where(CalendarFeed.id.in_(ids)))
    return {id_: str(_l("Calendar link of %(name)s", name=name)) for id_, name in rows}


def _competitions_in(committee_ids: set[int]):
    return select(Competition.id).where(Competition.committee_id.in_(committee_ids))


def _events_in(committee_ids: set[int]):
    return select(Event.id).join(Competition).where(Competition.committee_id.in_(committee_ids))


def _registrations_in(committee_ids: set[int]):
    return (select(Registration.id).join(Event, Registration.event_id == Event.id).join(Competition)
            .where(Competition.committee_id.in_(committee_ids)))


def _event_url(event_id: int) -> str | None:
    competition_id = db.session.scalar(select(Event.competition_id).where(Event.id == event_id))
    return url_for("competitions.manage_competition", competition_id=competition_id) if competition_id else None


def register() -> None:
    """Describe the competitions package's objects and actions to the audit log."""
    audit_log.register_object_type("competitions", audit_log.ObjectType(
        _l("Competition"), _competitions, lambda id_: url_for("competitions.manage_competition", competition_id=id_),
        _competitions_in))
    audit_log.register_object_type("events", audit_log.ObjectType(_l("Event"), _events, _event_url, _events_in))
    audit_log.register_object_type("registrations", audit_log.ObjectType(
        _l("Entry"), _registrations, lambda id_: url_for("competitions.staff_entries", q=_registration_exam(id_)),
        _registrations_in))
    audit_log.register_object_type("session_seats", audit_log.ObjectType(
        _l("Seat in a session"), _session_seats, _door_url, _session_seats_in))
    audit_log.register_object_type("calendar_feeds", audit_log.ObjectType(_l("Calendar link"), _calendar_feeds))
    audit_log.register_actions({
        "session_seat.checked_in": _l("Checked in at the session’s door"),
        "calendar_feed.created": _l("Calendar link made"), "calendar_feed.revoked": _l("Calendar link revoked"),
        "competition.created": _l("Competition added"), "competition.updated": _l("Competition changed"),
        "event.created": _l("Event added"), "event.updated": _l("Event changed"),
        "event.quota_set": _l("Unit quota set"),
        "registration.created": _l("Registered"), "registration.bulk_registered": _l("Bulk registered"),
        "registration.endorsed": _l("Entry endorsed by the unit"), "registration.approved": _l("Entry approved"),
        "registration.rejected": _l("Entry rejected"), "registration.withdrawn": _l("Entry withdrawn"),
        "registration.promoted": _l("Moved up from the waiting list"), "registration.checked_in": _l("Checked in"),
    })
    from app.competitions.routes.public import level_label
    from app.competitions.services.registration import status_label

    audit_log.register_values("registrations", "status", lambda value: status_label(RegistrationStatus(value)))
    audit_log.register_values("competitions", "level", lambda value: level_label(CompetitionLevel(value)))
    audit_log.register_fields({
        "status": _l("State"), "holds_seat": _l("Holds a seat"), "waitlist_position": _l("Waiting place"),
        "exam_number": _l("Exam number"), "reject_reason": _l("Reason for rejection"),
        "checked_in_at": _l("Checked in at"), "year": _l("Year"), "level": _l("Level"),
        "committee_id": _l("Committee"), "description": _l("Description"), "is_public": _l("Published"),
        "max_events_per_person": _l("Events per person at most"), "capacity": _l("Capacity"),
        "opens_at": _l("Registration opens"), "closes_at": _l("Registration closes"), "min_age": _l("Minimum age"),
        "max_age": _l("Maximum age"), "quota": _l("Quota"), "count": _l("Count"),
        "people_created": _l("People added"), "registration_ids": _l("Entries"),
    })
    _register_seats()


def _sessions(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(ContestSession.id, ContestSession.name, Event.name)
                              .join(Event, ContestSession.event_id == Event.id).where(ContestSession.id.in_(ids)))
    return {id_: f"{event} · {name}" for id_, name, event in rows}


def _sessions_in(committee_ids: set[int]):
    return (select(ContestSession.id).join(Event, ContestSession.event_id == Event.id).join(Competition)
            .where(Competition.committee_id.in_(committee_ids)))


def _session_url(session_id: int) -> str | None:
    event_id = db.session.scalar(select(ContestSession.event_id).where(ContestSession.id == session_id))
    return url_for("competitions.event_sessions", event_id=event_id) if event_id else None


def register_sessions() -> None:
    """Sessions (场次) in the audit log: the rows, the actions, the fields."""
    audit_log.register_object_type("contest_sessions", audit_log.ObjectType(
        _l("Session"), _sessions, _session_url, _sessions_in))
    audit_log.register_actions({"session.created": _l("Session added"), "session.updated": _l("Session changed"),
                                "session.deleted": _l("Session deleted")})
    audit_log.register_fields({"room_id": _l("Room"), "starts_at": _l("Starts"), "ends_at": _l("Ends"),
                               "station_ids": _l("Stations used"), "stage_id": _l("Stage"),
                               "session_id": _l("Session")})


def _registration_exam(registration_id: int) -> str | None:
    return db.session.scalar(select(Registration.exam_number).where(Registration.id == registration_id))


def _door_url(seat_id: int) -> str | None:
    session_id = db.session.scalar(select(SessionSeat.session_id).where(SessionSeat.id == seat_id))
    return url_for("competitions.door", session_id=session_id) if session_id else None


# --- the station draw and its seats -----------------------------------------------------------

def _station_draws(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(StationDraw.id, Event.name).join(Event, StationDraw.event_id == Event.id)
                              .where(StationDraw.id.in_(ids)))
    return {id_: f"{event} · {_l('Station draw')} {id_}" for id_, event in rows}


def _draw_url(draw_id: int) -> str | None:
    event_id = db.session.scalar(select(StationDraw.event_id).where(StationDraw.id == draw_id))
    return url_for("competitions.station_draw_page", event_id=event_id) if event_id else None


def _register_seats() -> None:
    audit_log.register_object_type("station_draws", audit_log.ObjectType(
        _l("Station draw"), _station_draws, _draw_url,
        lambda committee_ids: select(StationDraw.id).where(StationDraw.event_id.in_(_events_in(committee_ids)))))
    audit_log.register_actions({
        "station_draw.made": _l("Stations drawn"), "session_seat.moved": _l("Seat moved"),
        "session_seat.swapped": _l("Seats swapped"), "session_seat.late": _l("Seat given after the draw"),
        "session_seat.released": _l("Seat let go"),
    })
    audit_log.register_fields({
        "session_id": _l("Session"), "station_id": _l("Station"), "source": _l("How the seat was given"),
        "seed_source": _l("Seed"), "witnesses": _l("Witnesses"), "seats": _l("Seats"), "entries": _l("Entries"),
        "stage_id": _l("Stage"), "registration_id": _l("Entry"),
    })
