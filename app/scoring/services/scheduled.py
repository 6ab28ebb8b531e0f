"""Scheduled publication (定时发布): staff set when a scheme's results go out; the scheduler's
job `scoring.publications` publishes them then.

A scheme has at most one pending publication: setting a new time cancels the pending one.
The job takes every pending publication that is due, in due order; for each it takes the
scheme's row lock, then the publication's row (the order publish itself starts with), and acts
only on a row still pending: so running the job twice, or in two processes, publishes once.
A publication that cannot go out (a sheet still open, say) is marked failed with the reason,
for staff to see and set again; it is never retried by itself.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.audit import SYSTEM
from app.core.errors import DomainError, InvalidInput
from app.core.locks import fetch_locked, hold_row
from app.core.time import utcnow
from app.extensions import db
from app.scoring.models import MarkingScheme
from app.scoring.result_models import PublicationState, ScheduledPublication
from app.scoring.services import publication

MAX_DUE_PER_RUN = 100


def pending_of(scheme: MarkingScheme) -> ScheduledPublication | None:
    return db.session.scalar(select(ScheduledPublication).where(
        ScheduledPublication.scheme_id == scheme.id, ScheduledPublication.state == PublicationState.PENDING))


def history_of(scheme: MarkingScheme) -> list[ScheduledPublication]:
    return list(db.session.scalars(select(ScheduledPublication).where(ScheduledPublication.scheme_id == scheme.id)
                                   .order_by(ScheduledPublication.id.desc()).limit(20)))


def schedule(scheme: MarkingScheme, due_at: datetime | None, *, actor, reason: str | None = None,
             now: datetime | None = None) -> ScheduledPublication:
    """Publish the scheme's results at `due_at` (aware); replaces a pending publication."""
    now = now or utcnow()
    if due_at is None or due_at.tzinfo is None or due_at <= now:
        raise InvalidInput(_("Please choose a time in the future."), "due_at")
    hold_row(MarkingScheme, scheme.id)
    reason = publication.check_reason(reason, publication.latest(scheme.id) is not None)
    for earlier in db.session.scalars(select(ScheduledPublication).where(
            ScheduledPublication.scheme_id == scheme.id, ScheduledPublication.state == PublicationState.PENDING)):
        earlier.state, earlier.done_at = PublicationState.CANCELLED, now
    item = ScheduledPublication(scheme_id=scheme.id, due_at=due_at, reason=reason,
                                created_by_id=getattr(actor, "id", None), created_at=now)
    db.session.add(item)
    db.session.flush()
    audit.record("scoring.results_scheduled", scheme, actor=actor, after={"due_at": due_at.isoformat()})
    return item


def cancel(scheme: MarkingScheme, *, actor) -> bool:
    """Cancel the scheme's pending publication; False when there was none."""
    hold_row(MarkingScheme, scheme.id)
    item = pending_of(scheme)
    if item is None:
        return False
    item.state, item.done_at = PublicationState.CANCELLED, utcnow()
    audit.record("scoring.results_schedule_cancelled", scheme, actor=actor)
    return True


def run_due(now: datetime) -> tuple[int, int]:
    """Publish every pending publication due by `now`: (published, failed)."""
    due = db.session.execute(select(ScheduledPublication.id, ScheduledPublication.scheme_id).where(
        ScheduledPublication.state == PublicationState.PENDING, ScheduledPublication.due_at <= now)
        .order_by(ScheduledPublication.due_at, ScheduledPublication.id).limit(MAX_DUE_PER_RUN)).all()
    published = failed = 0
    for item_id, scheme_id in due:
        hold_row(MarkingScheme, scheme_id)
        item = fetch_locked(ScheduledPublication, item_id)
        if item.state != PublicationState.PENDING:
            continue   # another run took it
        try:
            with db.session.begin_nested():
                snapshot, _made = publication.publish(item.scheme, actor=item_creator(item), reason=item.reason)
        except DomainError as error:
            item.state, item.message, item.done_at = PublicationState.FAILED, error.message, now
            failed += 1
            continue
        item.state, item.snapshot_id, item.done_at = PublicationState.PUBLISHED, snapshot.id, now
        published += 1
    return published, failed


def item_creator(item: ScheduledPublication):
    """Who set the time publishes; the system when they are gone."""
    return db.session.get(User, item.created_by_id) if item.created_by_id else SYSTEM
