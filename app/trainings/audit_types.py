"""How classes and enrolments read in the audit log (core.audit_log), and which of them sit
in a committee (so that committee's staff see them)."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import Person
from app.core import audit_log
from app.extensions import db
from app.trainings.models import ClassState, Enrolment, EnrolmentStatus, TrainingClass


def _classes(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(TrainingClass.id, TrainingClass.title).where(TrainingClass.id.in_(ids))).all())


def _classes_in(committee_ids: set[int]):
    return select(TrainingClass.id).where(TrainingClass.committee_id.in_(committee_ids))


def _enrolments(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Enrolment.id, Person.full_name, TrainingClass.title)
                              .join(Person, Enrolment.person_id == Person.id)
                              .join(TrainingClass, Enrolment.class_id == TrainingClass.id).where(Enrolment.id.in_(ids)))
    return {id_: f"{person} · {title}" for id_, person, title in rows}


def _enrolments_in(committee_ids: set[int]):
    return (select(Enrolment.id).join(TrainingClass, Enrolment.class_id == TrainingClass.id)
            .where(TrainingClass.committee_id.in_(committee_ids)))


def _enrolment_url(enrolment_id: int) -> str | None:
    class_id = db.session.scalar(select(Enrolment.class_id).where(Enrolment.id == enrolment_id))
    return url_for("trainings.class_roll", class_id=class_id) if class_id else None


def register() -> None:
    """Describe the trainings package's objects and actions to the audit log."""
    audit_log.register_object_type("training_classes", audit_log.ObjectType(
        _l("Training class"), _classes, lambda id_: url_for("trainings.manage_class", class_id=id_), _classes_in))
    audit_log.register_object_type("enrolments", audit_log.ObjectType(
        _l("Enrolment"), _enrolments, _enrolment_url, _enrolments_in))
    audit_log.register_actions({
        "training_class.created": _l("Class planned"), "training_class.updated": _l("Class plan changed"),
        "training_class.state_changed": _l("Class state changed"), "training_class.quota_set": _l("Unit quota set"),
        "training_class.organiser_added": _l("Class organiser added"),
        "training_year.target_set": _l("Year's target of trainees set"),
        "enrolment.created": _l("Enrolled"), "enrolment.withdrawn": _l("Enrolment withdrawn"),
        "enrolment.promoted": _l("Moved up from the waiting list"),
        "enrolment.sheet_enrolled": _l("Enrolled from an Excel list"),
        "assessment.created": _l("Assessment added"), "assessment.updated": _l("Assessment changed"),
        "assessment.removed": _l("Assessment removed"), "assessment.marks_recorded": _l("Assessment marks recorded"),
        "training_class.closed": _l("Class closed"), "training_class.reopened": _l("Class reopened"),
    })
    from app.trainings.services.enrolment import status_label
    from app.trainings.services.programme import state_label

    audit_log.register_values("enrolments", "status", lambda value: status_label(EnrolmentStatus(value)))
    audit_log.register_values("training_classes", "state", lambda value: state_label(ClassState(value)))
    audit_log.register_fields({
        "title": _l("Title"), "category": _l("Category"), "withdraw_reason": _l("Reason for withdrawing"),
        "target_trainees": _l("Target of trainees"), "min_attendance_percent": _l("Attendance needed (%)"),
        "pass_mark": _l("Pass mark"),
    })
