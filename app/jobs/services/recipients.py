"""Who a job writes to among staff: the users holding the staff role everywhere, or in the
competition's committee. (A person — a contestant, a judge — is told through
app.accounts.services.notification_recipients.tell; their address and language are theirs.)
"""
from __future__ import annotations

from sqlalchemy import or_, select

from app.accounts.models import User
from app.core.permissions import Grant, Role, ScopeType
from app.extensions import db


def staff_of(committee_id: int | None) -> list[User]:
    """The staff who run a competition of `committee_id` (None: the association's own):
    staff everywhere, and that committee's staff; active logins only. Each is told in their
    inbox, and by e-mail when they have an address and want it (app.notifications.notify)."""
    scope = Grant.scope_type.is_(None)
    if committee_id is not None:
        scope = or_(scope, (Grant.scope_type == ScopeType.COMMITTEE) & (Grant.scope_id == committee_id))
    return list(db.session.scalars(
        select(User).join(Grant, Grant.user_id == User.id)
        .where(Grant.role == Role.STAFF, scope, User.is_active_account).distinct().order_by(User.id)))


def key_of(user: User) -> str:
    """How a notification's key names a member of staff: by their person, "p<person id>"."""
    return f"p{user.person_id}"
