"""Notifications: the in-app inbox (the bell), e-mail through the outbox, and each person's
choice of what also comes by e-mail.

Packages tell a person something with `notify(user_id, kind, key=…, context=…)`: one message
in their inbox, rendered in their language from the kind's templates (declared in the
package's hooks.py with `registry.notification_kind`), and the same words by e-mail unless
they turned that kind off. `notify_address(address, kind, key=…)` sends a kind's words by
e-mail to someone with no account (app.accounts.services.notification_recipients.tell picks
one or the other for a person); `enqueue(...)` stays for other e-mail to a bare address. Both run in the caller's transaction, so a message exists exactly when the change
that caused it does. Delivery (`flask outbox send`, the scheduler) retries with backoff and
gives a message up after MAX_ATTEMPTS; staff see those and may send one again.

Contents:
    hooks.py         its permission, the undelivered e-mail menu entry, the shared notification kinds
    models.py        the outbox, the inbox, preferences
    backoff.py       the retry schedule, pure: when to try again, when to give up
    services/        the rules: the outbox, notify() and the inbox, kinds, preferences
    routes/          HTML pages: the inbox, a message, preferences; staff: undelivered e-mail
    forms/           the preferences form and the button-only form
    api.py           /api/v1/me/notifications
    templates/       templates/notifications/: the pages
    mail.py          mail backends: console, smtp, memory
    cli.py           `flask outbox send`
    audit_types.py   how its objects and actions read in the audit log
"""
from flask import Blueprint

bp = Blueprint("notifications", __name__, template_folder="templates")

from app.notifications.services.inbox import notify  # noqa: E402,F401  the one entry point for telling a person
from app.notifications.services.inbox import notify_address  # noqa: E402,F401  a kind's words to a bare address
from app.notifications.services.outbox import enqueue  # noqa: E402,F401  e-mail to a bare address
from app.notifications.routes import inbox as _inbox_routes, outbox as _outbox_routes  # noqa: E402,F401


def _bell() -> dict:
    """unread_notifications(): the signed-in person's unread count for the bell, asked only
    when base.html calls it (one COUNT; never for someone not signed in)."""
    from flask_login import current_user

    from app.notifications.services.inbox import unread_count

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return unread_count(current_user.id)
    return {"unread_notifications": unread_notifications}


bp.app_context_processor(_bell)
