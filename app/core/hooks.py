"""What core adds to the shared pages: the grants and the audit log (app/core/registry.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.permissions import Role
from app.core.registry import EVERYWHERE, Registry


def register(registry: Registry) -> None:
    registry.permissions({
        "grants.manage": (),             # the admin's alone: who holds which role
        "audit.view": (Role.STAFF,),
    })
    registry.menu_group("system", _l("System"), order=90)
    registry.menu_entry("core.audit_log", _l("Audit log"), group="system", order=10,
                        permission="audit.view", held=EVERYWHERE)
