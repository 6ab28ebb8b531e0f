"""What competitions adds to the shared pages and tells the packages below it
(app/core/registry.py): its permissions, its menu, and the judges' facts about events."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.competitions import audit_types
from app.competitions.routes.public import open_competitions
from app.competitions.services import judging
from app.core.permissions import Role
from app.core.registry import Registry
from app.core.time import utcnow
from app.judges.services.facts import EVENT_FACTS


def register(registry: Registry) -> None:
    audit_types.register()  # how its objects and actions read in the audit log (app/core/audit_log.py)
    audit_types.register_sessions()
    registry.permissions({
        "competitions.manage": (Role.STAFF,),
        "registrations.check_in": (Role.STAFF,),
        "registrations.endorse": (Role.LIAISON,),
        "registrations.register_unit": (Role.LIAISON,),
    })
    registry.menu_group("competitions", _l("Competitions"), order=10)
    registry.menu_entry("competitions.index", _l("Competitions"), group="competitions", order=10, public=True)
    registry.menu_entry("competitions.my_registrations", _l("My registrations"), group="competitions", order=20)
    registry.menu_entry("competitions.my_timetable", _l("My timetable"), group="competitions", order=25)
    registry.menu_entry("competitions.manage_competitions", _l("Competition setup"), group="competitions",
                        order=30, permission="competitions.manage")
    registry.menu_entry("competitions.staff_entries", _l("Entries"), group="competitions", order=40,
                        permission="competitions.manage")
    registry.menu_entry("competitions.check_in", _l("Check-in"), group="competitions", order=50,
                        permission="registrations.check_in")
    registry.menu_entry("competitions.door_sessions", _l("Check-in by session"), group="competitions", order=55,
                        permission="registrations.check_in")
    registry.menu_entry("competitions.unit_home", _l("Unit portal"), group="competitions", order=60,
                        permission="registrations.register_unit")
    # The home page lists the competitions open for registration now.
    registry.section("core.home", "competitions/public/_home_open.html", order=10,
                     context=lambda _subject: {"competitions": open_competitions(utcnow())})
    # A room's page in scheduling links to the room's timetable of sessions (scheduling cannot name it).
    registry.section("scheduling.room", "competitions/timetables/_room_link.html", order=10)
    # The judges' panels learn an event's committee, stages and contestants from here.
    registry.provide(EVENT_FACTS, judging.facts_of_events)
    # To the entrant, at every change of their entry (services/registration.py). context:
    # event (name), status (its label), message (the sentence for the change, a lazy string)
    registry.notification_kind(
        "registration.status", label=_l("Changes to my entries"),
        title=_l("%(event)s: your entry is %(status)s"), body="%(message)s")
