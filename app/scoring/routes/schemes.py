"""Staff pages: an event's marking schemes, building one, and the rehearsal (预演).

Whoever manages the event's setup (`competitions.manage` in its committee) builds its schemes.
Each change goes through app.scoring.services.schemes as a whole definition, checked whole:
the form shows every problem at once, and a frozen version is never edited — the change
becomes the next version.
"""
from __future__ import annotations

import logging
from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.competitions.models import Competition, Event, Stage
from app.competitions.services.access import event_scope
from app.core.errors import DomainError, InvalidInput
from app.core.forms import show_error, show_problems
from app.core.permissions import Scope, ScopeType, requires, scopes_with
from app.extensions import db
from app.scoring import bp
from app.scoring.arithmetic.results import plain
from app.scoring.forms.schemes import (AspectForm, ComponentForm, DeleteSchemeForm, NewSchemeForm, RehearsalForm,
                                       RemoveForm, SettingsForm)
from app.scoring.models import MarkingScheme
from app.scoring.services import preview, schemes

log = logging.getLogger(__name__)
MANAGE = "competitions.manage"
# Where a service problem shows on each form (the service names the definition's parts).
ASPECT_FIELDS = {"scale": "scale_max", "attempts": "attempts_rule", "rounding": "places"}
COMPONENT_FIELDS = {"rounding": "places"}
SETTINGS_FIELDS = {"rounding": "total_places", "award": "award_levels", "tie_breaks": "tie_breaks",
                   "standardisation": "standardisation"}


def _scope_of_event(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(Event, view_args.get("event_id")))


def _scope_of_scheme(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(MarkingScheme, view_args.get("scheme_id")).event)  # a deleted one too


def _problems_on(form, error: DomainError, fields: dict[str, str]) -> None:
    problems = getattr(error, "problems", None) or [(error.field, error.message)]
    show_problems(form, [(fields.get(name, name), message) for name, message in problems])


@bp.get("/scoring/events")
@requires(MANAGE)
def events():
    """The events whose schemes the user may build, with how many schemes each has."""
    query = (select(Event, Competition.name, func.count(MarkingScheme.id)).join(Competition)
             .outerjoin(MarkingScheme, (MarkingScheme.event_id == Event.id) & MarkingScheme.deleted_at.is_(None))
             .group_by(Event.id, Competition.name, Competition.year).order_by(Competition.year.desc(), Event.id))
    committee_ids = scopes_with(current_user, MANAGE, ScopeType.COMMITTEE)
    if committee_ids is not None:
        query = query.where(Competition.committee_id.in_(committee_ids))
    return render_template("scoring/events.html", rows=db.session.execute(query.limit(500)).all())


def _schemes_page(event: Event, form: NewSchemeForm, status: int = 200):
    found = db.session.scalars(select(MarkingScheme).order_by(MarkingScheme.id)
                               .where(MarkingScheme.event_id == event.id, MarkingScheme.deleted_at.is_(None))).all()
    return render_template("scoring/schemes.html", event=event, schemes=found, form=form), status


@bp.route("/scoring/events/<int:event_id>/schemes", methods=["GET", "POST"])
@requires(MANAGE, scope=_scope_of_event, scope_arg="event_id")
def event_schemes(event_id: int):
    """The event's schemes; add one, empty or from the national theory/practical preset."""
    event = db.get_or_404(Event, event_id)
    form = NewSchemeForm()
    form.stage_id.choices = [("", _("The whole event"))] + [(str(s.id), s.name) for s in event.stages]
    if not form.validate_on_submit():
        return _schemes_page(event, form, 422 if form.is_submitted() else 200)
    stage = db.session.get(Stage, int(form.stage_id.data)) if form.stage_id.data else None
    definition = schemes.national_preset() if form.start.data == "national" else schemes.empty_definition()
    try:
        scheme = schemes.create_scheme(event, form.name.data, definition, stage=stage, actor=current_user, draft=True)
    except DomainError as error:
        show_error(form, error)
        return _schemes_page(event, form, error.status)
    log.info("marking scheme %s added to event %s by user %s", scheme.id, event.id, current_user.id)
    flash(_("The scheme is added. Now add its aspects."), "success")
    return redirect(url_for("scoring.scheme", scheme_id=scheme.id))


@bp.get("/scoring/schemes/<int:scheme_id>")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def scheme(scheme_id: int):
    """The scheme's current version: every component, criterion and aspect, and what it lacks."""
    found = schemes.get_or_404(scheme_id)
    definition = schemes.definition_of(found.current)
    return render_template("scoring/scheme.html", scheme=found, version=found.current, definition=definition,
                           unready=schemes.unready(definition), remove_form=RemoveForm(),
                           delete_form=DeleteSchemeForm())


def _save(found: MarkingScheme, definition: dict, form, fields: dict[str, str], name: str | None = None) -> bool:
    was_frozen = found.current.is_frozen
    try:
        version = schemes.save_definition(found, definition, name=name, actor=current_user, draft=True)
    except DomainError as error:
        _problems_on(form, error, fields)
        return False
    log.info("marking scheme %s changed (version %s) by user %s", found.id, version.number, current_user.id)
    if was_frozen:
        flash(_("Marks were given on version %(n)d, so the change is version %(m)d.", n=version.number - 1,
                m=version.number), "info")
    flash(_("The changes are saved."), "success")
    return True


def _tie_break_text(definition: dict) -> str:
    return "\n".join(f"{t['kind']}:{t['key']} {'higher' if t['higher_is_better'] else 'lower'}"
                     for t in definition["tie_breaks"])


def _award_text(definition: dict) -> str:
    return "\n".join(f"{level['name']} {level['limit']}" for level in definition["award"]["levels"])


def _parse_settings(form: SettingsForm, definition: dict) -> list[tuple[str, str]]:
    """Put the form into `definition`; the lines it could not read, as problems."""
    problems, ties, levels = [], [], []
    for number, line in enumerate((form.tie_breaks.data or "").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        kind, _sep, key = parts[0].partition(":")
        direction = parts[1].casefold() if len(parts) > 1 else "higher"
        if not key or direction not in ("higher", "lower") or len(parts) > 2:
            problems.append(("tie_breaks", _("Tie-break line %(n)d: write kind:code, then higher or lower.", n=number)))
            continue
        ties.append({"kind": kind, "key": key, "higher_is_better": direction == "higher"})
    for number, line in enumerate((form.award_levels.data or "").splitlines(), 1):
        name, _sep, limit = line.strip().rpartition(" ")
        if not line.strip():
            continue
        try:
            value = Decimal(limit)
            if not value.is_finite() or abs(value) > 10 ** 9:
                raise ValueError
        except Exception:  # noqa: BLE001 — any unreadable number is the same problem
            problems.append(("award_levels", _("Award line %(n)d: write the award's name, a space, then its limit.",
                                               n=number)))
            continue
        levels.append({"name": name.strip()[:40], "limit": value})
    definition["tie_breaks"] = ties
    definition["total_rounding"] = {"rule": form.total_rounding.data,
                                    "places": form.total_places.data if form.total_places.data is not None else 2}
    definition["award"] = {"method": form.award_method.data, "levels": levels, "rounding": form.award_rounding.data}
    definition["standardisation"] = {
        "method": form.standardisation.data, "mean": form.standard_mean.data, "spread": form.standard_spread.data,
        "benchmark": form.standard_benchmark.data,
        "rounding": {"rule": form.standard_rounding.data,
                     "places": form.standard_places.data if form.standard_places.data is not None else 2}}
    return problems


@bp.route("/scoring/schemes/<int:scheme_id>/settings", methods=["GET", "POST"])
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def scheme_settings(scheme_id: int):
    """The scheme's name, the total's rounding, the tie-break list, the awards, the standardisation."""
    found = schemes.get_or_404(scheme_id)
    definition = schemes.definition_of(found.current)
    form = SettingsForm()
    if request.method == "GET":
        standard = definition["standardisation"]
        form.process(data={
            "name": found.name, "total_rounding": definition["total_rounding"]["rule"],
            "total_places": definition["total_rounding"]["places"], "tie_breaks": _tie_break_text(definition),
            "award_method": definition["award"]["method"], "award_levels": _award_text(definition),
            "award_rounding": definition["award"]["rounding"], "standardisation": standard["method"],
            "standard_mean": standard["mean"], "standard_spread": standard["spread"],
            "standard_benchmark": standard["benchmark"], "standard_rounding": standard["rounding"]["rule"],
            "standard_places": standard["rounding"]["places"], "blind": found.blind,
            "spread_action": found.spread_action})
    if form.is_submitted():
        fields_ok = form.validate()
        problems = _parse_settings(form, definition)
        show_problems(form, problems)
        if fields_ok and not problems and _save(found, definition, form, SETTINGS_FIELDS, name=form.name.data):
            schemes.set_marking(found, blind=form.blind.data, spread_action=form.spread_action.data,
                                actor=current_user)
            return redirect(url_for("scoring.scheme", scheme_id=found.id))
        if not fields_ok or problems:
            try:  # the service's rules too, so every problem shows at once
                schemes.check_definition(definition, draft=True)
            except InvalidInput as error:
                _problems_on(form, error, SETTINGS_FIELDS)
    status = 422 if form.is_submitted() else 200
    return render_template("scoring/settings_form.html", scheme=found, form=form), status


@bp.route("/scoring/schemes/<int:scheme_id>/component", methods=["GET", "POST"])
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def scheme_component(scheme_id: int):
    """Add a component (?key= edits that one): its code, name, weight, scaling, rounding."""
    found = schemes.get_or_404(scheme_id)
    definition = schemes.definition_of(found.current)
    components = {c["key"]: c for c in definition["components"]}
    editing = components.get(request.values.get("original_key") or request.args.get("key") or "")
    form = ComponentForm()
    if request.method == "GET" and editing:
        form.process(data={"original_key": editing["key"], "key": editing["key"], "name": editing["name"],
                           "weight": editing["weight"], "scale_to": editing["scale_to"],
                           "is_theory": editing["is_theory"], "rounding": editing["rounding"]["rule"],
                           "places": editing["rounding"]["places"]})
    if form.is_submitted():
        fields_ok = form.validate()
        new = {"key": form.key.data, "name": form.name.data, "weight": form.weight.data,
               "scale_to": form.scale_to.data, "is_theory": form.is_theory.data,
               "rounding": {"rule": form.rounding.data, "places": form.places.data if form.places.data is not None
                            else 2}, "criteria": editing["criteria"] if editing else []}
        if editing:
            definition["components"][definition["components"].index(editing)] = new
        else:
            definition["components"].append(new)
        if fields_ok and _save(found, definition, form, COMPONENT_FIELDS):
            return redirect(url_for("scoring.scheme", scheme_id=found.id))
        if not fields_ok:  # the service's rules too, on what the fields hold, so every problem shows at once
            try:
                schemes.check_definition(definition, draft=True)
            except InvalidInput as error:
                show_problems(form, [(COMPONENT_FIELDS.get(n, n), m) for n, m in error.problems],
                              skip_fields_with_errors=True)
    status = 422 if form.is_submitted() else 200
    return render_template("scoring/component_form.html", scheme=found, form=form, editing=editing), status


def _aspect_of(form: AspectForm) -> dict:
    def number(value, default):
        return value if value is not None else default
    return {"key": form.key.data, "name": form.name.data, "maximum": form.maximum.data, "kind": form.kind.data,
            "scale": {"min": form.scale_min.data, "max": form.scale_max.data, "step": form.scale_step.data},
            "allowed_spread": form.allowed_spread.data, "judges": form.judges.data,
            "aggregation": {"method": form.aggregation.data, "drop_high": number(form.drop_high.data, 0),
                            "drop_low": number(form.drop_low.data, 0)},
            "attempts": {"rule": form.attempts_rule.data, "count": form.attempts_count.data,
                         "best_k": number(form.best_k.data, 1)},
            "uses_factor": form.uses_factor.data,
            "rounding": {"rule": form.rounding.data, "places": number(form.places.data, 2)}}


def _aspect_form_data(component: dict, criterion: dict, aspect: dict) -> dict:
    return {"original_key": aspect["key"], "component": component["key"], "criterion": criterion["name"],
            "key": aspect["key"], "name": aspect["name"], "kind": aspect["kind"], "maximum": aspect["maximum"],
            "scale_min": aspect["scale"]["min"], "scale_max": aspect["scale"]["max"],
            "scale_step": aspect["scale"]["step"], "allowed_spread": aspect["allowed_spread"],
            "judges": aspect["judges"], "aggregation": aspect["aggregation"]["method"],
            "drop_high": aspect["aggregation"]["drop_high"], "drop_low": aspect["aggregation"]["drop_low"],
            "attempts_rule": aspect["attempts"]["rule"], "attempts_count": aspect["attempts"]["count"],
            "best_k": aspect["attempts"]["best_k"], "uses_factor": aspect["uses_factor"],
            "rounding": aspect["rounding"]["rule"], "places": aspect["rounding"]["places"]}


def _without_aspect(definition: dict, key: str) -> None:
    for component in definition["components"]:
        for criterion in component["criteria"]:
            criterion["aspects"] = [a for a in criterion["aspects"] if a["key"] != key]
        component["criteria"] = [cr for cr in component["criteria"] if cr["aspects"]]


def _find_aspect(definition: dict, key: str):
    for component in definition["components"]:
        for criterion in component["criteria"]:
            for aspect in criterion["aspects"]:
                if aspect["key"] == key:
                    return component, criterion, aspect
    return None


@bp.route("/scoring/schemes/<int:scheme_id>/aspect", methods=["GET", "POST"])
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def scheme_aspect(scheme_id: int):
    """Add an aspect under a component's criterion (?key= edits that one)."""
    found = schemes.get_or_404(scheme_id)
    definition = schemes.definition_of(found.current)
    form = AspectForm()
    form.component.choices = [(c["key"], c["name"]) for c in definition["components"]]
    editing = _find_aspect(definition, request.values.get("original_key") or request.args.get("key") or "")
    if not form.component.choices:
        flash(_("Add a component first (e.g. practical)."), "info")
        return redirect(url_for("scoring.scheme_component", scheme_id=found.id))
    if request.method == "GET" and editing:
        form.process(data=_aspect_form_data(*editing))
    if form.is_submitted():
        fields_ok = form.validate()
        if editing:
            _without_aspect(definition, editing[2]["key"])
        component = next((c for c in definition["components"] if c["key"] == form.component.data), None)
        if component is not None:
            criterion = next((cr for cr in component["criteria"] if cr["name"] == (form.criterion.data or "").strip()),
                             None)
            if criterion is None:
                criterion = {"name": (form.criterion.data or "").strip(), "aspects": []}
                component["criteria"].append(criterion)
            criterion["aspects"].append(_aspect_of(form))
        if fields_ok and _save(found, definition, form, ASPECT_FIELDS):
            return redirect(url_for("scoring.scheme", scheme_id=found.id))
        if not fields_ok:  # the service's rules too, on what the fields hold, so every problem shows at once
            try:
                schemes.check_definition(definition, draft=True)
            except InvalidInput as error:
                show_problems(form, [(ASPECT_FIELDS.get(n, n), m) for n, m in error.problems],
                              skip_fields_with_errors=True)
    status = 422 if form.is_submitted() else 200
    return render_template("scoring/aspect_form.html", scheme=found, form=form, editing=editing), status


@bp.post("/scoring/schemes/<int:scheme_id>/remove")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def scheme_remove(scheme_id: int):
    """Remove a component (with its criteria and aspects) or one aspect."""
    found = schemes.get_or_404(scheme_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        flash(_("Please say what to remove."), "danger")
        return redirect(url_for("scoring.scheme", scheme_id=found.id)), 303
    definition = schemes.definition_of(found.current)
    kind, _sep, key = form.what.data.partition(":")
    if kind == "component":
        definition["components"] = [c for c in definition["components"] if c["key"] != key]
    else:
        _without_aspect(definition, key)
    try:
        schemes.save_definition(found, definition, actor=current_user, draft=True)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("scoring.scheme", scheme_id=found.id)), 303
    flash(_("Removed."), "success")
    return redirect(url_for("scoring.scheme", scheme_id=found.id))


@bp.post("/scoring/schemes/<int:scheme_id>/delete")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def scheme_delete(scheme_id: int):
    """Delete a scheme no mark was ever given on."""
    found = schemes.get_or_404(scheme_id)
    form = DeleteSchemeForm()
    if not form.validate_on_submit():
        flash(_("Please confirm the deletion."), "danger")
        return redirect(url_for("scoring.scheme", scheme_id=found.id)), 303
    event_id = found.event_id
    try:
        schemes.delete_scheme(found, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("scoring.scheme", scheme_id=found.id)), 303
    log.info("marking scheme %s deleted by user %s", scheme_id, current_user.id)
    flash(_("The scheme is deleted."), "success")
    return redirect(url_for("scoring.event_schemes", event_id=event_id))


@bp.route("/scoring/schemes/<int:scheme_id>/rehearsal", methods=["GET", "POST"])
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def scheme_rehearsal(scheme_id: int):
    """Paste or upload marks and see every figure the scheme makes of them; nothing is stored."""
    found = schemes.get_or_404(scheme_id)
    form = RehearsalForm()
    result, status = None, 200
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                upload = form.file.data
                if upload and getattr(upload, "filename", ""):
                    lines = preview.lines_from_excel(upload.read())
                else:
                    lines = preview.lines_from_text(form.marks.data or "")
                result = preview.preview(schemes.definition_of(found.current), lines)
                status = 200
            except DomainError as error:
                show_problems(form, [("marks" if n in (None, "marks") else n, m)
                                     for n, m in (getattr(error, "problems", None) or [(error.field, error.message)])])
    return render_template("scoring/rehearsal.html", scheme=found, version=found.current, form=form,
                           result=result, figures=plain(result) if result else None,
                           unready=schemes.unready(schemes.definition_of(found.current))), status
