"""A seated judge's time, held in scheduling while their panel judges a session (场次).

A panel with a session (Panel.session_id, with its interval starts_at/ends_at) books each
member in a seated state (services.draws.SEATED: invited or accepted) as a person, owner
"panel_member" with the member's id: a judge in two overlapping sessions is then refused
by the one clash rule, with its reason (app.scheduling.services.bookings). A panel without a
session books nothing: it still sits on its dates.

Every path that seats a judge books here (the draw, a manual seat, a reserve called in);
every path that unseats one (removed, declined) releases. Callers hold the seat lock and the
panel's row lock already, which come before the persons' rows in the lock order.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.extensions import db
from app.judges.models import JudgeProfile, MemberStatus, Panel, PanelMember
from app.scheduling.services import bookings
from app.scheduling.services.bookings import BookingRequest

OWNER = "panel_member"
# A member in one of these states holds their seat (read as services.draws.SEATED too).
SEATED = (MemberStatus.INVITED, MemberStatus.ACCEPTED)


def requests_for(panel: Panel, members: Iterable[PanelMember], starts_at, ends_at) -> list[BookingRequest]:
    """The person bookings that hold the seated `members` over [starts_at, ends_at)."""
    seated = [member for member in members if member.status in SEATED]
    if not seated:
        return []
    persons = dict(db.session.execute(select(JudgeProfile.id, JudgeProfile.person_id)
                                      .where(JudgeProfile.id.in_({m.profile_id for m in seated}))).all())
    return [BookingRequest(starts_at=starts_at, ends_at=ends_at, owner_kind=OWNER, owner_id=member.id,
                           person_id=persons[member.profile_id], label=panel.name[:128])
            for member in seated]


def book_seats(panel: Panel, members: Iterable[PanelMember], *, actor) -> None:
    """Book the seated `members` for the panel's session; nothing when it has none.
    Raises Conflict naming the judge and the clash (the caller's transaction rolls back)."""
    if panel.session_id is None or panel.starts_at is None:
        return
    members = list(members)
    release_seats(members, actor=actor)   # a member row seated again (one row per judge and panel)
    requests = requests_for(panel, members, panel.starts_at, panel.ends_at)
    if requests:
        bookings.book_all(requests, actor=actor)


def release_seats(members: Iterable[PanelMember], *, actor) -> int:
    """Release the person bookings of these members; returns how many there were."""
    return sum(bookings.release_owner(OWNER, member.id, actor=actor) for member in members if member.id is not None)
