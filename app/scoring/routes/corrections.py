"""Pages after the lock: a panel's corrections (a judge asks for one on a locked mark of theirs,
the chief judge on any; the chief judge and staff approve or refuse), the staff's list of the
corrections waiting in an event, and the chief judge asking a third marker (from the progress
page). Who may do what is the service's (app.scoring.services.corrections, third_markers)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.competitions.models import Event
from app.competitions.services.access import event_scope
from app.core.errors import DomainError, NotFound
from app.core.forms import show_error, validate_all
from app.core.permissions import Scope, requires, requires_relation
from app.extensions import db
from app.judges.models import Panel
from app.judges.services.relations import PANEL_CHIEF, PANEL_MEMBER
from app.scoring import bp
from app.scoring.forms.corrections import CorrectionForm, RefusalForm, ThirdMarkerForm
from app.scoring.services import corrections, third_markers

MANAGE = "competitions.manage"


def _scope_of_panel(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(Event, db.get_or_404(Panel, view_args.get("panel_id")).event_id))


def _scope_of_event(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(Event, view_args.get("event_id")))


@bp.route("/scoring/panels/<int:panel_id>/corrections", methods=["GET", "POST"])
@requires(MANAGE, scope=_scope_of_panel, scope_arg="panel_id", relation=PANEL_MEMBER, relation_arg="panel_id")
def panel_corrections(panel_id: int):
    """The panel's corrections, and the form to ask for one (a judge or the chief judge)."""
    panel = db.get_or_404(Panel, panel_id)
    form = CorrectionForm()
    form.mark_id.choices = corrections.choices(current_user, panel)
    status = 200
    if request.method == "POST":
        def check():
            corrections.check_request(panel, form.mark_id.data, form.value.data, form.reason.data, actor=current_user)
        if validate_all(form, check):
            try:
                corrections.request(panel, form.mark_id.data, form.value.data, form.reason.data, actor=current_user)
            except DomainError as error:
                db.session.rollback()
                show_error(form, error)
            else:
                flash(_("Correction asked for: the chief judge and staff must approve it."), "success")
                return redirect(url_for("scoring.panel_corrections", panel_id=panel.id)), 303
        status = 422
    roles = corrections.capacities(current_user, panel)
    rows = corrections.rows(corrections.of_panel_list(panel, current_user), names=bool(roles))
    return render_template("scoring/corrections.html", panel=panel, event=None, rows=rows,
                           heading=_("Corrections: %(panel)s", panel=panel.name), form=form, roles=roles,
                           decide=FlaskForm(), refusal=RefusalForm(formdata=None)), status


@bp.get("/scoring/events/<int:event_id>/corrections")
@requires(MANAGE, scope=_scope_of_event, scope_arg="event_id")
def event_corrections(event_id: int):
    """Staff: every correction waiting on the event's panels."""
    event = db.get_or_404(Event, event_id)
    rows = corrections.rows(corrections.pending_of_event(event))
    return render_template("scoring/corrections.html", panel=None, event=event, rows=rows, form=None,
                           heading=_("Corrections waiting: %(event)s", event=event.name),
                           roles={corrections.STAFF}, decide=FlaskForm(), refusal=RefusalForm(formdata=None))


def _back(panel: Panel) -> str:
    following = request.args.get("next", "")
    allowed = {url_for("scoring.panel_corrections", panel_id=panel.id), url_for("scoring.progress", panel_id=panel.id),
               url_for("scoring.event_corrections", event_id=panel.event_id)}
    return following if following in allowed else url_for("scoring.panel_corrections", panel_id=panel.id)


def _correction(panel_id: int, correction_id: int):
    panel = db.get_or_404(Panel, panel_id)
    try:
        return panel, corrections.of_panel(panel, correction_id)
    except NotFound:
        abort(404)


@bp.post("/scoring/panels/<int:panel_id>/corrections/<int:correction_id>/approve")
@requires(MANAGE, scope=_scope_of_panel, scope_arg="panel_id", relation=PANEL_CHIEF, relation_arg="panel_id")
def approve_correction(panel_id: int, correction_id: int):
    """Approve as the chief judge or as staff (asked first); the second approval changes the mark."""
    panel, found = _correction(panel_id, correction_id)
    if not FlaskForm().validate_on_submit():
        flash(_("The page had expired; please try again."), "warning")
        return redirect(_back(panel)), 303
    try:
        done = corrections.approve(found, actor=current_user, roles=corrections.capacities(current_user, panel))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        flash(_("Correction approved: the mark has changed.") if done.status == "applied"
              else _("Approval given: the correction waits for the other approval."), "success")
    return redirect(_back(panel)), 303


@bp.post("/scoring/panels/<int:panel_id>/corrections/<int:correction_id>/refuse")
@requires(MANAGE, scope=_scope_of_panel, scope_arg="panel_id", relation=PANEL_CHIEF, relation_arg="panel_id")
def refuse_correction(panel_id: int, correction_id: int):
    """Refuse, with a reason (asked first): the mark stays."""
    panel, found = _correction(panel_id, correction_id)
    form = RefusalForm()
    if not form.validate_on_submit():
        flash(_("The page had expired, or the reason is too long; please try again."), "warning")
        return redirect(_back(panel)), 303
    try:
        corrections.refuse(found, form.reason.data, actor=current_user,
                           roles=corrections.capacities(current_user, panel))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        flash(_("Correction refused."), "success")
    return redirect(_back(panel)), 303


@bp.post("/scoring/panels/<int:panel_id>/flags/<int:flag_id>/third-marker")
@requires_relation(PANEL_CHIEF, arg="panel_id")
def third_marker(panel_id: int, flag_id: int):
    """The chief judge asks a judge of the panel to mark a flagged cell as the third marker."""
    panel = db.get_or_404(Panel, panel_id)
    form = ThirdMarkerForm()
    try:
        flag, scheme = third_markers.open_flag(panel, flag_id)
    except NotFound:
        abort(404)
    if not form.validate_on_submit():
        flash(_("The page had expired, or no judge was chosen; please try again."), "warning")
    else:
        try:
            third_markers.assign(panel, flag.id, form.sheet_id.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            flash(_("Third marker asked: the cell is on their sheet."), "success")
    return redirect(url_for("scoring.progress", panel_id=panel.id, scheme_id=scheme.id)), 303
