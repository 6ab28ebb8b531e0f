"""/api/v1 of results (on the blueprint of app/scoring/api.py): a scheme's live results, its
published snapshots (list, one with what changed since the one before), publishing, scheduling
a publication, advancing the best to the next stage's event.

Whoever manages the event's setup (`competitions.manage` in its committee) reaches them.
Figures are decimal strings, never floats. Publishing inputs already published answers the
snapshot with 200 and makes nothing; a new version answers 201. Not ready to publish (a sheet
open, a flag): 409; a reason missing from v2 on: 422.
"""
from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.competitions.models import Event
from app.competitions.services.access import event_scope
from app.core.api_schemas import ErrorResponse
from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.permissions import has_permission, requires
from app.extensions import db
from app.scoring.api import MANAGE, ROW_ID, ContestantOut, DecimalString, _scope_of_scheme, blp
from app.scoring.services import advancement, publication, scheduled, schemes, standings
from app.scoring.services.preview import _problem_text as problem_text

REASON = validate.Length(max=publication.MAX_REASON)


def _sensible_year(value):
    if not 2000 <= value.year <= 2100:
        raise ValidationError("Give a time between the years 2000 and 2100.")


class NamedContestantOut(ContestantOut):
    name = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    number = fields.String(allow_none=True)


class LiveOut(Schema):
    scheme_id = fields.Integer()
    scheme_version = fields.Integer()
    inputs_hash = fields.String(metadata={"description": "SHA-256 of the canonical inputs (the scheme version's "
                                                         "definition and every counted mark)"})
    published_version = fields.Integer(allow_none=True, metadata={"description": "The current published version"})
    problems = fields.List(fields.String(), metadata={"description": "Marks left out until they are put right"})
    blockers = fields.List(fields.String(), metadata={"description": "Why it cannot be published now (empty: it can)"})
    ranking_keys = fields.List(fields.String())
    standardisation = fields.Dict()
    award_cutoffs = fields.List(fields.Dict())
    contestants = fields.List(fields.Nested(NamedContestantOut))


class SnapshotOut(Schema):
    number = fields.Integer()
    scheme_id = fields.Integer()
    event_id = fields.Integer()
    stage_id = fields.Integer(allow_none=True)
    scheme_version = fields.Integer(attribute="version.number")
    inputs_hash = fields.String()
    reason = fields.String(allow_none=True)
    published_at = fields.AwareDateTime()
    published_by_id = fields.Integer(allow_none=True)


class ChangeOut(Schema):
    registration_id = fields.Integer()
    name = fields.String()
    before = fields.Dict(allow_none=True, metadata={"description": "place, total, standardised, award"})
    after = fields.Dict(allow_none=True)
    changed = fields.Boolean()


class SnapshotDetailOut(SnapshotOut):
    outputs = fields.Dict(metadata={"description": "Every figure: contestants (ranked first), standardisation, "
                                                   "award cut-offs, ranking keys"})
    labels = fields.Dict(metadata={"description": "Registration id → name, unit, number at publication"})
    inputs = fields.Dict(metadata={"description": "The canonical inputs: format, version, scheme, marks"})
    changes = fields.List(fields.Nested(ChangeOut), allow_none=True,
                          metadata={"description": "Per contestant, against the version before (v2 on)"})


class PublishIn(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=REASON,
                           metadata={"description": "Why it is published again (required from v2 on)"})


class ScheduleIn(Schema):
    due_at = fields.AwareDateTime(required=True, validate=_sensible_year)
    reason = fields.String(load_default=None, allow_none=True, validate=REASON)


class ScheduleOut(Schema):
    id = fields.Integer()
    due_at = fields.AwareDateTime()
    state = fields.String(metadata={"description": "pending, published, cancelled or failed"})
    reason = fields.String(allow_none=True)
    message = fields.String(allow_none=True)


class AdvanceIn(Schema):
    target_event_id = fields.Integer(required=True, strict=True, validate=ROW_ID)
    top = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1, max=100000))
    share = DecimalString(signed=False, load_default=None, allow_none=True,
                          metadata={"description": "Percent of the ranked, above 0 and at most 100"})

    @validates_schema
    def one_rule(self, data, **kwargs):
        if (data.get("top") is None) == (data.get("share") is None):
            raise ValidationError("Give either top or share.", "top")


class AdvancementOut(Schema):
    registration_id = fields.Integer()
    entry_id = fields.Integer(allow_none=True, metadata={"description": "The entry made in the target event"})
    place = fields.Integer()


@blp.route("/scoring/schemes/<int:scheme_id>/results")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.response(200, LiveOut)
@blp.alt_response(404, schema=ErrorResponse)
def live_results(scheme_id: int):
    """Live results from the handed-in marks (drafts never count): every figure, ranks, awards."""
    scheme = schemes.get_or_404(scheme_id)
    live = standings.live(scheme)
    figures = live.outputs
    for contestant in figures["contestants"]:
        contestant["total"] = (contestant["totals"] or {}).get("total")
        contestant.update(live.labels.get(contestant["id"], {}))
    current = publication.latest(scheme.id)
    return {"scheme_id": scheme.id, "scheme_version": live.version.number, "inputs_hash": live.inputs_hash,
            "published_version": current.number if current else None,
            "problems": [problem_text(p) for p in live.problems], "blockers": publication.blockers(live.version),
            **figures}


@blp.route("/scoring/schemes/<int:scheme_id>/snapshots")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.response(200, SnapshotOut(many=True))
@blp.alt_response(404, schema=ErrorResponse)
def list_snapshots(scheme_id: int):
    """The published versions, the newest first."""
    return publication.snapshots_of(schemes.get_or_404(scheme_id))


@blp.route("/scoring/schemes/<int:scheme_id>/snapshots/<int:number>")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.response(200, SnapshotDetailOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_snapshot(scheme_id: int, number: int):
    """One published version: its inputs, every figure, and what changed since the one before."""
    scheme = schemes.get_or_404(scheme_id)
    found = publication.snapshot_of(scheme, number) if number < 2**31 else None
    if found is None:
        abort(404)
    before = publication.snapshot_of(scheme, number - 1) if number > 1 else None
    return {**{k: getattr(found, k) for k in ("number", "scheme_id", "event_id", "stage_id", "version", "inputs_hash",
                                              "reason", "published_at", "published_by_id", "outputs", "labels",
                                              "inputs")},
            "changes": publication.diff(before, found) if before else None}


@blp.route("/scoring/schemes/<int:scheme_id>/snapshots", methods=["POST"])
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.arguments(PublishIn)
@blp.response(201, SnapshotOut)
@blp.alt_response(200, schema=SnapshotOut, description="These inputs were published already: that version")
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def publish(data, scheme_id: int):
    """Publish the live results as the next version (every sheet locked, nothing flagged)."""
    snapshot, made = publication.publish(schemes.get_or_404(scheme_id), actor=current_user, reason=data["reason"])
    return snapshot, 201 if made else 200


@blp.route("/scoring/schemes/<int:scheme_id>/schedule")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.response(200, ScheduleOut(many=True))
@blp.alt_response(404, schema=ErrorResponse)
def list_schedule(scheme_id: int):
    """The scheme's scheduled publications, the newest first (at most one pending)."""
    return scheduled.history_of(schemes.get_or_404(scheme_id))


@blp.route("/scoring/schemes/<int:scheme_id>/schedule", methods=["POST"])
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.arguments(ScheduleIn)
@blp.response(201, ScheduleOut)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def schedule(data, scheme_id: int):
    """Publish the results at a time (the scheduler does it, once); replaces a pending one."""
    return scheduled.schedule(schemes.get_or_404(scheme_id), data["due_at"], actor=current_user,
                              reason=data["reason"])


@blp.route("/scoring/schemes/<int:scheme_id>/schedule", methods=["DELETE"])
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.response(204)
@blp.alt_response(404, schema=ErrorResponse)
def cancel_schedule(scheme_id: int):
    """Cancel the pending publication."""
    if not scheduled.cancel(schemes.get_or_404(scheme_id), actor=current_user):
        raise NotFound(_("No publication is scheduled."))


@blp.route("/scoring/schemes/<int:scheme_id>/advance", methods=["POST"])
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.arguments(AdvanceIn)
@blp.response(200, AdvancementOut(many=True))
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def advance(data, scheme_id: int):
    """Enter the top N (or top share) of the current published result in the next stage's event;
    answers the advancements made now (none when run again)."""
    scheme = schemes.get_or_404(scheme_id)
    target = db.session.get(Event, data["target_event_id"])
    if target is None:
        raise InvalidInput(_("There is no such event."), "target_event_id")
    if not has_permission(current_user, MANAGE, event_scope(target)):
        raise PermissionDenied(schemes.not_yours(), "target_event_id")
    return advancement.advance(scheme, target, actor=current_user, top=data["top"], share=data["share"])
