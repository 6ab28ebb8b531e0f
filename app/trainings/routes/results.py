"""Organisers' pages of a class's results: its assessments, the marks (by page and by Excel),
the completion rule applied, closing and reopening, and the class's figures.

Which assessment a page is about travels as `?assessment=` (never shown), so every URL here
is named by the class alone.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.excel import RowsRefused
from app.core.forms import ImportForm, show_error, validate_all
from app.core.permissions import requires
from app.core.time import local_today
from app.core.web import xlsx_download
from app.extensions import db
from app.trainings import bp
from app.trainings.forms.results import AssessmentForm, ButtonForm, ReopenForm
from app.trainings.models import Assessment, ClassState, TrainingClass
from app.trainings.services import assessments, completion, dashboards, evaluations, marks_sheet
from app.trainings.services.access import MANAGE, scope_of_class_id


def _class(class_id: int) -> TrainingClass:
    return db.get_or_404(TrainingClass, class_id)


def _assessment_of(training_class: TrainingClass) -> Assessment | None:
    """The assessment `?assessment=` names, if it is one of this class's."""
    wanted = request.args.get("assessment", "")
    if not (wanted.isascii() and wanted.isdigit() and len(wanted) < 12):
        return None
    return next((a for a in training_class.assessments if a.id == int(wanted)), None)


def _fields(form: AssessmentForm) -> assessments.AssessmentFields:
    return assessments.AssessmentFields(title=form.title.data, kind=form.kind_value(), max_mark=form.max_mark.data,
                                        pass_mark=form.pass_mark.data, weight=form.weight.data)


def _back(training_class: TrainingClass):
    return redirect(url_for(".class_results", class_id=training_class.id))


@bp.route("/trainings/classes/<int:class_id>/assessments", methods=["GET", "POST"])
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def class_assessments(class_id: int):
    """The class's assessments; add one, or change the one `?assessment=` names."""
    training_class = _class(class_id)
    editing = _assessment_of(training_class)
    form = AssessmentForm(obj=editing if editing and request.method == "GET" else None)
    if editing and request.method == "GET":
        form.kind.data = editing.kind.value
    if validate_all(form, lambda: assessments.clean_assessment(_fields(form))):
        try:
            if editing:
                assessments.update_assessment(editing, _fields(form), actor=current_user)
            else:
                assessments.add_assessment(training_class, _fields(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("trainings/assessments.html", training_class=training_class, form=form,
                                   editing=editing, buttons=ButtonForm(), kind_label=assessments.kind_label), error.status
        flash(_("The assessment is saved."), "success")
        return redirect(url_for(".class_assessments", class_id=class_id))
    return render_template("trainings/assessments.html", training_class=training_class, form=form, editing=editing,
                           buttons=ButtonForm(), kind_label=assessments.kind_label), 422 if form.errors else 200


@bp.post("/trainings/classes/<int:class_id>/assessments/remove")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def remove_assessment(class_id: int):
    """Delete the assessment `?assessment=` names, with its marks."""
    training_class = _class(class_id)
    assessment = _assessment_of(training_class)
    if assessment is None or not ButtonForm().validate_on_submit():
        flash(_("Please choose an assessment of this class."), "danger")
        return redirect(url_for(".class_assessments", class_id=class_id)), 303
    try:
        assessments.remove_assessment(assessment, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for(".class_assessments", class_id=class_id)), 303
    flash(_("The assessment is deleted."), "success")
    return redirect(url_for(".class_assessments", class_id=class_id))


@bp.route("/trainings/classes/<int:class_id>/marks", methods=["GET", "POST"])
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def class_marks(class_id: int):
    """Every trainee's mark in the assessment `?assessment=` names (the first by default)."""
    training_class = _class(class_id)
    assessment = _assessment_of(training_class) or next(iter(training_class.assessments), None)
    form, rows = ButtonForm(), assessments.trainees(training_class)
    if assessment is None:
        flash(_("The class has no assessments yet: add them first."), "info")
        return redirect(url_for(".class_assessments", class_id=class_id))
    marks = assessments.marks_of(training_class)
    typed = {row.id: marks.get((assessment.id, row.person_id)) for row in rows}
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        sent = {row.id: request.form.get(assessments.mark_field(row)) for row in rows}
        try:
            changed = assessments.record_marks(assessment, sent, actor=current_user)
        except DomainError as error:
            for field, message in getattr(error, "problems", None) or [(error.field, error.message)]:
                errors.setdefault(field or "", []).append(message)
            flash(_("Nothing was saved: please correct the marks shown."), "danger")
            typed = sent
        else:
            flash(_("%(n)d marks saved.", n=changed), "success")
            return redirect(url_for(".class_marks", class_id=class_id, assessment=assessment.id))
    elif request.method == "POST":
        flash(_("The form has expired; please try again."), "danger")
    status = 422 if errors or request.method == "POST" else 200
    return render_template("trainings/marks.html", training_class=training_class, assessment=assessment, rows=rows,
                           typed=typed, errors=errors, form=form, mark_field=assessments.mark_field,
                           import_form=ImportForm()), status


@bp.get("/trainings/classes/<int:class_id>/marks.xlsx")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def marks_workbook(class_id: int):
    """The class's sheet of marks to fill in."""
    training_class = _class(class_id)
    return xlsx_download(marks_sheet.workbook(training_class), f"{training_class.title}-考核成绩.xlsx")


@bp.post("/trainings/classes/<int:class_id>/marks/import")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def import_marks(class_id: int):
    """Store the marks of an uploaded sheet, or list every bad cell and store none."""
    training_class = _class(class_id)
    form = ImportForm()
    if not form.validate_on_submit():
        for message in form.file.errors or [_("The form has expired; please try again.")]:
            flash(message, "danger")
        return redirect(url_for(".class_marks", class_id=class_id)), 303
    try:
        changed = marks_sheet.import_file(form.file.data.read(), training_class, actor=current_user)
    except RowsRefused as refused:
        return render_template("trainings/marks_refused.html", training_class=training_class, refused=refused), 422
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for(".class_marks", class_id=class_id)), 303
    flash(_("%(n)d marks saved from the file.", n=changed), "success")
    return redirect(url_for(".class_marks", class_id=class_id))


@bp.get("/trainings/classes/<int:class_id>/results")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def class_results(class_id: int):
    """Who completes the class under its rule (as things stand, or as frozen), and its figures."""
    training_class = _class(class_id)
    closed = training_class.state == ClassState.CLOSED
    return render_template(
        "trainings/results.html", training_class=training_class, closed=closed,
        outcomes=None if closed else completion.outcomes(training_class),
        records=completion.records(training_class) if closed else None,
        figures=dashboards.class_figures(training_class), summary=evaluations.summary(training_class),
        rule=completion.rule_sentence(training_class), buttons=ButtonForm(), reopen_form=ReopenForm(),
        can_close=training_class.state in completion.CLOSABLE)


@bp.post("/trainings/classes/<int:class_id>/close")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def close_class(class_id: int):
    """Run the rule and freeze the completion records."""
    training_class = _class(class_id)
    if not ButtonForm().validate_on_submit():
        flash(_("The form has expired; please try again."), "danger")
        return _back(training_class), 303
    try:
        records = completion.close(training_class, actor=current_user, today=local_today())
    except DomainError as error:
        flash(error.message, "danger")
        return _back(training_class), 303
    flash(_("The class is closed: %(passed)d of %(total)d trainees completed it.",
            passed=sum(1 for row in records if row.passed), total=len(records)), "success")
    return _back(training_class)


@bp.post("/trainings/classes/<int:class_id>/reopen")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def reopen_class(class_id: int):
    """Reopen a closed class, with the reason (audited)."""
    training_class = _class(class_id)
    form = ReopenForm()
    if validate_all(form, lambda: completion.clean_reason(form.reason.data)):
        try:
            completion.reopen(training_class, form.reason.data, actor=current_user)
        except DomainError as error:
            flash(error.message, "danger")
            return _back(training_class), 303
        flash(_("The class is reopened: attendance and marks can change until it is closed again."), "success")
        return _back(training_class)
    for messages in form.errors.values():
        for message in messages:
            flash(message, "danger")
    return _back(training_class), 303
