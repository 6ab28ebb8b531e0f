"""What trainings adds to the shared pages (app/core/registry.py): its permissions, its menu,
its kinds of notification."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.permissions import Role
from app.core.registry import Registry
from app.trainings import audit_types, course_audit
from app.trainings.services.access import ENROL_UNIT, MANAGE, VIEW_PROGRAMME


def register(registry: Registry) -> None:
    audit_types.register()
    course_audit.register()
    registry.permissions({
        MANAGE: (Role.STAFF, Role.ORGANISER),
        VIEW_PROGRAMME: (Role.STAFF, Role.ORGANISER),
        ENROL_UNIT: (Role.LIAISON,),
    })
    registry.menu_group("trainings", _l("Training"), order=20)
    registry.menu_entry("trainings.index", _l("Training classes"), group="trainings", order=10, public=True)
    registry.menu_entry("trainings.my_classes", _l("My classes"), group="trainings", order=20)
    registry.menu_entry("trainings.manage_classes", _l("Class planning"), group="trainings", order=30,
                        permission=MANAGE)
    registry.menu_entry("trainings.programme", _l("Year's programme"), group="trainings", order=40,
                        permission=VIEW_PROGRAMME)
    registry.menu_entry("trainings.instructors_page", _l("Instructor pool"), group="trainings", order=45,
                        permission=MANAGE)
    registry.menu_entry("trainings.my_results", _l("My training results"), group="trainings", order=25)
    registry.menu_entry("trainings.year_figures", _l("Training figures"), group="trainings", order=47,
                        permission=VIEW_PROGRAMME)
    registry.menu_entry("trainings.unit_classes", _l("Enrol the unit's people"), group="trainings", order=50,
                        permission=ENROL_UNIT)
    # To the trainee, at every change of their enrolment (services/enrolment.py). context:
    # title (the class), status (its label), message (the sentence for the change, a lazy string)
    registry.notification_kind(
        "training.enrolment", label=_l("Changes to my training enrolments"),
        title=_l("%(title)s: your enrolment is %(status)s"), body="%(message)s")
    # To a completer, when the class is closed (services/completion.py). context: title, message
    registry.notification_kind(
        "training.completed", label=_l("Training classes I completed"),
        title=_l("%(title)s: completed"), body="%(message)s")
