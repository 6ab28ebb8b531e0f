"""What trainings adds to the shared pages (app/core/registry.py): its permissions and menu."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.permissions import Role
from app.core.registry import Registry
from app.trainings.services.access import ENROL_UNIT, MANAGE, VIEW_PROGRAMME


def register(registry: Registry) -> None:
    registry.permissions({
        MANAGE: (Role.STAFF, Role.ORGANISER),
        VIEW_PROGRAMME: (Role.STAFF, Role.ORGANISER),
        ENROL_UNIT: (Role.LIAISON,),
    })
    registry.menu_group("trainings", _l("Training"), order=20)
