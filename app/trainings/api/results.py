"""/api/v1/trainings/classes/<id>/assessments, /marks, /completions, /close, /reopen and
/api/v1/me/training-results: a class's assessments, marks and completions.

Organisers of the class (`trainings.manage` in its scope) use all of them but the last,
which is a trainee's own. The rules live in app.trainings.services; this module reads the
request, calls them and answers.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.core.api_schemas import ErrorResponse
from app.core.errors import InvalidInput
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import requires, signed_in
from app.core.time import local_today
from app.extensions import db
from app.trainings.models import AssessmentKind, ClassState, TrainingClass
from app.trainings.services import assessments, completion, dashboards
from app.trainings.services.access import MANAGE, scope_of_class_id

blp = Blueprint("trainings_results_api", __name__, description="Training classes: assessments, marks, completions.")

ROW_ID = validate.Range(min=1, max=MAX_ROW_ID)
MONEY = {"as_string": True}


class AssessmentOut(Schema):
    id = fields.Integer()
    title = fields.String()
    kind = fields.Enum(AssessmentKind, by_value=True)
    max_mark = fields.Decimal(**MONEY)
    pass_mark = fields.Decimal(**MONEY)
    weight = fields.Decimal(**MONEY)


class AssessmentIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.Enum(AssessmentKind, by_value=True, required=True)
    max_mark = fields.Decimal(required=True, metadata={"description": "0.01 to 9999.99, two decimals at most."})
    pass_mark = fields.Decimal(required=True, metadata={"description": "0 to the full mark."})
    weight = fields.Decimal(required=True, metadata={"description": "0.01 to 999.99: its share of the result."})


class TrainingMarkOut(Schema):
    assessment_id = fields.Integer()
    person_id = fields.Integer()
    mark = fields.Decimal(**MONEY)


class AssessmentMarkIn(Schema):
    enrolment_id = fields.Integer(strict=True, required=True, validate=ROW_ID)
    mark = fields.String(required=True, allow_none=True, validate=validate.Length(max=20),
                         metadata={"description": "A number from 0 to the full mark; null or empty clears it."})


class TrainingMarksIn(Schema):
    assessment_id = fields.Integer(strict=True, required=True, validate=ROW_ID)
    marks = fields.List(fields.Nested(AssessmentMarkIn), required=True, validate=validate.Length(max=1000))


class MarksSaved(Schema):
    changed = fields.Integer()


class CompletionOut(Schema):
    person_id = fields.Integer()
    full_name = fields.String()
    hours_attended = fields.Decimal(**MONEY)
    hours_total = fields.Decimal(**MONEY)
    attendance_percent = fields.Decimal(**MONEY)
    result = fields.Decimal(allow_none=True, **MONEY)
    passed = fields.Boolean()


class CompletionsOut(Schema):
    is_final = fields.Boolean(metadata={"description": "true: the frozen records of a closed class; false: the "
                                                      "rule applied as things stand."})
    rule = fields.String(metadata={"description": "The completion rule in words, in the reader's language."})
    items = fields.List(fields.Nested(CompletionOut))


class ReopenIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=completion.MAX_REASON))


class OwnResultOut(Schema):
    class_id = fields.Function(lambda row: row.training_class.id)
    title = fields.Function(lambda row: row.training_class.title)
    hours = fields.Decimal(**MONEY)
    hours_total = fields.Decimal(**MONEY)
    result = fields.Decimal(allow_none=True, **MONEY)
    passed = fields.Boolean(allow_none=True, metadata={"description": "null until the class is closed."})


def _class(class_id: int) -> TrainingClass:
    return db.get_or_404(TrainingClass, class_id)


def _completions(training_class: TrainingClass) -> dict:
    rule = completion.rule_sentence(training_class)
    if training_class.state == ClassState.CLOSED:
        items = [{"person_id": row.person_id, "full_name": row.person.full_name, "hours_attended": row.hours_attended,
                  "hours_total": row.hours_total, "attendance_percent": row.attendance_percent, "result": row.result,
                  "passed": row.passed} for row in completion.records(training_class)]
        return {"is_final": True, "rule": rule, "items": items}
    items = [{"person_id": item.enrolment.person_id, "full_name": item.enrolment.person.full_name,
              "hours_attended": item.outcome.hours_attended, "hours_total": item.outcome.hours_total,
              "attendance_percent": item.outcome.attendance_percent, "result": item.outcome.result,
              "passed": item.outcome.passed} for item in completion.outcomes(training_class)]
    return {"is_final": False, "rule": rule, "items": items}


@blp.route("/trainings/classes/<int:class_id>/assessments")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.response(200, AssessmentOut(many=True))
def list_assessments(class_id: int):
    """The class's assessments, in order."""
    return _class(class_id).assessments


@blp.route("/trainings/classes/<int:class_id>/assessments", methods=["POST"])
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.arguments(AssessmentIn)
@blp.response(201, AssessmentOut)
@blp.alt_response(409, schema=ErrorResponse, description="The class is closed.")
@blp.alt_response(422, schema=ErrorResponse)
def create_assessment(data, class_id: int):
    """Add an assessment at the end of the class's list."""
    return assessments.add_assessment(_class(class_id), assessments.AssessmentFields(**data), actor=current_user)


@blp.route("/trainings/classes/<int:class_id>/marks")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.response(200, TrainingMarkOut(many=True))
def list_marks(class_id: int):
    """Every recorded mark of the class."""
    return [{"assessment_id": assessment_id, "person_id": person_id, "mark": mark}
            for (assessment_id, person_id), mark in sorted(assessments.marks_of(_class(class_id)).items())]


@blp.route("/trainings/classes/<int:class_id>/marks", methods=["POST"])
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.arguments(TrainingMarksIn)
@blp.response(200, MarksSaved)
@blp.alt_response(409, schema=ErrorResponse, description="The class is closed.")
@blp.alt_response(422, schema=ErrorResponse, description="A bad mark: none is stored.")
def record_marks(data, class_id: int):
    """Store marks of one assessment, all or none (every bad one is named)."""
    training_class = _class(class_id)
    assessment = next((a for a in training_class.assessments if a.id == data["assessment_id"]), None)
    if assessment is None:
        raise InvalidInput(_("Please choose an assessment of this class."), field="assessment_id")
    typed = {item["enrolment_id"]: item["mark"] for item in data["marks"]}
    return {"changed": assessments.record_marks(assessment, typed, actor=current_user)}


@blp.route("/trainings/classes/<int:class_id>/completions")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.response(200, CompletionsOut)
def list_completions(class_id: int):
    """Who completes the class: frozen once it is closed, else as things stand."""
    return _completions(_class(class_id))


@blp.route("/trainings/classes/<int:class_id>/close", methods=["POST"])
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.response(200, CompletionsOut)
@blp.alt_response(409, schema=ErrorResponse, description="Not a published or running class.")
def close_class(class_id: int):
    """Run the rule, freeze the completion records and tell the completers."""
    training_class = _class(class_id)
    completion.close(training_class, actor=current_user, today=local_today())
    return _completions(training_class)


@blp.route("/trainings/classes/<int:class_id>/reopen", methods=["POST"])
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.arguments(ReopenIn)
@blp.response(200, CompletionsOut)
@blp.alt_response(409, schema=ErrorResponse, description="The class is not closed.")
@blp.alt_response(422, schema=ErrorResponse)
def reopen_class(data, class_id: int):
    """Reopen a closed class, with the reason (audited)."""
    training_class = _class(class_id)
    completion.reopen(training_class, data["reason"], actor=current_user)
    return _completions(training_class)


@blp.route("/me/training-results")
@signed_in
@blp.response(200, OwnResultOut(many=True))
def my_results():
    """The signed-in trainee's classes: hours, and the result once a class is closed."""
    person = current_user.person
    return dashboards.own_classes(person) if person is not None else []
