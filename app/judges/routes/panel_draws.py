"""The draw of a panel: the page that runs it (with who is eligible now and why the others are
not), the record of a draw, and checking that record by recomputing it."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import Person, User
from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import requires
from app.extensions import db
from app.judges import bp
from app.judges import draw as drawing
from app.judges.draw_record import result_from_json
from app.judges.forms.panels import DrawForm
from app.judges.models import JudgeProfile, Panel, PanelStatus
from app.judges.services import draws, panels
from app.judges.services.facts import event_facts


def _people(profile_ids: Iterable[int]) -> dict[int, str]:
    """Judges' names by profile id (a profile gone since shows as its number)."""
    ids = sorted(set(profile_ids))
    found = {pid: name for pid, name in db.session.execute(
        select(JudgeProfile.id, Person.full_name).join(Person, Person.id == JudgeProfile.person_id)
        .where(JudgeProfile.id.in_(ids)))} if ids else {}
    return {pid: found.get(pid, f"#{pid}") for pid in ids}


def _excluded_rows(excluded: Mapping[int, Sequence[drawing.Exclusion]]) -> tuple[list[tuple[str, list[str]]], int]:
    """Judges excluded for a reason worth reading, with their reasons; and how many were left
    out only because they do not mark the trade (a count, not a list of the whole pool)."""
    trade_only = {pid for pid, reasons in excluded.items() if [e.code for e in reasons] == ["speciality"]}
    shown = {pid: reasons for pid, reasons in excluded.items() if pid not in trade_only}
    names, texts = _people(shown), draws.exclusion_texts(shown)
    rows = sorted(((names[pid], texts[pid]) for pid in shown), key=lambda row: row[0])
    return rows, len(trade_only)


def _draw_page(panel: Panel, form: DrawForm, status: int = 200, infeasible: drawing.Infeasible | None = None):
    facts = event_facts(panel.event_id)
    constraints = draws.constraints_of(panel, facts)
    if infeasible is not None:
        excluded = infeasible.excluded
        eligible = None
    else:
        pool = draws.candidates_for(panel)
        excluded = {c.profile_id: reasons for c in pool if (reasons := drawing.exclusions(c, constraints))}
        eligible = len(pool) - len(excluded)
    rows, trade_only = _excluded_rows(excluded)
    return render_template("judges/panels/draw.html", panel=panel, facts=facts, form=form, eligible=eligible,
                           needed=constraints.seats, excluded=rows, trade_only=trade_only), status


@bp.route("/judges/panels/<int:panel_id>/draw", methods=["GET", "POST"])
@requires("judges.manage", scope=panels.scope_of_panel_id, scope_arg="panel_id")
def draw_panel(panel_id: int):
    """Run the panel's draw: a secure seed, or one typed in front of witnesses."""
    panel = panels.panel_or_404(panel_id)
    if panel.status != PanelStatus.OPEN:
        flash(draws.already_drawn(panel).message, "warning")
        return redirect(url_for("judges.draw_record", draw_id=panel.draw_id) if panel.draw_id
                        else url_for("judges.panel", panel_id=panel.id))
    form = DrawForm()
    if not form.validate_on_submit():
        return _draw_page(panel, form, 422 if form.errors else 200)
    asked = draws.DrawRequest(witnessed=form.seed_source.data == "witnessed", seed=form.seed.data,
                                witnesses=form.witnesses.data)
    try:
        record = draws.run_draw(panel, asked, actor=current_user)
    except draws.DrawInfeasible as error:
        flash(error.message, "danger")
        return _draw_page(db.session.get(Panel, panel_id), form, error.status, infeasible=error.infeasible)
    except DomainError as error:
        show_error(form, error)
        return _draw_page(db.session.get(Panel, panel_id), form, error.status)
    flash(_("The panel is drawn; the chief judges and judges are invited."), "success")
    return redirect(url_for("judges.draw_record", draw_id=record.id))


def _record_page(draw_id: int, verification: list[draws.Difference] | None = None):
    record = panels.draw_or_404(draw_id)
    result = record.result if isinstance(record.result, dict) else {}
    try:
        excluded = result_from_json(result).excluded
    except ValueError:
        excluded = {}
    rows, trade_only = _excluded_rows(excluded)
    drawn = [*result.get("chiefs", []), *result.get("judges", []), *result.get("reserves", []),
             *result.get("passed_over", [])]
    return render_template("judges/panels/draw_record.html", record=record, panel=record.panel,
                           facts=event_facts(record.panel.event_id), result=result,
                           names=_people(pid for pid in drawn if isinstance(pid, int)),
                           ran_by=db.session.get(User, record.ran_by_id), excluded=rows, trade_only=trade_only,
                           verification=verification)


@bp.get("/judges/draws/<int:draw_id>")
@requires("judges.manage", scope=panels.scope_of_draw_id, scope_arg="draw_id")
def draw_record(draw_id: int):
    """A draw as it was made: seed, who ran it, witnesses, the rules, what it gave and why
    the others were not eligible."""
    return _record_page(draw_id)


@bp.get("/judges/draws/<int:draw_id>/verify")
@requires("judges.manage", scope=panels.scope_of_draw_id, scope_arg="draw_id")
def verify_draw(draw_id: int):
    """Recompute the draw from its stored seed, rules and candidates and compare."""
    return _record_page(draw_id, draws.verify(panels.draw_or_404(draw_id)))
