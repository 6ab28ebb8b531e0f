"""What accounts adds to the shared pages: people and users (app/core/registry.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts import audit_types
from app.accounts.services.notification_recipients import recipient_of
from app.core.permissions import Role
from app.core.registry import EVERYWHERE, Registry
from app.notifications.services.inbox import RECIPIENT


def register(registry: Registry) -> None:
    audit_types.register()  # how its objects and actions read in the audit log (app/core/audit_log.py)
    registry.permissions({
        "persons.view": (Role.STAFF, Role.LIAISON),
        "persons.manage": (Role.STAFF, Role.LIAISON),
        "persons.reveal_id": (Role.ID_VIEWER,),   # full ID numbers (PIPL: an explicit permission)
    })
    registry.menu_entry("accounts.persons", _l("People"), group="people", order=20, permission="persons.view")
    registry.menu_entry("accounts.users", _l("Users and roles"), group="system", order=20,
                        permission="grants.manage", held=EVERYWHERE)
    registry.provide(RECIPIENT, recipient_of)  # notify(): a user's e-mail and language
