"""/api/v1 panels, draws and seats: setting up an event's panels, drawing them, checking a
draw, seating and removing judges; and /me/assignments, where a judge answers invitations.

Staff holding `judges.manage` for the event's committee (or everywhere) manage its panels; a
judge acts only on their own seats (anyone else's is not found). The rules live in
app.judges.services.panels and .draws; this module reads the request and answers.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from app.core.api_schemas import ErrorResponse
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import requires, signed_in
from app.extensions import db
from app.judges.draw import MAX_SEED_LENGTH
from app.judges.models import CompatriotRule, MemberSource, MemberStatus, Panel, PanelRole, PanelStatus, SeedSource
from app.judges.services import draws, panels, pool, seats
from app.judges.services.facts import event_facts

blp = Blueprint("judge_panels_api", __name__, description="Judge panels (裁判组), their draws (随机抽取) and seats.")

ROW_ID = validate.Range(min=1, max=MAX_ROW_ID)


# --- schemas -------------------------------------------------------------------------------------

class PanelOut(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    stage_id = fields.Integer(allow_none=True)
    name = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    session_id = fields.Integer(allow_none=True, metadata={
        "description": "The session (场次) the panel judges (given under /api/v1/sessions/{id}); null: it sits on "
                       "its dates."})
    starts_at = fields.AwareDateTime(allow_none=True, metadata={"description": "The session's start, when it has one."})
    ends_at = fields.AwareDateTime(allow_none=True, metadata={"description": "The session's end, when it has one."})
    speciality_id = fields.Integer()
    min_level_id = fields.Integer(allow_none=True)
    chiefs = fields.Integer()
    judges = fields.Integer()
    reserves = fields.Integer()
    max_per_unit = fields.Integer(allow_none=True, metadata={"description": "Over chief judges and judges."})
    max_per_region = fields.Integer(allow_none=True)
    compatriot_rule = fields.Enum(CompatriotRule, by_value=True, metadata={
        "description": "exclude: judges from a contestant's unit are not drawn; withhold: they sit, and their "
                       "unit's contestants are withheld from their sheets."})
    status = fields.Enum(PanelStatus, by_value=True)
    draw_id = fields.Integer(allow_none=True)
    short = fields.Function(lambda panel: panels.seats_of(panel).short,
                            metadata={"description": "Chief judge and judge seats nobody holds (invited or accepted)."})


class MemberOut(Schema):
    id = fields.Integer()
    panel_id = fields.Integer()
    profile_id = fields.Integer()
    full_name = fields.Function(lambda m: m.profile.person.full_name)
    role = fields.Enum(PanelRole, by_value=True)
    status = fields.Enum(MemberStatus, by_value=True, metadata={
        "description": "standby: a reserve in line, not asked yet; invited; accepted; declined; removed."})
    reserve_order = fields.Integer(allow_none=True, metadata={"description": "Reserves: 1 is asked first."})
    source = fields.Enum(MemberSource, by_value=True)
    replaces_id = fields.Integer(allow_none=True)
    invited_at = fields.DateTime()
    responded_at = fields.DateTime(allow_none=True)
    decline_reason = fields.String(allow_none=True)


class PanelDetailOut(PanelOut):
    members = fields.Function(lambda panel: MemberOut(many=True).dump(panels.members_of(panel.id)),
                              metadata={"description": "Every member row: seats, reserves in line, those who left."})


PANEL_DATE = validate.Range(min=panels.EARLIEST, max=panels.LATEST)


class PanelIn(Schema):
    """At least one chief judge or judge (chiefs + judges ≥ 1)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=panels.MAX_NAME))
    starts_on = fields.Date(required=True, validate=PANEL_DATE)
    ends_on = fields.Date(required=True, validate=PANEL_DATE, metadata={
        "description": f"Not before starts_on nor in the past; at most {panels.MAX_DAYS} days from starts_on."})
    speciality_id = fields.Integer(strict=True, required=True, validate=ROW_ID)
    min_level_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID)
    stage_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID)
    chiefs = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=0, max=panels.LIMITS["chiefs"]))
    judges = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=panels.LIMITS["judges"]))
    reserves = fields.Integer(strict=True, load_default=0,
                              validate=validate.Range(min=0, max=panels.LIMITS["reserves"]))
    max_per_unit = fields.Integer(strict=True, load_default=None, allow_none=True,
                                  validate=validate.Range(min=1, max=panels.MAX_CAP))
    max_per_region = fields.Integer(strict=True, load_default=None, allow_none=True,
                                    validate=validate.Range(min=1, max=panels.MAX_CAP))
    compatriot_rule = fields.Enum(CompatriotRule, by_value=True, load_default=CompatriotRule.EXCLUDE)


class DrawIn(Schema):
    seed = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_SEED_LENGTH), metadata={
        "description": "A seed agreed in front of witnesses; leave out for a secure random seed drawn now."})
    witnesses = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=draws.MAX_WITNESSES),
                              metadata={"description": "Names of those present; required with a seed."})


class DrawOut(Schema):
    id = fields.Integer()
    panel_id = fields.Integer()
    seed = fields.String()
    seed_source = fields.Enum(SeedSource, by_value=True)
    algorithm = fields.String()
    witnesses = fields.String(allow_none=True)
    ran_by_id = fields.Integer()
    ran_at = fields.DateTime()
    constraints = fields.Dict()
    candidates = fields.List(fields.Dict(), metadata={"description": "The pool as it stood (ids, no personal data)."})
    result = fields.Dict(metadata={"description": "chiefs, judges, reserves (profile ids, in drawn order), "
                                                  "reserves_short, passed_over, excluded (profile id → reasons)."})


class DifferenceOut(Schema):
    what = fields.String()
    stored = fields.Raw(allow_none=True)
    recomputed = fields.Raw(allow_none=True)


class VerificationOut(Schema):
    draw_id = fields.Integer()
    identical = fields.Boolean()
    differences = fields.List(fields.Nested(DifferenceOut))


class AssignIn(Schema):
    profile_id = fields.Integer(strict=True, required=True, validate=ROW_ID)
    role = fields.Enum(PanelRole, by_value=True, required=True)


class ReasonIn(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=seats.MAX_REASON))


class AssignmentOut(Schema):
    member = fields.Nested(MemberOut)
    panel = fields.Nested(PanelOut)
    event_name = fields.Function(lambda a: a.facts.name)
    competition_name = fields.Function(lambda a: a.facts.competition_name)
    withheld_unit_id = fields.Function(lambda a: a.withheld_unit.id if a.withheld_unit else None, allow_none=True,
                                       metadata={"description": "This unit's contestants are not on the judge's "
                                                                "sheets (compatriot rule withhold)."})


# --- panels --------------------------------------------------------------------------------------

@blp.route("/events/<int:event_id>/panels")
@requires("judges.manage", scope=panels.scope_of_event_id, scope_arg="event_id")
@blp.response(200, PanelOut(many=True))
@blp.alt_response(404, schema=ErrorResponse)
def list_panels(event_id: int):
    """The event's panels, soonest first."""
    event_facts(event_id)
    return db.session.scalars(select(Panel).where(Panel.event_id == event_id).order_by(Panel.starts_on, Panel.id))


@blp.route("/events/<int:event_id>/panels", methods=["POST"])
@requires("judges.manage", scope=panels.scope_of_event_id, scope_arg="event_id")
@blp.arguments(PanelIn)
@blp.response(201, PanelOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def create_panel(data, event_id: int):
    """Set up a panel: dates, trade, lowest level, seats, caps and the compatriot rule."""
    return panels.create_panel(event_id, panels.PanelFields(**data), actor=current_user)


@blp.route("/panels/<int:panel_id>")
@requires("judges.manage", scope=panels.scope_of_panel_id, scope_arg="panel_id")
@blp.response(200, PanelDetailOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_panel(panel_id: int):
    """A panel with every member row: seats, reserves in line, and those who left."""
    return panels.panel_or_404(panel_id)


# --- draws ---------------------------------------------------------------------------------------

@blp.route("/panels/<int:panel_id>/draw", methods=["POST"])
@requires("judges.manage", scope=panels.scope_of_panel_id, scope_arg="panel_id")
@blp.arguments(DrawIn)
@blp.response(201, DrawOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse,
                  description="Drawn already (by whom, when), or draw_infeasible: which rule leaves too few judges.")
@blp.alt_response(422, schema=ErrorResponse)
def run_draw(data, panel_id: int):
    """Draw the panel from the pool as it stands and invite the chief judges and judges."""
    asked = draws.DrawRequest(witnessed=data["seed"] is not None, seed=data["seed"], witnesses=data["witnesses"])
    return draws.run_draw(panels.panel_or_404(panel_id), asked, actor=current_user)


@blp.route("/draws/<int:draw_id>")
@requires("judges.manage", scope=panels.scope_of_draw_id, scope_arg="draw_id")
@blp.response(200, DrawOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_draw(draw_id: int):
    """A draw as it was made: seed, rules, the candidate snapshot and the result."""
    return panels.draw_or_404(draw_id)


@blp.route("/draws/<int:draw_id>/verify")
@requires("judges.manage", scope=panels.scope_of_draw_id, scope_arg="draw_id")
@blp.response(200, VerificationOut)
@blp.alt_response(404, schema=ErrorResponse)
def verify_draw(draw_id: int):
    """Recompute the draw from its stored seed, rules and candidates and compare with its result."""
    differences = draws.verify(panels.draw_or_404(draw_id))
    return {"draw_id": draw_id, "identical": not differences,
            "differences": [{"what": d.what, "stored": d.stored, "recomputed": d.recomputed} for d in differences]}


# --- seats ---------------------------------------------------------------------------------------

@blp.route("/panels/<int:panel_id>/members", methods=["POST"])
@requires("judges.manage", scope=panels.scope_of_panel_id, scope_arg="panel_id")
@blp.arguments(AssignIn)
@blp.response(201, MemberOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse, description="not_eligible with every reason; full; conflict.")
@blp.alt_response(422, schema=ErrorResponse)
def assign_member(data, panel_id: int):
    """Seat a judge by hand (a drawn panel's open seat, a recorder, or a reserve last in line)."""
    return seats.assign(panels.panel_or_404(panel_id), data["profile_id"], data["role"], actor=current_user)


@blp.route("/panel-members/<int:member_id>/remove", methods=["POST"])
@requires("judges.manage", scope=panels.scope_of_member_id, scope_arg="member_id")
@blp.arguments(ReasonIn)
@blp.response(200, MemberOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def remove_member(data, member_id: int):
    """Take a judge off the panel; a chief judge or judge is replaced by the next reserve who may sit."""
    return seats.remove_member(panels.member_or_404(member_id), data["reason"], actor=current_user)


# --- the judge themself --------------------------------------------------------------------------

@blp.route("/me/assignments")
@signed_in
@blp.response(200, AssignmentOut(many=True))
@blp.alt_response(404, schema=ErrorResponse, description="The caller is not in the judge pool.")
def my_assignments():
    """The caller's invitations, seats and places in line as a reserve, soonest first."""
    profile = pool.profile_of_user(current_user)
    if profile is None:
        abort(404)
    return panels.assignments_of(profile)


@blp.route("/me/assignments/<int:member_id>/accept", methods=["POST"])
@signed_in
@blp.response(200, MemberOut)
@blp.alt_response(404, schema=ErrorResponse, description="Not the caller's.")
@blp.alt_response(409, schema=ErrorResponse, description="Not open (answered already, withdrawn).")
def accept_invitation(member_id: int):
    """Accept an invitation."""
    return seats.accept(seats.own_member(member_id, current_user), actor=current_user)


@blp.route("/me/assignments/<int:member_id>/decline", methods=["POST"])
@signed_in
@blp.arguments(ReasonIn)
@blp.response(200, MemberOut)
@blp.alt_response(404, schema=ErrorResponse, description="Not the caller's.")
@blp.alt_response(409, schema=ErrorResponse, description="Not open.")
@blp.alt_response(422, schema=ErrorResponse)
def decline_invitation(data, member_id: int):
    """Decline an invitation (or withdraw after accepting); the next reserve who may sit is invited."""
    return seats.decline(seats.own_member(member_id, current_user), data["reason"], actor=current_user)
