"""How the outbox's actions read in the audit log (core.audit_log)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import audit_log
from app.extensions import db
from app.notifications.models import OutboxMessage


def _messages(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(OutboxMessage.id, OutboxMessage.subject)
                                   .where(OutboxMessage.id.in_(ids))).all())


def register() -> None:
    """Describe the outbox's objects and actions to the audit log."""
    audit_log.register_object_type("outbox_messages", audit_log.ObjectType(_l("E-mail"), _messages))
    audit_log.register_actions({"outbox.retried": _l("Undelivered e-mail sent again")})
