"""/api/v1 of score entry: a judge's sheets and marks, submission; the chief judge's progress
and lock (on the blueprint of app/scoring/api.py).

A judge reaches only their own sheets (the relation panel.member, then the sheet must be
theirs); the chief judge of the panel (panel.chief) reads its progress and locks sheets; the
event's staff (`competitions.manage` in its committee) read the progress too. Marks travel as
decimal strings ("7.5"), each with a client-made id: sending the same id again stores nothing
new ("unchanged"). Problems: 422 with every problem listed; a locked sheet: 409.
"""
from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.competitions.models import Event
from app.competitions.services.access import event_scope
from app.core.api_schemas import ErrorResponse
from app.core.permissions import Scope, requires, requires_relation, signed_in
from app.extensions import db
from app.judges.models import Panel
from app.judges.services.relations import PANEL_CHIEF, PANEL_MEMBER
from app.scoring.api import ROW_ID, DecimalString, blp
from app.scoring.services import chief, visibility
from app.scoring.services import marks as service

MANAGE = "competitions.manage"


class MarkIn(Schema):
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=64),
                              metadata={"description": "Made by the client, unique per judge: a resend stores nothing"})
    registration_id = fields.Integer(required=True, strict=True, validate=ROW_ID)
    aspect_id = fields.Integer(required=True, strict=True, validate=ROW_ID)
    attempt = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=service.MAX_ATTEMPTS))
    value = DecimalString(required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500),
                           metadata={"description": "Why a handed-in mark changes (required then)"})


class MarksIn(Schema):
    marks = fields.List(fields.Nested(MarkIn), required=True,
                        validate=validate.Length(min=1, max=service.MAX_MARKS_PER_BATCH))


class MarkAnswer(Schema):
    client_id = fields.String()
    result = fields.String(metadata={"description": "stored, or unchanged (already there: a resend)"})


class MarksOut(Schema):
    marks = fields.List(fields.Nested(MarkAnswer))
    status = fields.String()


class SheetAspectOut(Schema):
    id = fields.Integer()
    key = fields.String()
    name = fields.String()
    kind = fields.String()
    attempts = fields.Integer()
    min = fields.String()
    max = fields.String()
    step = fields.String(allow_none=True)


class SheetContestantOut(Schema):
    registration_id = fields.Integer()
    number = fields.String(metadata={"description": "Station or work number"})
    name = fields.String(allow_none=True, metadata={"description": "None on a blind sheet"})
    unit = fields.String(allow_none=True)


class MarkOut(Schema):
    registration_id = fields.Integer()
    aspect_id = fields.Integer()
    attempt = fields.Integer()
    value = fields.String()
    client_id = fields.String()
    status = fields.String()
    flagged = fields.Boolean()


class SheetSummary(Schema):
    id = fields.Integer()
    panel_id = fields.Integer()
    scheme_id = fields.Integer()
    scheme = fields.String()
    version = fields.Integer()
    status = fields.String(metadata={"description": "draft, submitted or locked"})
    blind = fields.Boolean()


class SheetOut(SheetSummary):
    aspects = fields.List(fields.Nested(SheetAspectOut))
    contestants = fields.List(fields.Nested(SheetContestantOut))
    marks = fields.List(fields.Nested(MarkOut))
    missing = fields.Integer()


class CellOut(Schema):
    sheet_id = fields.Integer()
    judge = fields.String()
    registration_id = fields.Integer()
    aspect_id = fields.Integer()
    attempt = fields.Integer()
    state = fields.String(metadata={"description": "ok, missing, flagged, hidden (withheld from that judge); with "
                                                   "an aspect's judges per attempt: spare (others marked the cell) "
                                                   "or short (marked, another judge's mark still wanting)"})
    value = fields.String(allow_none=True)


class ProgressSheet(Schema):
    id = fields.Integer()
    judge = fields.String()
    status = fields.String()
    missing = fields.Integer()
    flagged = fields.Integer()
    lockable = fields.Boolean()


class FlagOut(Schema):
    id = fields.Integer()
    registration_id = fields.Integer()
    aspect_id = fields.Integer()
    attempt = fields.Integer()
    spread = fields.String()
    action = fields.String(metadata={"description": "remark (the judges revise) or third_marker"})
    third_marker_sheet_id = fields.Integer(allow_none=True, metadata={"description": "The sheet asked to mark it"})
    candidate_sheet_ids = fields.List(fields.Integer(), metadata={"description": "Sheets that may be asked"})


class ProgressOut(Schema):
    panel_id = fields.Integer()
    scheme_id = fields.Integer()
    version = fields.Integer()
    sheets = fields.List(fields.Nested(ProgressSheet))
    aspects = fields.List(fields.Nested(SheetAspectOut))
    contestants = fields.List(fields.Nested(SheetContestantOut))
    cells = fields.List(fields.Nested(CellOut))
    flags = fields.List(fields.Nested(FlagOut), metadata={"description": "Open flags of the matrix"})


class ProgressQuery(Schema):
    scheme_id = fields.Integer(load_default=None, validate=ROW_ID)


def _plain(value) -> str | None:
    return None if value is None else str(value)


def _summary(sheet) -> dict:
    scheme = sheet.version.scheme
    return {"id": sheet.id, "panel_id": sheet.panel_id, "scheme_id": scheme.id, "scheme": scheme.name,
            "version": sheet.version.number, "status": sheet.status, "blind": scheme.blind}


def _aspect(a) -> dict:
    return {"id": a.id, "key": a.key, "name": a.name, "kind": a.kind, "attempts": service.attempts_of(a),
            "min": _plain(a.scale_min), "max": _plain(a.scale_max), "step": _plain(a.scale_step)}


def _contestant(c) -> dict:
    return {"registration_id": c.registration_id, "number": c.number, "name": c.name, "unit": c.unit}


def _scope_of_panel(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(Event, db.get_or_404(Panel, view_args.get("panel_id")).event_id))


@blp.route("/scoring/sheets")
@signed_in  # anyone's own sheets: none unless they sit on a panel
@blp.response(200, SheetSummary(many=True))
def my_sheets():
    """The signed-in judge's own score sheets, one per scheme of each panel they mark on."""
    return [_summary(sheet) for sheet in service.sheets_of(current_user)]


@blp.route("/scoring/panels/<int:panel_id>/sheets/<int:sheet_id>")
@requires_relation(PANEL_MEMBER, arg="panel_id")
@blp.response(200, SheetOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
def get_sheet(panel_id: int, sheet_id: int):
    """A sheet of one's own: its aspects, the contestants one may see (numbers only when blind), the marks."""
    view = service.view_of(service.own_sheet(sheet_id, current_user, panel_id))
    return {**_summary(view.sheet), "aspects": [_aspect(a) for a in view.aspects],
            "contestants": [_contestant(c) for c in view.contestants], "missing": len(view.missing()),
            "marks": [{"registration_id": m.registration_id, "aspect_id": m.aspect_id, "attempt": m.attempt,
                       "value": str(m.value), "client_id": m.client_id, "status": m.status,
                       "flagged": key in view.flagged} for key, m in view.marks.items()]}


@blp.route("/scoring/panels/<int:panel_id>/sheets/<int:sheet_id>/marks", methods=["POST"])
@requires_relation(PANEL_MEMBER, arg="panel_id")
@blp.arguments(MarksIn)
@blp.response(200, MarksOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def save_marks(data, panel_id: int, sheet_id: int):
    """Store marks on one's own sheet (drafts until it is handed in), each with its client id."""
    sheet = service.own_sheet(sheet_id, current_user, panel_id)
    entries = [service.MarkIn(m["client_id"], m["registration_id"], m["aspect_id"], m["attempt"], m["value"],
                              m["reason"]) for m in data["marks"]]
    answers = service.save_marks(sheet, entries, actor=current_user)
    return {"marks": answers, "status": sheet.status}


@blp.route("/scoring/panels/<int:panel_id>/sheets/<int:sheet_id>/submit", methods=["POST"])
@requires_relation(PANEL_MEMBER, arg="panel_id")
@blp.response(200, SheetSummary)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def submit_sheet(panel_id: int, sheet_id: int):
    """Hand one's sheet in: refused, naming them, while marks are missing."""
    return _summary(service.submit_sheet(service.own_sheet(sheet_id, current_user, panel_id), actor=current_user))


@blp.route("/scoring/panels/<int:panel_id>/progress")
@requires(MANAGE, scope=_scope_of_panel, scope_arg="panel_id", relation=PANEL_CHIEF, relation_arg="panel_id")
@blp.arguments(ProgressQuery, location="query")
@blp.response(200, ProgressOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
def get_progress(query, panel_id: int):
    """The panel's matrix on a scheme (its first ready one by default): contestant × aspect × judge."""
    panel = db.get_or_404(Panel, panel_id)
    state = chief.progress(panel, chief.scheme_of_panel(panel, query["scheme_id"]))
    cells = []
    for sheet in state.sheets:
        for c in state.contestants:
            for a in state.aspects:
                for n in range(1, service.attempts_of(a) + 1):
                    mark = state.marks.get((sheet.id, c.registration_id, a.id, n))
                    cells.append({"sheet_id": sheet.id, "judge": state.judges[sheet.id],
                                  "registration_id": c.registration_id, "aspect_id": a.id, "attempt": n,
                                  "state": state.cell(sheet, c, a, n), "value": _plain(mark and mark.value)})
    sheets = []
    for sheet in state.sheets:
        problems = state.problems(sheet)
        sheets.append({"id": sheet.id, "judge": state.judges[sheet.id], "status": sheet.status,
                       "missing": len(problems) - problems.count("flagged"), "flagged": problems.count("flagged"),
                       "lockable": state.lockable(sheet)})
    return {"panel_id": panel.id, "scheme_id": state.scheme.id, "version": state.version.number, "sheets": sheets,
            "aspects": [_aspect(a) for a in state.aspects], "contestants": [_contestant(c) for c in state.contestants],
            "cells": cells, "flags": [
                {"id": f.id, "registration_id": f.registration_id, "aspect_id": f.aspect_id, "attempt": f.attempt,
                 "spread": str(f.spread), "action": f.action, "third_marker_sheet_id": state.thirds.get(key),
                 "candidate_sheet_ids": [s.id for s in state.candidates(f)] if f.action == "third_marker" else []}
                for key, f in state.flags.items()]}


@blp.route("/scoring/panels/<int:panel_id>/sheets/<int:sheet_id>/lock", methods=["POST"])
@requires_relation(PANEL_CHIEF, arg="panel_id")
@blp.response(200, SheetSummary)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
def lock_sheet(panel_id: int, sheet_id: int):
    """The chief judge locks a handed-in sheet with nothing missing or flagged."""
    return _summary(chief.lock_sheet(chief.sheet_of_panel(panel_id, sheet_id), actor=current_user))



class LockedOut(Schema):
    locked = fields.Integer(metadata={"description": "How many marks were locked"})


@blp.route("/scoring/panels/<int:panel_id>/aspects/<int:aspect_id>/lock", methods=["POST"])
@requires_relation(PANEL_CHIEF, arg="panel_id")
@blp.arguments(ProgressQuery, location="query")
@blp.response(200, LockedOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
def lock_aspect(query, panel_id: int, aspect_id: int):
    """The chief judge locks one aspect on every sheet: all handed in, nothing missing or flagged on it."""
    panel = db.get_or_404(Panel, panel_id)
    scheme = chief.scheme_of_panel(panel, query["scheme_id"])
    return {"locked": chief.lock_aspect(panel, scheme, aspect_id, actor=current_user)}
