"""Pages of figures and of one's own results: the year's training figures (organisers, staff),
a unit's trainees and completions (its liaison), a trainee's own classes and results, and the
evaluation a trainee gives after a class."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import Scope, ScopeType, requires, signed_in
from app.core.time import local_today
from app.extensions import db
from app.orgs.models import Organisation
from app.trainings import bp
from app.trainings.forms.results import EvaluationForm
from app.trainings.models import TrainingClass
from app.trainings.services import completion, dashboards, evaluations
from app.trainings.services.access import ENROL_UNIT, VIEW_PROGRAMME
from app.trainings.services.programme import category_label


def _year() -> int:
    """The year `?year=` names (this year when it names none, or one out of reach)."""
    text = request.args.get("year", "")
    if text.isascii() and text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100:
        return int(text)
    return local_today().year


@bp.get("/trainings/figures")
@requires(VIEW_PROGRAMME)
def year_figures():
    """The year's classes, trainees and hours, by category and by unit."""
    year = _year()
    return render_template("trainings/year_figures.html", figures=dashboards.year_figures(current_user, year),
                           category_label=category_label)


def _unit_scope(view_args: dict) -> Scope:
    return Scope.of(ScopeType.ORGANISATION, db.get_or_404(Organisation, view_args.get("org_id")).id)


@bp.get("/trainings/units/<int:org_id>/trainees")
@requires(ENROL_UNIT, scope=_unit_scope, scope_arg="org_id")
def unit_trainees(org_id: int):
    """The unit's people in the year's classes and their completions."""
    organisation, year = db.get_or_404(Organisation, org_id), _year()
    return render_template("trainings/unit_trainees.html", organisation=organisation, year=year,
                           rows=dashboards.unit_trainees(organisation, year))


@bp.get("/trainings/me/results")
@signed_in
def my_results():
    """The trainee's own classes: hours, the rule of each, and the result once a class is closed."""
    person = current_user.person
    rows = dashboards.own_classes(person) if person is not None else []
    today = local_today()
    return render_template("trainings/my_results.html", rows=rows, rule_sentence=completion.rule_sentence,
                           may_evaluate=lambda row: evaluations.may_evaluate(row.training_class, person, today))


@bp.route("/trainings/classes/<int:class_id>/evaluation", methods=["GET", "POST"])
@signed_in
def evaluate_class(class_id: int):
    """A trainee's evaluation of a class they took part in (1–5 and a comment)."""
    training_class = db.get_or_404(TrainingClass, class_id)
    person, today = current_user.person, local_today()
    if person is None or not evaluations.took_part(training_class, person):
        flash(_("Only the class's trainees evaluate it."), "info")
        return redirect(url_for(".my_results"))
    if evaluations.own_evaluation(training_class, person) is not None:
        flash(_("You have evaluated this class already. Thank you!"), "info")
        return redirect(url_for(".my_results"))
    form = EvaluationForm()
    if validate_all(form, lambda: evaluations.check_answer(form.rating.data, form.comment.data)):
        try:
            evaluations.submit(training_class, person, form.rating.data, form.comment.data, today=today)
        except DomainError as error:
            show_error(form, error)
            return render_template("trainings/evaluation.html", training_class=training_class, form=form), \
                error.status
        flash(_("Thank you for your evaluation."), "success")
        return redirect(url_for(".my_results"))
    return render_template("trainings/evaluation.html", training_class=training_class, form=form), \
        422 if form.errors else 200
