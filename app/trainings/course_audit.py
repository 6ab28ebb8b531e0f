"""How the curriculum, the instructor pool, materials and attendance read in the audit log
(core.audit_log), and which of them sit in a committee (so that committee's staff see them)."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import Person
from app.core import audit_log
from app.extensions import db
from app.trainings.models import Attendance, CourseSession, Instructor, Material, TrainingClass


def _sessions(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(CourseSession.id, CourseSession.title, TrainingClass.title)
                              .join(TrainingClass, TrainingClass.id == CourseSession.class_id)
                              .where(CourseSession.id.in_(ids)))
    return {id_: f"{title} · {class_title}" for id_, title, class_title in rows}


def _sessions_in(committee_ids: set[int]):
    return (select(CourseSession.id).join(TrainingClass, TrainingClass.id == CourseSession.class_id)
            .where(TrainingClass.committee_id.in_(committee_ids)))


def _instructors(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Instructor.id, Person.full_name)
                                   .join(Person, Person.id == Instructor.person_id).where(Instructor.id.in_(ids))).all())


def _materials(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Material.id, Material.title).where(Material.id.in_(ids))).all())


def _materials_in(committee_ids: set[int]):
    return (select(Material.id).join(TrainingClass, TrainingClass.id == Material.class_id)
            .where(TrainingClass.committee_id.in_(committee_ids)))


def _attendances(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Attendance.id, Person.full_name, CourseSession.title)
                              .join(Person, Person.id == Attendance.person_id)
                              .join(CourseSession, CourseSession.id == Attendance.session_id)
                              .where(Attendance.id.in_(ids)))
    return {id_: f"{name} · {title}" for id_, name, title in rows}


def _attendances_in(committee_ids: set[int]):
    return (select(Attendance.id).join(TrainingClass, TrainingClass.id == Attendance.class_id)
            .where(TrainingClass.committee_id.in_(committee_ids)))


def _session_url(session_id: int) -> str | None:
    return url_for("trainings.session_roll", course_session_id=session_id)


def _attendance_url(attendance_id: int) -> str | None:
    session_id = db.session.scalar(select(Attendance.session_id).where(Attendance.id == attendance_id))
    return _session_url(session_id) if session_id else None


def register() -> None:
    audit_log.register_object_type("course_sessions", audit_log.ObjectType(
        _l("Course session"), _sessions, _session_url, _sessions_in))
    audit_log.register_object_type("instructors", audit_log.ObjectType(
        _l("Instructor"), _instructors, lambda id_: url_for("trainings.instructor", instructor_id=id_)))
    audit_log.register_object_type("training_materials", audit_log.ObjectType(
        _l("Course material"), _materials, None, _materials_in))
    audit_log.register_object_type("attendances", audit_log.ObjectType(
        _l("Attendance"), _attendances, _attendance_url, _attendances_in))
    audit_log.register_actions({
        "course_session.created": _l("Course session added"), "course_session.updated": _l("Course session changed"),
        "course_session.deleted": _l("Course session deleted"),
        "instructor.added": _l("Instructor added to the pool"), "instructor.updated": _l("Instructor changed"),
        "material.added": _l("Course material uploaded"), "material.deleted": _l("Course material deleted"),
        "attendance.marked": _l("Attendance marked by hand"), "attendance.removed": _l("Attendance taken back"),
    })
    audit_log.register_fields({
        "hours": _l("Class hours"), "place": _l("Place"), "instructor_ids": _l("Instructors"),
        "expertise": _l("Teaches"), "is_active": _l("Active"), "method": _l("How"), "reason": _l("Reason"),
    })
