"""What scoring adds to the shared pages (app/core/registry.py): its menu entry and audit words.

Building a scheme needs no permission of its own: whoever manages the event's setup
(`competitions.manage` in the event's committee) builds its schemes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core import audit_log
from app.core.registry import Registry


def register(registry: Registry) -> None:
    registry.menu_entry("scoring.events", _l("Marking schemes"), group="competitions", order=45,
                        permission="competitions.manage")
    audit_log.register_actions({
        "scoring.scheme_created": _l("Marking scheme added"), "scoring.scheme_changed": _l("Marking scheme changed"),
        "scoring.scheme_frozen": _l("Marking scheme frozen by the first mark"),
        "scoring.scheme_deleted": _l("Marking scheme deleted"),
    })
