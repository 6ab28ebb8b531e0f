"""Who a notification goes to, told to notifications (a provider: it sits below accounts).

A user's e-mail is their login's, else their person record's; their language is the one
they chose (users.locale). An inactive account gets its in-app message but no e-mail.
"""
from __future__ import annotations

from app.accounts.models import User
from app.extensions import db
from app.notifications.services.inbox import Recipient


def recipient_of(user_id: int) -> Recipient | None:
    """The address and language of user `user_id`; None when there is no such user."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    address = (user.email or user.person.email) if user.is_active_account else None
    return Recipient(email=address, locale=user.locale)
