"""What scheduling adds to the shared pages: venues, rooms and stations (app/core/registry.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.permissions import Role
from app.core.registry import EVERYWHERE, Registry


def register(registry: Registry) -> None:
    # Venues are the association's: the services ask for the permission held everywhere.
    registry.permissions({"scheduling.manage": (Role.STAFF,)})
    registry.menu_group("places", _l("Venues"), order=25)
    registry.menu_entry("scheduling.venue_list", _l("Venues"), group="places", order=10,
                        permission="scheduling.manage", held=EVERYWHERE)
