"""What notifications adds to the shared parts: its permission and the dead-letter page
(app/core/registry.py). The kinds of notification are declared by the packages that send
them, each in its own hooks.py: app/jobs (reminders, notices, alerts), app/competitions
(entries), app/judges (panels). One stays here: "registration.closing" (closes soon), which
no job sends yet (issue 12's window job tells staff when registration opens and has closed).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.permissions import Role
from app.core.registry import EVERYWHERE, Registry
from app.notifications import audit_types


def register(registry: Registry) -> None:
    audit_types.register()
    registry.permissions({"notifications.outbox": (Role.STAFF,)})
    registry.menu_entry("notifications.dead_letters", _l("Undelivered e-mail"), group="system", order=60,
                        permission="notifications.outbox", held=EVERYWHERE)
    # context: event (name), closes_at (aware datetime)
    registry.notification_kind(
        "registration.closing", label=_l("Registration closing soon"),
        title=_l("Registration closes soon: %(event)s"),
        body=_l("Registration for %(event)s closes at %(closes_at)s."))
