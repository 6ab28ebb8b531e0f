"""/api/v1 of scoring: marking schemes (per event, versioned) and the preview (rehearsal).

Whoever manages the event's setup (`competitions.manage` in its committee) reads and builds its
schemes. `POST /scoring/preview` takes a scheme — a stored one by id, or a definition given in
the request — and marks, and answers every intermediate and final figure; nothing is stored.
Figures are decimal strings ("7.5"), never floats, both ways. Problems with the scheme or the
marks: 422, every problem listed in the message.
"""
from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.competitions.models import Event, Stage
from app.competitions.services.access import event_scope
from app.core.api_schemas import ErrorResponse
from app.core.errors import InvalidInput, PermissionDenied
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import Scope, has_permission, requires
from app.extensions import db
from app.scoring.arithmetic import aspects, attempts, awards, results, standardise
from app.scoring.arithmetic.rounding import MAX_PLACES, RULES
from app.scoring.models import MarkingScheme
from app.scoring.services import preview as preview_service
from app.scoring.services import schemes

blp = Blueprint("scoring_api", __name__, description="Marking schemes (评分方案) and the preview of results.")

MANAGE = "competitions.manage"
ROW_ID = validate.Range(min=1, max=MAX_ROW_ID)
BIG = 10 ** 9


SIGNED = r"^-?[0-9]{1,9}(\.[0-9]{1,6})?$"
UNSIGNED = r"^[0-9]{1,9}(\.[0-9]{1,6})?$"


class DecimalString(fields.String):
    """An exact decimal written as a string ("7.5", "-0.25"): at most 9 digits before the point
    and 6 after. Never a JSON number, whose digits a float may already have changed."""

    def __init__(self, signed: bool = True, **kwargs):
        self.pattern = SIGNED if signed else UNSIGNED
        metadata = {"pattern": self.pattern, "example": "7.5", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not re.fullmatch(self.pattern, text):
            raise ValidationError(_("Please write the number as text, e.g. \"7.5\", with at most 6 decimals."))
        return Decimal(text)


def _decimal(required: bool = False, minimum: int = -BIG):
    if required:
        return DecimalString(signed=minimum < 0, required=True)
    return DecimalString(signed=minimum < 0, load_default=None, allow_none=True)


def _code(limit: int):
    return fields.String(required=True, validate=[validate.Length(min=1, max=limit),
                                                  validate.Regexp(r"^[A-Za-z0-9_\-]+$")])


def _name(limit: int = 100):
    return fields.String(required=True, validate=validate.Length(min=1, max=limit))


class RoundingSchema(Schema):
    rule = fields.String(required=True, validate=validate.OneOf(sorted(RULES)))
    places = fields.Integer(strict=True, required=True, validate=validate.Range(min=0, max=MAX_PLACES))


class ScaleSchema(Schema):
    min = _decimal(required=True)
    max = _decimal(required=True)
    step = _decimal(minimum=0)


class AggregationSchema(Schema):
    method = fields.String(required=True, validate=validate.OneOf(aspects.AGGREGATIONS))
    drop_high = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=schemes.MAX_JUDGES))
    drop_low = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=schemes.MAX_JUDGES))


class AttemptsSchema(Schema):
    rule = fields.String(required=True, validate=validate.OneOf(attempts.RULES))
    count = fields.Integer(strict=True, load_default=None, allow_none=True,
                           validate=validate.Range(min=1, max=schemes.MAX_ATTEMPTS))
    best_k = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=1, max=schemes.MAX_ATTEMPTS))


class AspectSchema(Schema):
    key = _code(32)
    name = _name()
    maximum = _decimal(required=True, minimum=0)
    kind = fields.String(required=True, validate=validate.OneOf(aspects.KINDS))
    scale = fields.Nested(ScaleSchema, required=True)
    allowed_spread = _decimal(minimum=0)
    judges = fields.Integer(strict=True, load_default=None, allow_none=True,
                            validate=validate.Range(min=1, max=schemes.MAX_JUDGES))
    aggregation = fields.Nested(AggregationSchema, required=True)
    attempts = fields.Nested(AttemptsSchema, required=True)
    uses_factor = fields.Boolean(load_default=False)
    rounding = fields.Nested(RoundingSchema, required=True)


class CriterionSchema(Schema):
    name = _name()
    aspects = fields.List(fields.Nested(AspectSchema), required=True,
                          validate=validate.Length(min=1, max=schemes.MAX_ASPECTS))


class ComponentSchema(Schema):
    key = _code(32)
    name = _name()
    weight = _decimal(minimum=0)
    scale_to = _decimal(minimum=0)
    is_theory = fields.Boolean(load_default=False)
    rounding = fields.Nested(RoundingSchema, required=True)
    criteria = fields.List(fields.Nested(CriterionSchema), required=True,
                           validate=validate.Length(min=1, max=schemes.MAX_CRITERIA))


class TieBreakSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(results.TIE_BREAK_KINDS),
                         metadata={"description": "component, aspect, next_best (an aspect's attempts) or extra"})
    key = _code(32)
    higher_is_better = fields.Boolean(load_default=True)


class AwardLevelSchema(Schema):
    name = _name(40)
    limit = _decimal(required=True, minimum=0)


class AwardSchema(Schema):
    method = fields.String(required=True, validate=validate.OneOf(awards.METHODS))
    levels = fields.List(fields.Nested(AwardLevelSchema), load_default=list,
                         validate=validate.Length(max=schemes.MAX_AWARDS))
    rounding = fields.String(load_default="half_up", validate=validate.OneOf(sorted(RULES)))


class StandardisationSchema(Schema):
    method = fields.String(required=True, validate=validate.OneOf(standardise.METHODS),
                           metadata={"description": "none; zscore (mean + spread × z); ws700 (700 + 20 × (x − b) / σ)"})
    mean = _decimal()
    spread = _decimal(minimum=0)
    benchmark = _decimal()
    rounding = fields.Nested(RoundingSchema, required=True)


class DefinitionSchema(Schema):
    spread_action = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(schemes.SPREAD_ACTIONS),
        metadata={"description": "The scheme's (read only on a stored scheme: set it with spread_action beside "
                                 "the definition). third_marker: an attempt with one mark more than the aspect's "
                                 "judges keeps the marks closest together (equally close: the higher)"})
    total_rounding = fields.Nested(RoundingSchema, required=True)
    tie_breaks = fields.List(fields.Nested(TieBreakSchema), load_default=list,
                             validate=validate.Length(max=schemes.MAX_TIE_BREAKS))
    award = fields.Nested(AwardSchema, required=True)
    standardisation = fields.Nested(StandardisationSchema, required=True)
    components = fields.List(fields.Nested(ComponentSchema), required=True,
                             validate=validate.Length(min=1, max=schemes.MAX_COMPONENTS))


class MarkingIn(Schema):
    blind = fields.Boolean(load_default=None, allow_none=True,
                           metadata={"description": "Judges see a station or work number, never a name or unit"})
    spread_action = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(schemes.SPREAD_ACTIONS),
                                  metadata={"description": "Judges apart by more than the allowed spread: remark "
                                                           "(they revise) or third_marker"})


class SchemeIn(MarkingIn):
    name = _name()
    stage_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID)
    definition = fields.Nested(DefinitionSchema, required=True)


class SchemeChange(MarkingIn):
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100))
    definition = fields.Nested(DefinitionSchema, required=True)


class VersionOut(Schema):
    number = fields.Integer(strict=True)
    is_frozen = fields.Boolean()
    frozen_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class SchemeOut(Schema):
    id = fields.Integer(strict=True)
    event_id = fields.Integer(strict=True)
    stage_id = fields.Integer(strict=True, allow_none=True)
    name = fields.String()
    blind = fields.Boolean()
    spread_action = fields.String()
    version = fields.Nested(VersionOut, metadata={"description": "The current version (the one a change edits)."})
    versions = fields.List(fields.Nested(VersionOut))
    definition = fields.Nested(DefinitionSchema, metadata={"description": "The current version's definition."})


class MarkLineIn(Schema):
    contestant = fields.String(required=True, validate=validate.Length(min=1, max=100))
    aspect = fields.String(required=True, validate=validate.Length(min=1, max=40),
                           metadata={"description": "An aspect's code, or extra:<code> for a tie-break figure"})
    attempt = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=1, max=1000))
    factor = _decimal(minimum=0)
    marks = fields.List(_decimal(required=True), required=True,
                        validate=validate.Length(min=1, max=preview_service.MAX_MARKS_PER_LINE))


class PreviewIn(Schema):
    scheme_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID,
                               metadata={"description": "A stored scheme (its current version); or give definition"})
    definition = fields.Nested(DefinitionSchema, load_default=None, allow_none=True)
    marks = fields.List(fields.Nested(MarkLineIn), required=True,
                        validate=validate.Length(min=1, max=preview_service.MAX_LINES))

    @validates_schema
    def one_scheme(self, data, **kwargs):
        if (data.get("scheme_id") is None) == (data.get("definition") is None):
            raise ValidationError("Give either scheme_id or definition.", "scheme_id")


class ContestantOut(Schema):
    id = fields.String()
    place = fields.Integer(strict=True, allow_none=True)
    shared = fields.Boolean()
    decided_by = fields.String(allow_none=True, metadata={"description": "The tie-break that set this place apart"})
    award = fields.String(allow_none=True)
    complete = fields.Boolean()
    total = fields.String(allow_none=True)
    standardised = fields.String(allow_none=True)
    flags = fields.List(fields.String())
    totals = fields.Dict(allow_none=True, metadata={"description": "Each component: raw, maximum, scaled, score, "
                                                                   "weight, weighted; the unrounded and rounded total"})
    aspects = fields.List(fields.Dict(), metadata={"description": "Each aspect: each attempt's marks sorted, kept, "
                                                                  "dropped, aggregated, × factor, points, counted"})
    tie_break_values = fields.Dict()


class PreviewOut(Schema):
    scheme_version = fields.Integer(strict=True, allow_none=True)
    ranking_keys = fields.List(fields.String())
    standardisation = fields.Dict()
    award_cutoffs = fields.List(fields.Dict())
    contestants = fields.List(fields.Nested(ContestantOut))


def _scope_of_scheme(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(MarkingScheme, view_args.get("scheme_id")).event)  # a deleted one too


def _scope_of_event(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(Event, view_args.get("event_id")))


def _out(scheme: MarkingScheme) -> dict:
    return {"id": scheme.id, "event_id": scheme.event_id, "stage_id": scheme.stage_id, "name": scheme.name,
            "blind": scheme.blind, "spread_action": scheme.spread_action,
            "version": scheme.current, "versions": scheme.versions,
            "definition": schemes.definition_of(scheme.current)}


@blp.route("/events/<int:event_id>/scoring/schemes")
@requires(MANAGE, scope=_scope_of_event, scope_arg="event_id")
@blp.response(200, SchemeOut(many=True))
@blp.alt_response(404, schema=ErrorResponse)
def list_schemes(event_id: int):
    """The event's marking schemes, each with its current version."""
    event = db.get_or_404(Event, event_id)
    found = db.session.scalars(db.select(MarkingScheme).order_by(MarkingScheme.id)
                               .where(MarkingScheme.event_id == event.id, MarkingScheme.deleted_at.is_(None)))
    return [_out(scheme) for scheme in found]


@blp.route("/events/<int:event_id>/scoring/schemes", methods=["POST"])
@requires(MANAGE, scope=_scope_of_event, scope_arg="event_id")
@blp.arguments(SchemeIn)
@blp.response(201, SchemeOut)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def create_scheme(data, event_id: int):
    """Add a marking scheme to the event (or one of its stages): version 1."""
    event = db.get_or_404(Event, event_id)
    stage = db.session.get(Stage, data["stage_id"]) if data["stage_id"] else None
    if data["stage_id"] and stage is None:
        raise InvalidInput(schemes.stage_unknown(), "stage_id")
    scheme = schemes.create_scheme(event, data["name"], data["definition"], stage=stage, actor=current_user)
    _set_marking(scheme, data)
    return _out(scheme)


def _set_marking(scheme: MarkingScheme, data: dict) -> None:
    if data.get("blind") is not None or data.get("spread_action") is not None:
        schemes.set_marking(scheme, blind=scheme.blind if data.get("blind") is None else data["blind"],
                            spread_action=data.get("spread_action") or scheme.spread_action, actor=current_user)


@blp.route("/scoring/schemes/<int:scheme_id>")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.response(200, SchemeOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_scheme(scheme_id: int):
    """A scheme, its versions, and its current definition."""
    return _out(schemes.get_or_404(scheme_id))


@blp.route("/scoring/schemes/<int:scheme_id>", methods=["PUT"])
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.arguments(SchemeChange)
@blp.response(200, SchemeOut)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def change_scheme(data, scheme_id: int):
    """Replace the definition: in the current version while no mark froze it, else as a new version."""
    scheme = schemes.get_or_404(scheme_id)
    schemes.save_definition(scheme, data["definition"], name=data["name"], actor=current_user)
    _set_marking(scheme, data)
    return _out(scheme)


@blp.route("/scoring/schemes/<int:scheme_id>", methods=["DELETE"])
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.response(204)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def delete_scheme(scheme_id: int):
    """Delete a scheme no mark was ever given on."""
    schemes.delete_scheme(schemes.get_or_404(scheme_id), actor=current_user)


@blp.route("/scoring/preview", methods=["POST"])
@requires(MANAGE)
@blp.arguments(PreviewIn)
@blp.response(200, PreviewOut)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def preview(data):
    """Every figure the marks give under a scheme — the arithmetic live results use; nothing is stored."""
    version = None
    definition = data["definition"]
    if data["scheme_id"] is not None:
        scheme = schemes.get_or_404(data["scheme_id"])
        if not has_permission(current_user, MANAGE, event_scope(scheme.event)):
            raise PermissionDenied(schemes.not_yours(), "scheme_id")
        version = scheme.current.number
        definition = schemes.definition_of(scheme.current)
    lines = [preview_service.MarkLine(n, line["contestant"], line["aspect"], line["attempt"],
                                      line["factor"] if line["factor"] is not None else 1, tuple(line["marks"]))
             for n, line in enumerate(data["marks"], 1)]
    figures = results.plain(preview_service.preview(definition, lines))
    for contestant in figures["contestants"]:
        contestant["total"] = (contestant["totals"] or {}).get("total")
    return {"scheme_version": version, **figures}

from app.scoring import api_corrections, api_exports, api_marks, api_results  # noqa: E402,F401  (they attach to blp)
