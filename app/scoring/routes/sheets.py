"""Score entry pages: the judge's sheets and the tablet page (one screen per contestant and
criterion), and the chief judge's progress matrix with its lock button.

A judge reaches the sheets of panels they sit on (the relation panel.member; the sheet must be
their own, else 404); the chief judge (panel.chief) locks; the event's staff
(`competitions.manage` in its committee) read the progress too. The tablet page works as a
plain form; static/js/marks.js makes it keyboard-first, saves drafts as they are typed, keeps
unsent marks in the browser with their client ids and sends them again when the network is
back (POSTing JSON to the same address; the answer says which were stored or why not).
"""
from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal, InvalidOperation

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.competitions.models import Event
from app.competitions.services.access import event_scope
from app.core.errors import DomainError, InvalidInput, NotFound
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import Scope, requires, requires_relation, signed_in, stands_in
from app.extensions import db
from app.judges.models import Panel
from app.judges.services.relations import PANEL_CHIEF, PANEL_MEMBER
from app.scoring import bp
from app.scoring.models import SheetStatus
from app.scoring.forms.corrections import RefusalForm
from app.scoring.services import chief, corrections, third_markers, visibility
from app.scoring.services import marks as service

MANAGE = "competitions.manage"
FIELD = re.compile(r"^v:(\d{1,12}):(\d{1,12}):(\d{1,4})$")
NUMBER = re.compile(r"^-?[0-9]{1,9}([.,][0-9]{1,6})?$")
MAX_QUEUE = 500_000   # characters of the browser's queue: 2,000 marks with room to spare


def _scope_of_panel(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(Event, db.get_or_404(Panel, view_args.get("panel_id")).event_id))


def status_label(status: str) -> str:
    return {SheetStatus.DRAFT: _("Draft"), SheetStatus.SUBMITTED: _("Handed in"),
            SheetStatus.LOCKED: _("Locked")}[status]


@bp.app_context_processor
def _labels() -> dict:
    return {"sheet_status_label": status_label}


@bp.get("/scoring/judging")
@signed_in  # anyone's own sheets: none unless they sit on a panel
def my_sheets():
    """The judge's own score sheets, and the panels they chair (to the progress matrix)."""
    return render_template("scoring/my_sheets.html", sheets=service.sheets_of(current_user),
                           chaired=service.chaired_panels(current_user))


def _screens(view: service.SheetView) -> list[tuple[visibility.Contestant, object, list]]:
    """(contestant, criterion, its aspects) for each screen of the sheet, in order."""
    screens = []
    for contestant in view.contestants:
        criteria: dict[int, list] = {}
        for aspect in view.aspects:
            criteria.setdefault(aspect.criterion_id, []).append(aspect)
        for aspects in criteria.values():
            screens.append((contestant, aspects[0].criterion, aspects))
    return screens


def _own(panel_id: int, sheet_id: int):
    try:
        return service.own_sheet(sheet_id, current_user, panel_id)
    except NotFound:
        return None


def _sheet_page(own, screen: int, status: int = 200, typed=None):
    view = service.view_of(own)
    screens = _screens(view)
    index = min(max(screen, 0), max(len(screens) - 1, 0))
    return render_template("scoring/sheet.html", view=view, screens=screens, index=index,
                           screen=screens[index] if screens else None, form=FlaskForm(),
                           client_id=lambda: uuid.uuid4().hex, attempts_of=service.attempts_of,
                           missing=len(view.missing()), session_name=chief.session_name(own.panel),
                           typed=typed or {}), status


@bp.get("/scoring/panels/<int:panel_id>/sheets/<int:sheet_id>")
@requires_relation(PANEL_MEMBER, arg="panel_id")
def sheet(panel_id: int, sheet_id: int):
    """One screen of the tablet page: a contestant and one criterion's aspects."""
    own = _own(panel_id, sheet_id)
    if own is None:
        abort(404)
    return _sheet_page(own, request.args.get("screen", 0, type=int) or 0)


def _entries_from_form(view: service.SheetView) -> list[service.MarkIn]:
    reason = (request.form.get("reason") or "").strip()[:500] or None
    entries, problems = [], []
    for name, raw in request.form.items():
        match = FIELD.match(name)
        text = (raw or "").strip()
        if not match or not text:
            continue
        if not NUMBER.match(text):
            problems.append(("marks", _("“%(text)s” is not a mark: please write a number, e.g. 7.5.", text=text[:20])))
            continue
        registration_id, aspect_id, attempt = (int(part) for part in match.groups())
        client_id = (request.form.get(f"c:{registration_id}:{aspect_id}:{attempt}") or "")[:64] or uuid.uuid4().hex
        entries.append(service.MarkIn(client_id, registration_id, aspect_id, attempt,
                                      Decimal(text.replace(",", ".")), reason))
    if problems:
        raise InvalidInput(problems[0][1], "marks", problems)
    return entries


def _entries_from_queue(text: str) -> list[service.MarkIn]:
    """The browser's queue: a form field holding JSON {"marks": [{client_id, registration_id,
    aspect_id, attempt, value, reason}]} (pages take forms, not JSON bodies)."""
    try:
        data = json.loads(text) if len(text) <= MAX_QUEUE else None
    except (ValueError, RecursionError):
        data = None
    rows = data.get("marks") if isinstance(data, dict) else None
    if not isinstance(rows, list) or len(rows) > service.MAX_MARKS_PER_BATCH:
        raise InvalidInput(_("Nothing to store was sent."), "marks")
    entries = []
    for row in rows:
        try:
            text = str(row["value"]).strip()
            if not NUMBER.match(text):
                raise ValueError
            numbers = [int(row["registration_id"]), int(row["aspect_id"]), int(row.get("attempt") or 1)]
            if not all(0 < number <= MAX_ROW_ID for number in numbers):
                raise ValueError
            reason = row.get("reason")
            entries.append(service.MarkIn(str(row["client_id"])[:65], *numbers, Decimal(text.replace(",", ".")),
                                          str(reason)[:500] if reason else None))
        except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
            raise InvalidInput(_("A mark was sent in a shape this page does not know; please reload the page."),
                               "marks")
    return entries


def _json_error(error: DomainError):
    problems = [message for _field, message in getattr(error, "problems", None) or [(error.field, error.message)]]
    return jsonify({"error": {"code": error.code, "message": error.message, "problems": problems}}), error.status


@bp.post("/scoring/panels/<int:panel_id>/sheets/<int:sheet_id>")
@requires_relation(PANEL_MEMBER, arg="panel_id")
def save_sheet(panel_id: int, sheet_id: int):
    """Store the marks of a screen (a form), or the browser's queue of unsent marks (the form
    field `queue`, answered in JSON)."""
    own = _own(panel_id, sheet_id)
    queue = request.form.get("queue")
    if own is None:
        if queue is not None:
            return jsonify({"error": {"code": "not_found", "message": _("There is no such score sheet."),
                                      "problems": []}}), 404
        abort(404)
    screen = request.args.get("screen", 0, type=int) or 0
    form = FlaskForm()
    if queue is not None:
        if not form.validate_on_submit():
            return jsonify({"error": {"code": "expired", "message": _("The page had expired; please reload it."),
                                      "problems": []}}), 400
        try:
            answers = service.save_marks(own, _entries_from_queue(queue), actor=current_user)
        except DomainError as error:
            return _json_error(error)
        return jsonify({"marks": [{"client_id": a["client_id"], "result": a["result"]} for a in answers],
                        "status": own.status})
    if not form.validate_on_submit():
        flash(_("The page had expired; please enter the marks again."), "warning")
        return redirect(url_for("scoring.sheet", panel_id=panel_id, sheet_id=sheet_id, screen=screen)), 303
    try:
        service.save_marks(own, _entries_from_form(service.view_of(own)), actor=current_user)
    except DomainError as error:
        db.session.rollback()
        for _field, message in getattr(error, "problems", None) or [(error.field, error.message)]:
            flash(message, "danger")
        return _sheet_page(own, screen, error.status, request.form)
    flash(_("Marks saved."), "success")
    following = screen + 1 if request.form.get("go") == "next" else screen
    return redirect(url_for("scoring.sheet", panel_id=panel_id, sheet_id=sheet_id, screen=following)), 303


@bp.post("/scoring/panels/<int:panel_id>/sheets/<int:sheet_id>/submit")
@requires_relation(PANEL_MEMBER, arg="panel_id")
def submit_sheet(panel_id: int, sheet_id: int):
    """Hand the sheet in (asked first)."""
    own = _own(panel_id, sheet_id)
    if own is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        flash(_("The page had expired; please try again."), "warning")
    else:
        try:
            service.submit_sheet(own, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            return _sheet_page(own, 0, error.status)
        flash(_("Sheet handed in. A change from now on needs a reason."), "success")
    return redirect(url_for("scoring.sheet", panel_id=panel_id, sheet_id=sheet_id)), 303


@bp.get("/scoring/panels/<int:panel_id>/progress")
@requires(MANAGE, scope=_scope_of_panel, scope_arg="panel_id", relation=PANEL_CHIEF, relation_arg="panel_id")
def progress(panel_id: int):
    """The chief judge's matrix: contestant × aspect × judge, missing and flagged marks marked."""
    return _progress_page(db.get_or_404(Panel, panel_id), request.args.get("scheme_id", type=int))


def _progress_page(panel: Panel, chosen: int | None, status: int = 200):
    found = visibility.schemes_of_panel(panel)
    scheme = next((s for s in found if s.id == chosen), found[0] if found else None)
    state = chief.progress(panel, scheme) if scheme else None
    roles = corrections.capacities(current_user, panel)
    pending = corrections.rows(corrections.of_panel_list(panel, current_user, pending_only=True))
    return render_template("scoring/progress.html", panel=panel, schemes=found, state=state, form=FlaskForm(),
                           is_chief=stands_in(current_user, PANEL_CHIEF, panel.id), roles=roles, pending=pending,
                           refusal=RefusalForm(formdata=None), thirds=third_markers.assigned(
                               [f.id for f in state.flags.values()] if state else []),
                           attempts_of=service.attempts_of, aspect_lockable=chief.aspect_lockable), status


@bp.post("/scoring/panels/<int:panel_id>/sheets/<int:sheet_id>/lock")
@requires_relation(PANEL_CHIEF, arg="panel_id")
def lock_sheet(panel_id: int, sheet_id: int):
    """The chief judge locks a judge's sheet (asked first)."""
    try:
        found = chief.sheet_of_panel(panel_id, sheet_id)
    except NotFound:
        abort(404)
    scheme_id = found.version.scheme_id
    if not FlaskForm().validate_on_submit():
        flash(_("The page had expired; please try again."), "warning")
    else:
        try:
            chief.lock_sheet(found, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            return _progress_page(db.get_or_404(Panel, panel_id), scheme_id, error.status)
        flash(_("Sheet locked."), "success")
    return redirect(url_for("scoring.progress", panel_id=panel_id, scheme_id=scheme_id)), 303


@bp.post("/scoring/panels/<int:panel_id>/aspects/<int:aspect_id>/lock")
@requires_relation(PANEL_CHIEF, arg="panel_id")
def lock_aspect(panel_id: int, aspect_id: int):
    """The chief judge locks one aspect on every judge's sheet (asked first)."""
    panel = db.get_or_404(Panel, panel_id)
    scheme_id = request.args.get("scheme_id", type=int)
    try:
        scheme = chief.scheme_of_panel(panel, scheme_id)
    except NotFound:
        abort(404)
    if not FlaskForm().validate_on_submit():
        flash(_("The page had expired; please try again."), "warning")
    else:
        try:
            chief.lock_aspect(panel, scheme, aspect_id, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            return _progress_page(db.get_or_404(Panel, panel_id), scheme.id, error.status)
        flash(_("Aspect locked on every sheet."), "success")
    return redirect(url_for("scoring.progress", panel_id=panel_id, scheme_id=scheme.id)), 303
