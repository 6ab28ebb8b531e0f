"""What orgs adds to the shared pages: member units and committees (app/core/registry.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.orgs import audit_types
from app.core.permissions import Role, ScopeType
from app.core.registry import EVERYWHERE, Registry


def register(registry: Registry) -> None:
    audit_types.register()  # how its objects and actions read in the audit log (app/core/audit_log.py)
    registry.permissions({
        "orgs.view": (Role.STAFF, Role.LIAISON),
        "orgs.edit": (Role.STAFF, Role.LIAISON),
        "orgs.manage": (Role.STAFF,),
        "orgs.import": (Role.STAFF,),
    })
    registry.menu_group("people", _l("Members and people"), order=30)
    registry.menu_entry("orgs.organisations", _l("Member units"), group="people", order=10,
                        permission="orgs.manage", held=EVERYWHERE)
    # A liaison's own unit: only for a grant in a unit (committee staff have no unit of their own).
    registry.menu_entry("orgs.my_unit", _l("My unit"), group="people", order=11,
                        permission="orgs.edit", held=ScopeType.ORGANISATION)
    registry.menu_entry("orgs.committee_list", _l("Committees"), group="system", order=30,
                        permission="grants.manage", held=EVERYWHERE)
