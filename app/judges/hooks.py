"""What the judge pool adds to the shared pages (app/core/registry.py): its permissions, its
menu, what a judge is to a panel (relations for access rules), and the sections the panels
add to the judge's own page and to the pool dashboard."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.judges import audit_types
from app.core.permissions import Role
from app.core.registry import Registry
from app.judges.routes.panel_mine import portal_section
from app.judges.services import relations


def register(registry: Registry) -> None:
    audit_types.register()  # how its objects and actions read in the audit log (app/core/audit_log.py)
    # The pool is the association's: staff everywhere manage it, a committee's staff see it
    # (the pool services require judges.manage held everywhere).
    registry.permissions({"judges.view": (Role.STAFF,), "judges.manage": (Role.STAFF,)})
    registry.relation(relations.IN_POOL, relations.in_pool)
    registry.relation(relations.PANEL_MEMBER, relations.panel_member)
    registry.relation(relations.PANEL_CHIEF, relations.panel_chief)
    registry.relation(relations.OWN_SEAT, relations.own_seat)

    registry.menu_group("judges", _l("Judges"), order=20)
    registry.menu_entry("judges.pool", _l("Judge pool"), group="judges", order=10, permission="judges.view")
    registry.menu_entry("judges.panel_list", _l("Judge panels"), group="judges", order=20,
                        permission="judges.manage")
    registry.menu_entry("judges.me", _l("My judging"), group="judges", order=30, relation=relations.IN_POOL,
                        testid="my-judging")

    registry.section("judges.me", "judges/assignments/_section.html", order=10, context=portal_section)
    registry.section("judges.dashboard", "judges/dashboard/_short_panels.html", order=10)
    _declare_kinds(registry)


def _declare_kinds(registry: Registry) -> None:
    # To the judge (services/draws.py, services/seats.py). context: event (its title), role
    # (the seat's name), panel (name), first, last (the panel's dates)
    registry.notification_kind(
        "panel.invitation", label=_l("Invitations to judge"),
        title=_l("Invitation to judge: %(event)s"),
        body=_l("You are invited to judge %(event)s as %(role)s on the panel %(panel)s, from %(first)s to %(last)s."))
    registry.notification_kind(
        "panel.removed", label=_l("Leaving a panel"),
        title=_l("You are no longer on the panel: %(event)s"),
        body=_l("You are no longer on the panel %(panel)s of %(event)s (%(role)s, %(first)s to %(last)s). "
                "Thank you for your time."))
    # To the member of staff who set a panel up. context: panel, event (names), message (a lazy string)
    registry.notification_kind(
        "panel.staff_notice", label=_l("Notices about my panels (staff)"),
        title=_l("Panel %(panel)s: %(event)s"), body="%(message)s")
