"""/api/v1/competitions/<id>/timetable and /api/v1/me/timetable: the timetables of the pages, as JSON.

A competition's timetable answers what its page shows the caller (services.timetables decides
who sees names: staff, people involved, or nobody); an unpublished competition is 404 to
those who do not manage it. Times carry the association's offset (e.g. +08:00).
"""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.competitions.routes.public import visible_competition
from app.competitions.services import timetables
from app.core.api_schemas import ErrorResponse
from app.core.permissions import public, signed_in
from app.judges.models import PanelRole

blp = Blueprint("timetables_api", __name__, description="Timetables (日程): sessions by day, and one's own.")


class TimetableSeatOut(Schema):
    person_id = fields.Integer()
    name = fields.String()
    station = fields.Integer()
    unit = fields.String(allow_none=True, metadata={"description": "Staff only."})
    exam_number = fields.String(allow_none=True, metadata={"description": "Staff only."})
    team = fields.String(allow_none=True)


class TimetableJudgeOut(Schema):
    person_id = fields.Integer()
    name = fields.String()
    role = fields.Enum(PanelRole, by_value=True)


class SlotOut(Schema):
    id = fields.Integer()
    name = fields.String()
    competition_id = fields.Integer()
    event_id = fields.Integer()
    event_name = fields.String()
    stage_name = fields.String(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    room_id = fields.Integer()
    room = fields.String()
    venue = fields.String()
    place = fields.String(metadata={"description": "venue · room"})
    stations = fields.List(fields.Integer(), metadata={"description": "Numbers of the stations in service."})
    capacity = fields.Integer()
    seated = fields.Integer()
    seats = fields.List(fields.Nested(TimetableSeatOut), metadata={"description": "Empty when the caller may not see names."})
    judges = fields.List(fields.Nested(TimetableJudgeOut))


class DayOut(Schema):
    day = fields.Date()
    sessions = fields.List(fields.Nested(SlotOut))


class TimetableOut(Schema):
    title = fields.String()
    visibility = fields.String(metadata={
        "description": "sessions: no names (the public); names: names and stations (people involved); "
                       "full: with units and exam numbers (staff)."})
    days = fields.List(fields.Nested(DayOut))


class AppointmentOut(Schema):
    kind = fields.String(metadata={"description": "contest: a seat in the session; judging: a seat on its panel."})
    session_id = fields.Integer()
    session_name = fields.String()
    competition_name = fields.String()
    event_name = fields.String()
    stage_name = fields.String(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    room = fields.String()
    venue = fields.String()
    place = fields.String(metadata={"description": "venue · room"})
    station = fields.Integer(allow_none=True)
    equipment = fields.String(allow_none=True, metadata={"description": "What the station has."})
    role = fields.Enum(PanelRole, by_value=True, allow_none=True)


class MyTimetableOut(Schema):
    sessions = fields.List(fields.Nested(AppointmentOut))


def _days_out(days) -> list[dict]:
    return [{"day": day.day, "sessions": [{**slot.__dict__, "place": slot.place, "capacity": slot.capacity,
                                           "seats": [seat.__dict__ for seat in slot.seats],
                                           "judges": [judge.__dict__ for judge in slot.judges]}
                                          for slot in day.slots]} for day in days]


@blp.route("/competitions/<int:competition_id>/timetable")
@public
@blp.response(200, TimetableOut)
@blp.alt_response(404, schema=ErrorResponse)
def competition_timetable(competition_id: int):
    """A competition's sessions by day; names only for its staff and the people in it."""
    timetable = timetables.competition_timetable(visible_competition(competition_id), current_user)
    return {"title": timetable.title, "visibility": timetable.visibility, "days": _days_out(timetable.days)}


@blp.route("/me/timetable")
@signed_in
@blp.response(200, MyTimetableOut)
def my_timetable():
    """My sessions — seats in contest sessions and seats on the panels judging them — in time order."""
    days = timetables.personal_days(timetables.appointments_of(current_user.person_id))
    return {"sessions": [{**item.__dict__, "place": item.place} for day in days for item in day.slots]}
