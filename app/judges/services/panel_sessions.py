"""Panels onto sessions (场次): the competition's session service gives a panel its session
and keeps the panel's interval in step; judges never see sessions, only their id and times.

While a panel has a session, its seated judges are booked as persons over the session's
interval (services.judge_bookings), and its draw's busy rule reads intervals
(services.draws.candidates_for). A panel without one keeps its dates and books nothing.

Lock order (app.core.locks): the caller's locks (the session row) first, then the seat lock,
then the panel rows by id, then the bookings' rows (scheduling).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.errors import Conflict
from app.extensions import db
from app.judges.models import Panel
from app.judges.services import judge_bookings
from app.judges.services.draws import lock_panel, lock_seats, require_panel_manager
from app.judges.services.facts import event_facts
from app.judges.services.panels import members_of
from app.scheduling.services import bookings
from app.scheduling.services.bookings import BookingRequest

log = logging.getLogger(__name__)

INTERVAL = ("session_id", "starts_at", "ends_at")


def panels_of_session(session_id: int) -> list[Panel]:
    """The panels judging a session, by id."""
    return list(db.session.scalars(select(Panel).where(Panel.session_id == session_id).order_by(Panel.id)))


def set_session(panel: Panel, session_id: int | None, starts_at: datetime | None, ends_at: datetime | None, *,
                actor) -> Panel:
    """Give `panel` a session and its interval (or, with None, take it away: the panel sits on
    its dates again). Its seated judges are released and booked for the new interval.

    The caller (competitions) checks the session is of the panel's event. Raises
    PermissionDenied without judges.manage for the event, Conflict naming a judge already
    booked then; on any of them nothing is written.
    """
    require_panel_manager(actor, event_facts(panel.event_id))
    lock_seats()
    panel = lock_panel(panel.id)
    if session_id is not None and (starts_at is None or ends_at is None):
        raise Conflict(_("A session needs its start and end."))
    before = audit.snapshot(panel, INTERVAL)
    _move([panel], session_id, starts_at, ends_at, actor=actor)
    audit.record("panel.session_set", panel, actor=actor, before=before, after=audit.snapshot(panel, INTERVAL))
    log.info("panel %s given session %s", panel.id, session_id)
    return panel


def lock_for_session(session_id: int) -> list[Panel]:
    """Before a session moves: the seat lock, then the rows of the panels judging it (by id)."""
    lock_seats()
    return [lock_panel(panel_id) for panel_id in
            db.session.scalars(select(Panel.id).where(Panel.session_id == session_id).order_by(Panel.id))]


def release(panels: Iterable[Panel], *, actor) -> None:
    """Release the person bookings of the panels' members (a session moving or going away)."""
    for panel in panels:
        judge_bookings.release_seats(members_of(panel.id), actor=actor)


def requests_at(panels: Iterable[Panel], starts_at: datetime, ends_at: datetime) -> list[BookingRequest]:
    """The person bookings the panels' seated judges need over a new interval (booked by the
    caller together with the session's room and stations, in one `book_all`)."""
    return [request for panel in panels
            for request in judge_bookings.requests_for(panel, members_of(panel.id), starts_at, ends_at)]


def follow(panels: Iterable[Panel], session_id: int | None, starts_at: datetime | None,
           ends_at: datetime | None, *, actor) -> None:
    """Write the session's (new) interval on the panels, audited; their bookings are the
    caller's (`release`, `requests_at`). With session_id None the panels sit on dates again."""
    for panel in panels:
        before = audit.snapshot(panel, INTERVAL)
        panel.session_id, panel.starts_at, panel.ends_at = session_id, starts_at, ends_at
        if before != audit.snapshot(panel, INTERVAL):
            audit.record("panel.session_set", panel, actor=actor, before=before, after=audit.snapshot(panel, INTERVAL))
    db.session.flush()


def _move(panels: list[Panel], session_id, starts_at, ends_at, *, actor) -> None:
    release(panels, actor=actor)
    if session_id is not None:
        requests = requests_at(panels, starts_at, ends_at)
        if requests:
            bookings.book_all(requests, actor=actor)
    for panel in panels:
        panel.session_id, panel.starts_at, panel.ends_at = session_id, starts_at, ends_at
    db.session.flush()
