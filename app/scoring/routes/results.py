"""Staff pages of results: a scheme's live results (before publishing), publishing, scheduling,
the published versions and what changed between them, advancement to the next stage.

Whoever manages the event's setup (`competitions.manage` in its committee) publishes its
results. Every rule is in app.scoring.services (publication, scheduled, advancement); a refusal
shows on the results page with the form that was sent.
"""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.competitions.models import Event
from app.competitions.services.access import event_scope
from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import has_permission, requires
from app.extensions import db
from app.scoring import bp
from app.scoring.forms.results import AdvanceForm, CancelForm, PublishForm, ScheduleForm
from app.scoring.models import MarkingScheme
from app.scoring.result_models import Advancement
from app.scoring.routes.schemes import MANAGE, _scope_of_scheme
from app.scoring.services import advancement, publication, scheduled, schemes, standings
from app.scoring.services.preview import _problem_text as problem_text

log = logging.getLogger(__name__)


def _targets(scheme: MarkingScheme) -> list[tuple[int, str]]:
    """Events of the same competition the user may enter people in (the next stage's)."""
    found = db.session.scalars(select(Event).where(Event.competition_id == scheme.event.competition_id,
                                                   Event.id != scheme.event_id).order_by(Event.id))
    return [(e.id, e.name) for e in found if has_permission(current_user, MANAGE, event_scope(e))]


def _page(scheme: MarkingScheme, *, publish_form=None, schedule_form=None, advance_form=None, status: int = 200):
    live = standings.live(scheme)
    snapshots = publication.snapshots_of(scheme)
    advance_form = advance_form or AdvanceForm()
    advance_form.target_event_id.choices = [("", _("Choose an event"))] + _targets(scheme)
    return render_template(
        "scoring/results.html", scheme=scheme, live=live, figures=live.outputs, labels=live.labels,
        components=[(c["key"], c["name"]) for c in live.inputs["scheme"]["components"]],
        problems=[problem_text(p) for p in live.problems], blockers=publication.blockers(live.version),
        snapshots=snapshots, current=snapshots[0] if snapshots else None,
        same_as_current=bool(snapshots) and snapshots[0].inputs_hash == live.inputs_hash,
        pending=scheduled.pending_of(scheme), history=scheduled.history_of(scheme),
        publish_form=publish_form or PublishForm(), schedule_form=schedule_form or ScheduleForm(),
        cancel_form=CancelForm(), advance_form=advance_form, advanced=_advanced(snapshots)), status


def _advanced(snapshots) -> list:
    ids = [s.id for s in snapshots]
    return db.session.execute(select(Advancement, Event.name).join(Event, Event.id == Advancement.target_event_id)
                              .where(Advancement.snapshot_id.in_(ids)).order_by(Advancement.place)).all() if ids else []


@bp.get("/scoring/schemes/<int:scheme_id>/results")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def results(scheme_id: int):
    """Live results from the handed-in marks; publish, schedule, the published versions."""
    return _page(schemes.get_or_404(scheme_id))


@bp.post("/scoring/schemes/<int:scheme_id>/results/publish")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def publish(scheme_id: int):
    """Freeze the live results as the next version (a reason from v2 on)."""
    scheme = schemes.get_or_404(scheme_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return _page(scheme, publish_form=form, status=422)
    try:
        snapshot, made = publication.publish(scheme, actor=current_user, reason=form.reason.data)
    except DomainError as error:
        show_error(form, error)
        return _page(scheme, publish_form=form, status=error.status)
    log.info("results of scheme %s published as v%s by user %s", scheme.id, snapshot.number, current_user.id)
    flash(_("Version %(n)d of the results is published.", n=snapshot.number) if made
          else _("These results were published already (version %(n)d).", n=snapshot.number),
          "success" if made else "info")
    return redirect(url_for("scoring.results", scheme_id=scheme.id))


@bp.post("/scoring/schemes/<int:scheme_id>/results/schedule")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def schedule(scheme_id: int):
    """Publish the results at a set time (the scheduler does it)."""
    scheme = schemes.get_or_404(scheme_id)
    form = ScheduleForm()
    if not form.validate_on_submit():
        return _page(scheme, schedule_form=form, status=422)
    try:
        scheduled.schedule(scheme, form.due_at.data, actor=current_user, reason=form.reason.data)
    except DomainError as error:
        show_error(form, error)
        return _page(scheme, schedule_form=form, status=error.status)
    flash(_("The results will be published at the time you set."), "success")
    return redirect(url_for("scoring.results", scheme_id=scheme.id))


@bp.post("/scoring/schemes/<int:scheme_id>/results/schedule/cancel")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def cancel_schedule(scheme_id: int):
    scheme = schemes.get_or_404(scheme_id)
    if not CancelForm().validate_on_submit():
        return _page(scheme, status=422)
    if scheduled.cancel(scheme, actor=current_user):
        flash(_("The scheduled publication is cancelled."), "success")
    return redirect(url_for("scoring.results", scheme_id=scheme.id))


@bp.post("/scoring/schemes/<int:scheme_id>/results/advance")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def advance(scheme_id: int):
    """Enter the best of the published results in the next stage's event."""
    scheme = schemes.get_or_404(scheme_id)
    form = AdvanceForm()
    form.target_event_id.choices = [("", "")] + _targets(scheme)
    if not form.validate_on_submit():
        return _page(scheme, advance_form=form, status=422)
    target = db.session.get(Event, form.target_event_id.data)
    try:
        made = advancement.advance(scheme, target, actor=current_user, top=form.top.data, share=form.share.data)
    except DomainError as error:
        show_error(form, error)
        return _page(scheme, advance_form=form, status=error.status)
    flash(_("%(n)d contestants advanced to %(event)s.", n=len(made), event=target.name), "success")
    return redirect(url_for("scoring.results", scheme_id=scheme.id))


@bp.get("/scoring/schemes/<int:scheme_id>/results/v/<int:number>")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def snapshot(scheme_id: int, number: int):
    """One published version: its figures, its hash, and what changed since the version before."""
    scheme = schemes.get_or_404(scheme_id)
    found = publication.snapshot_of(scheme, number) if number < 2**31 else None
    if found is None:
        abort(404)
    before = publication.snapshot_of(scheme, number - 1) if number > 1 else None
    return render_template("scoring/snapshot.html", scheme=scheme, snapshot=found, before=before,
                           rows=publication.public_rows(found),
                           changes=publication.diff(before, found) if before else None)
