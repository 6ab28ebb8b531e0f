"""/api/v1/events/<id>/station-draws and /station-draws/<id>: running an event's station draw
(抽签) and reading its record with the seats it gave, names included.

The same service as the staff page (app.competitions.services.station_draws), so the same
rules and answers: a second draw is refused naming who drew and when; too few places are
refused with the numbers; a contestant booked elsewhere at the time is named.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from app.accounts.models import Person
from app.competitions.models import Event, Registration, SessionSeat, StationDraw
from app.competitions.services import station_draws
from app.competitions.services.access import event_scope, scope_of_event_id
from app.core.api_schemas import ErrorResponse
from app.core.errors import NotFound
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import Scope, requires
from app.core.seeded_draw import MAX_SEED_LENGTH, MAX_WITNESSES
from app.extensions import db
from app.judges.models import SeedSource
from app.orgs.models import Organisation

blp = Blueprint("station_draws_api", __name__, description="The station draw (抽签): sessions and stations for "
                                                           "an event's approved entries.")


class StationDrawIn(Schema):
    seed = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_SEED_LENGTH), metadata={
        "description": "A seed agreed in front of witnesses; leave out for a secure random seed drawn now."})
    witnesses = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_WITNESSES),
                              metadata={"description": "Names of those present; required with a seed."})
    stage_id = fields.Integer(strict=True, load_default=None, allow_none=True,
                              validate=validate.Range(min=1, max=MAX_ROW_ID), metadata={
                                  "description": "Draw the sessions of this stage of the event; leave out for the "
                                                 "sessions without a stage."})


class SeatOut(Schema):
    seat_id = fields.Integer(allow_none=True, metadata={"description": "The seat as it stands now (null: changed "
                                                                       "since, see the audit log)."})
    session_id = fields.Integer()
    station_id = fields.Integer()
    station_number = fields.Integer()
    registration_id = fields.Integer()
    person_id = fields.Integer()
    name = fields.String(metadata={"description": "The contestant's name."})
    unit = fields.String(allow_none=True, metadata={"description": "The entry's unit."})


class StationDrawOut(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    stage_id = fields.Integer(allow_none=True)
    seed = fields.String()
    seed_source = fields.Enum(SeedSource, by_value=True)
    witnesses = fields.String(allow_none=True)
    algorithm = fields.String()
    rules = fields.Dict()
    snapshot = fields.Dict(metadata={"description": "The sessions with their stations in service and the entries "
                                                    "with their contestants, as the draw saw them."})
    ran_by_id = fields.Integer(allow_none=True)
    ran_at = fields.DateTime()
    seats = fields.List(fields.Nested(SeatOut), metadata={"description": "What the draw gave, in session and "
                                                                         "station order."})
    verify = fields.String(metadata={"description": "The command that recomputes the draw and compares."})


def _draw_or_404(draw_id: int) -> StationDraw:
    record = db.session.get(StationDraw, draw_id) if 0 < draw_id <= MAX_ROW_ID else None
    if record is None:
        raise NotFound(_("No such station draw."))
    return record


def scope_of_station_draw_id(view_args: dict) -> Scope:
    return event_scope(_draw_or_404(view_args.get("station_draw_id")).event)


def _answer(record: StationDraw) -> dict:
    """The record with its seats named (names, not ids, for people reading the answer)."""
    stored = [row for row in record.result.get("seats", []) if isinstance(row, list) and len(row) == 5]
    person_ids = {row[4] for row in stored}
    names = dict(db.session.execute(select(Person.id, Person.full_name).where(Person.id.in_(person_ids))).all()) \
        if person_ids else {}
    registration_ids = {row[3] for row in stored}
    units = dict(db.session.execute(
        select(Registration.id, Organisation.name).join(Organisation, Registration.organisation_id == Organisation.id)
        .where(Registration.id.in_(registration_ids))).all()) if registration_ids else {}
    now = {(seat.session_id, seat.station_id, seat.person_id): seat.id for seat in
           db.session.scalars(select(SessionSeat).where(SessionSeat.draw_id == record.id))}
    seats = [{"seat_id": now.get((session_id, station_id, person_id)), "session_id": session_id,
              "station_id": station_id, "station_number": number, "registration_id": registration_id,
              "person_id": person_id, "name": names.get(person_id, ""), "unit": units.get(registration_id)}
             for session_id, station_id, number, registration_id, person_id in stored]
    return {**{column: getattr(record, column) for column in
               ("id", "event_id", "stage_id", "seed", "witnesses", "algorithm", "rules", "snapshot",
                "ran_by_id", "ran_at")},
            "seed_source": SeedSource(record.seed_source), "seats": seats,
            "verify": f"flask --app wsgi schedule verify-draw {record.id}"}


@blp.route("/events/<int:event_id>/station-draws", methods=["POST"])
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
@blp.arguments(StationDrawIn)
@blp.response(201, StationDrawOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse, description="Drawn already (by whom, when); no sessions or no approved "
                                                         "entries; station_draw_infeasible: too few places, with "
                                                         "the numbers; a contestant booked elsewhere at the time.")
@blp.alt_response(422, schema=ErrorResponse)
def run_station_draw(data, event_id: int):
    """Draw sessions and stations for the event's approved entries: a team on adjacent stations,
    each unit spread over the sessions, stations out of service skipped."""
    event = db.get_or_404(Event, event_id)
    asked = station_draws.DrawRequest(witnessed=data["seed"] is not None, seed=data["seed"],
                                      witnesses=data["witnesses"])
    record = station_draws.run_draw(event, asked, actor=current_user, stage_id=data["stage_id"])
    return _answer(record)


@blp.route("/station-draws/<int:station_draw_id>")
@requires("competitions.manage", scope=scope_of_station_draw_id, scope_arg="station_draw_id")
@blp.response(200, StationDrawOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_station_draw(station_draw_id: int):
    """A station draw as it was made: seed, rules, the snapshot and the seats it gave."""
    return _answer(_draw_or_404(station_draw_id))
