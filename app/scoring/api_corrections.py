"""/api/v1 of what follows the lock: corrections of locked marks, and the third marker (on the
blueprint of app/scoring/api.py).

A judge of the panel asks for a correction of a locked mark of their own (the chief judge: of
any of the panel's) and sees their own requests; the panel's chief judge and the event's staff
(`competitions.manage` in its committee) see all of them and approve or refuse: the second
approval, by the other of the two, applies the change. The staff's list of every correction
waiting in an event: /scoring/events/{event_id}/corrections. The chief judge asks a third
marker for a cell flagged "third_marker". Problems: 422 with every problem listed; a decided
correction or a second open one on a mark: 409.
"""
from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.competitions.models import Event
from app.competitions.services.access import event_scope
from app.core.api_schemas import ErrorResponse
from app.core.permissions import Scope, requires, requires_relation
from app.extensions import db
from app.judges.models import Panel
from app.judges.services.relations import PANEL_CHIEF, PANEL_MEMBER
from app.scoring.api import ROW_ID, DecimalString, blp
from app.scoring.services import corrections as service
from app.scoring.services import third_markers

MANAGE = "competitions.manage"


class CorrectionIn(Schema):
    mark_id = fields.Integer(required=True, strict=True, validate=ROW_ID,
                             metadata={"description": "A locked mark (see the panel's progress)"})
    value = DecimalString(required=True, metadata={"description": "The new mark, on the aspect's scale"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class RefusalIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class CorrectionOut(Schema):
    id = fields.Integer()
    panel_id = fields.Integer()
    mark_id = fields.Integer()
    contestant = fields.String()
    aspect = fields.String()
    attempt = fields.Integer()
    judge = fields.String(metadata={"description": "Whose mark it is"})
    asked_by = fields.String()
    old_value = fields.String()
    new_value = fields.String()
    reason = fields.String()
    status = fields.String(metadata={"description": "pending, applied or refused"})
    chief_approved = fields.Boolean()
    staff_approved = fields.Boolean()
    refusal = fields.String(allow_none=True)
    requested_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class ThirdMarkerIn(Schema):
    sheet_id = fields.Integer(required=True, strict=True, validate=ROW_ID,
                              metadata={"description": "The sheet of the judge asked (see the panel's progress)"})


class ThirdMarkerOut(Schema):
    flag_id = fields.Integer()
    sheet_id = fields.Integer()


def _out(row: service.Row) -> dict:
    c = row.correction
    return {"id": c.id, "panel_id": c.panel_id, "mark_id": c.mark_id, "contestant": row.contestant,
            "aspect": row.aspect, "attempt": row.attempt, "judge": row.judge, "asked_by": row.asked_by,
            "old_value": str(c.old_value), "new_value": str(c.new_value), "reason": c.reason, "status": c.status,
            "chief_approved": c.chief_by_id is not None, "staff_approved": c.staff_by_id is not None,
            "refusal": c.refusal, "requested_at": c.requested_at, "decided_at": c.decided_at}


def _one(correction) -> dict:
    return _out(service.rows([correction])[0])


def _scope_of_panel(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(Event, db.get_or_404(Panel, view_args.get("panel_id")).event_id))


def _scope_of_event(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(Event, view_args.get("event_id")))


@blp.route("/scoring/panels/<int:panel_id>/corrections")
@requires(MANAGE, scope=_scope_of_panel, scope_arg="panel_id", relation=PANEL_MEMBER, relation_arg="panel_id")
@blp.response(200, CorrectionOut(many=True))
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
def list_corrections(panel_id: int):
    """The panel's corrections, newest first (a judge: their own requests)."""
    panel = db.get_or_404(Panel, panel_id)
    return [_out(row) for row in service.rows(service.of_panel_list(panel, current_user))]


@blp.route("/scoring/panels/<int:panel_id>/corrections", methods=["POST"])
@requires_relation(PANEL_MEMBER, arg="panel_id")
@blp.arguments(CorrectionIn)
@blp.response(201, CorrectionOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def ask_correction(data, panel_id: int):
    """Ask for a locked mark to change, with the new value and a reason."""
    panel = db.get_or_404(Panel, panel_id)
    return _one(service.request(panel, data["mark_id"], data["value"], data["reason"], actor=current_user))


@blp.route("/scoring/panels/<int:panel_id>/corrections/<int:correction_id>/approve", methods=["POST"])
@requires(MANAGE, scope=_scope_of_panel, scope_arg="panel_id", relation=PANEL_CHIEF, relation_arg="panel_id")
@blp.response(200, CorrectionOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def approve_correction(panel_id: int, correction_id: int):
    """Approve as the chief judge or as staff; the second approval (by the other) changes the mark."""
    panel = db.get_or_404(Panel, panel_id)
    correction = service.of_panel(panel, correction_id)
    return _one(service.approve(correction, actor=current_user, roles=service.capacities(current_user, panel)))


@blp.route("/scoring/panels/<int:panel_id>/corrections/<int:correction_id>/refuse", methods=["POST"])
@requires(MANAGE, scope=_scope_of_panel, scope_arg="panel_id", relation=PANEL_CHIEF, relation_arg="panel_id")
@blp.arguments(RefusalIn)
@blp.response(200, CorrectionOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def refuse_correction(data, panel_id: int, correction_id: int):
    """Refuse, with a reason: the mark stays."""
    panel = db.get_or_404(Panel, panel_id)
    correction = service.of_panel(panel, correction_id)
    return _one(service.refuse(correction, data["reason"], actor=current_user,
                               roles=service.capacities(current_user, panel)))


@blp.route("/scoring/events/<int:event_id>/corrections")
@requires(MANAGE, scope=_scope_of_event, scope_arg="event_id")
@blp.response(200, CorrectionOut(many=True))
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
def event_corrections(event_id: int):
    """Staff: every correction waiting on the event's panels."""
    return [_out(row) for row in service.rows(service.pending_of_event(db.get_or_404(Event, event_id)))]


@blp.route("/scoring/panels/<int:panel_id>/flags/<int:flag_id>/third-marker", methods=["POST"])
@requires_relation(PANEL_CHIEF, arg="panel_id")
@blp.arguments(ThirdMarkerIn)
@blp.response(201, ThirdMarkerOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def assign_third_marker(data, panel_id: int, flag_id: int):
    """The chief judge asks a judge who has not marked the flagged cell, and may see the contestant, to mark it."""
    third = third_markers.assign(db.get_or_404(Panel, panel_id), flag_id, data["sheet_id"], actor=current_user)
    return {"flag_id": third.flag_id, "sheet_id": data["sheet_id"]}
