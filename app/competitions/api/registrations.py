"""/api/v1/competitions, /events and /registrations: reading competitions, entering events,
and every decision on an entry.

The rules live in the services: this module reads the request, finds the object, calls
`registration.register/endorse/approve/reject/withdraw`, and answers. Entries someone may not
see answer 404, so ids do not tell outsiders which entries exist.
"""
from __future__ import annotations

from flask import abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Person
from app.competitions.models import (Channel, Competition, CompetitionLevel, Event, Registration,
                                     RegistrationStatus)
from app.competitions.services import listing, registration
from app.competitions.services.access import competition_scope, scope_of_registration_id
from app.core.api_schemas import ErrorResponse, PageArgs, page_of
from app.core.errors import InvalidInput, PermissionDenied
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import (ScopeType, has_permission, has_permission_somewhere, public, requires,
                                  scopes_with, signed_in)
from app.core.time import utcnow
from app.extensions import db

blp = Blueprint("competitions_api", __name__, description="Competitions (竞赛), events (赛项) and entries.")


# --- schemas -----------------------------------------------------------------------------

class EventOut(Schema):
    id = fields.Integer()
    competition_id = fields.Integer()
    code = fields.String()
    name = fields.String()
    is_team = fields.Boolean()
    capacity = fields.Integer()
    seats_taken = fields.Integer()
    seats_left = fields.Integer()
    waitlist_length = fields.Integer(metadata={"description": "Entries waiting for a seat."})
    opens_at = fields.DateTime()
    closes_at = fields.DateTime()
    is_open = fields.Boolean(metadata={"description": "Registration is open now: opens_at ≤ now < closes_at."})


class CompetitionOut(Schema):
    id = fields.Integer()
    name = fields.String()
    year = fields.Integer()
    level = fields.Enum(CompetitionLevel, by_value=True)
    committee_id = fields.Integer(allow_none=True)
    description = fields.String(allow_none=True)
    is_public = fields.Boolean()
    max_events_per_person = fields.Integer(allow_none=True)


_COMPETITION_OUT = CompetitionOut()


class CompetitionDetailOut(CompetitionOut):
    events = fields.List(fields.Nested(EventOut))


class CompetitionPage(Schema):
    items = fields.List(fields.Nested(CompetitionOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


# Ids are INTEGER columns: a larger number is a 422, never a database error.
ROW_ID = validate.Range(min=1, max=MAX_ROW_ID)


class RegistrationIn(Schema):
    person_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID, metadata={
        "description": "Whom to register; leave out to register yourself. A unit's liaison may name a "
                       "person of the unit; staff anyone."})
    answers = fields.Dict(keys=fields.String(validate=validate.Length(max=100)),
                          values=fields.String(validate=validate.Length(max=1000)),
                          load_default=dict, validate=validate.Length(max=50),
                          metadata={"description": "Answers to the event's extra questions, by label."})


class RegistrationOut(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    person_id = fields.Integer()
    organisation_id = fields.Integer(allow_none=True)
    status = fields.Enum(RegistrationStatus, by_value=True)
    channel = fields.Enum(Channel, by_value=True)
    holds_seat = fields.Boolean()
    waitlist_position = fields.Integer(allow_none=True, metadata={"description": "Issued in order, never reused."})
    waitlist_place = fields.Function(registration.waitlist_place, allow_none=True,
                                     metadata={"description": "1 for the first in line; null when not waiting."})
    exam_number = fields.String(allow_none=True)
    reject_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()


_REGISTRATION_OUT = RegistrationOut()  # built once: building a schema costs more than using it


class RegistrationPage(Schema):
    items = fields.List(fields.Nested(RegistrationOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class RegistrationQuery(PageArgs):
    competition_id = fields.Integer(load_default=None, validate=ROW_ID)
    event_id = fields.Integer(load_default=None, validate=ROW_ID)
    organisation_id = fields.Integer(load_default=None, validate=ROW_ID)
    status = fields.Enum(RegistrationStatus, by_value=True, load_default=None)
    q = fields.String(load_default=None, validate=validate.Length(max=64),
                      metadata={"description": "A name (part of it) or an exam number."})


class RejectIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class WithdrawIn(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


# --- finding what the caller may see -----------------------------------------------------

def _visible_competitions(user):
    """Public competitions, and for staff also those they manage (all, or their committees')."""
    query = select(Competition).order_by(Competition.year.desc(), Competition.id.desc())
    if not getattr(user, "is_authenticated", False):
        return query.where(Competition.is_public)
    committees = scopes_with(user, "competitions.manage", ScopeType.COMMITTEE)
    if committees is None:
        return query
    return query.where(or_(Competition.is_public, Competition.committee_id.in_(committees)))


def _competition_or_404(competition_id: int) -> Competition:
    competition = db.get_or_404(Competition, competition_id)
    if not (competition.is_public or has_permission(current_user, "competitions.manage",
                                                    competition_scope(competition))):
        abort(404)
    return competition


def _waitlists(event_ids: list[int]) -> dict[int, int]:
    """How many entries wait in each event."""
    rows = db.session.execute(
        select(Registration.event_id, func.count(Registration.id))
        .where(Registration.event_id.in_(event_ids), Registration.status == RegistrationStatus.WAITLISTED)
        .group_by(Registration.event_id))
    return dict(rows.all())


def _events_out(events: list[Event]) -> list[dict]:
    """The events as EventOut reads them, with their waiting lists counted in one query."""
    waiting = _waitlists([event.id for event in events]) if events else {}
    now = utcnow()
    columns = ("id", "competition_id", "code", "name", "is_team", "capacity", "seats_taken", "seats_left",
               "opens_at", "closes_at")
    return [{**{name: getattr(event, name) for name in columns},
             "waitlist_length": waiting.get(event.id, 0), "is_open": event.is_open(now)} for event in events]


def _entry_or_404(registration_id: int) -> Registration:
    """The entry, when the caller may see it (their own, their unit's, or their events'); else 404."""
    entry = db.session.scalar(listing.entries_for(current_user, listing.EntryFilter())
                              .where(Registration.id == registration_id))
    if entry is None:
        abort(404)
    return entry


# --- competitions and events ---------------------------------------------------------------

@blp.route("/competitions")
@public
@blp.arguments(PageArgs, location="query")
@blp.response(200, CompetitionPage)
def list_competitions(args):
    """Public competitions; staff also see the ones they manage."""
    return page_of(_visible_competitions(current_user), args)


@blp.route("/competitions/<int:competition_id>")
@public
@blp.response(200, CompetitionDetailOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_competition(competition_id: int):
    """One competition with its events, their seats and waiting lists."""
    competition = _competition_or_404(competition_id)
    return {**{name: getattr(competition, name) for name in _COMPETITION_OUT.fields},
            "events": _events_out(competition.events)}


@blp.route("/events/<int:event_id>")
@public
@blp.response(200, EventOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_event(event_id: int):
    """One event: its window, seats taken and left, and the waiting list's length."""
    event = db.get_or_404(Event, event_id)
    _competition_or_404(event.competition_id)
    return _events_out([event])[0]


# --- entering ------------------------------------------------------------------------------

@blp.route("/events/<int:event_id>/registrations", methods=["POST"])
@signed_in
@blp.arguments(RegistrationIn)
@blp.response(201, RegistrationOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse, description="Closed, not eligible, already registered, quota used up.")
@blp.alt_response(422, schema=ErrorResponse)
def register(data, event_id: int):
    """Enter an event: yourself, or (person_id) a person of your unit as its liaison, or anyone as staff.

    The entry gets a seat while there is one, else the next place on the waiting list.
    """
    event = db.session.get(Event, event_id, options=[joinedload(Event.competition)])  # its rules live there
    if event is None:
        abort(404)
    if data["person_id"] is None:
        person, channel = current_user.person, Channel.SELF
    else:
        if has_permission(current_user, "competitions.manage", competition_scope(event.competition)):
            channel = Channel.STAFF
        elif has_permission_somewhere(current_user, "registrations.register_unit"):
            channel = Channel.LIAISON
        else:
            raise PermissionDenied(_("You do not have permission to do this."))
        person = db.session.get(Person, data["person_id"])
        if person is None:
            raise InvalidInput(_("No such person."), field="person_id")
    entry = registration.register(event, person, actor=current_user, channel=channel, answers=data["answers"])
    # Answered as written: the request commits after the answer is built (app.core.transaction),
    # with the event still locked, so the answer is a plain dict of what the entry was given
    # (RegistrationOut's shape), and nothing is read back.
    return jsonify(_new_entry_out(entry)), 201


def _new_entry_out(entry: Registration) -> dict:
    """A new entry as RegistrationOut writes it, without marshmallow (tests/api holds them equal)."""
    return {"id": entry.id, "event_id": entry.event_id, "person_id": entry.person_id,
            "organisation_id": entry.organisation_id, "status": entry.status.value, "channel": entry.channel.value,
            "holds_seat": entry.holds_seat, "waitlist_position": entry.waitlist_position,
            "waitlist_place": entry.place_at_entry, "exam_number": entry.exam_number,
            "reject_reason": entry.reject_reason, "created_at": entry.created_at.isoformat()}


# --- entries -------------------------------------------------------------------------------

@blp.route("/registrations")
@signed_in
@blp.arguments(RegistrationQuery, location="query")
@blp.response(200, RegistrationPage)
def list_registrations(args):
    """Entries the caller may see: staff their events', a liaison their unit's, everyone their own."""
    flt = listing.EntryFilter(competition_id=args["competition_id"], event_id=args["event_id"],
                              organisation_id=args["organisation_id"], status=args["status"], search=args["q"])
    return page_of(listing.entries_for(current_user, flt), args)


@blp.route("/me/registrations")
@signed_in
@blp.arguments(PageArgs, location="query")
@blp.response(200, RegistrationPage)
def my_registrations(args):
    """The caller's own entries, newest first."""
    return page_of(listing.entries_of_person(current_user.person_id), args)


@blp.route("/registrations/<int:registration_id>")
@signed_in
@blp.response(200, RegistrationOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_registration(registration_id: int):
    """One entry: the entrant's own, their unit's liaison's, or staff of the event's."""
    return _entry_or_404(registration_id)


@blp.route("/registrations/<int:registration_id>/withdraw", methods=["POST"])
@signed_in
@blp.arguments(WithdrawIn)
@blp.response(200, RegistrationOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
def withdraw(data, registration_id: int):
    """Leave the event (the entrant, their liaison or staff); a freed seat goes to the first waiting."""
    return registration.withdraw(_entry_or_404(registration_id), actor=current_user, reason=data["reason"])


@blp.route("/registrations/<int:registration_id>/endorse", methods=["POST"])
@requires("registrations.endorse", scope=scope_of_registration_id, scope_arg="registration_id")
@blp.response(200, RegistrationOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
def endorse(registration_id: int):
    """The unit's liaison confirms a submitted entry (submitted → endorsed)."""
    return registration.endorse(db.get_or_404(Registration, registration_id), actor=current_user)


@blp.route("/registrations/<int:registration_id>/approve", methods=["POST"])
@requires("competitions.manage", scope=scope_of_registration_id, scope_arg="registration_id")
@blp.response(200, RegistrationOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
def approve(registration_id: int):
    """Staff approve an endorsed entry; it gets the event's next exam number."""
    return registration.approve(db.get_or_404(Registration, registration_id), actor=current_user)


@blp.route("/registrations/<int:registration_id>/reject", methods=["POST"])
@signed_in
@blp.arguments(RejectIn)
@blp.response(200, RegistrationOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def reject(data, registration_id: int):
    """Refuse an entry with a reason: staff any active one, the unit's liaison a submitted one."""
    return registration.reject(_entry_or_404(registration_id), actor=current_user, reason=data["reason"])
