"""Course sessions book their room and instructors through scheduling (a clash with a contest
session or another class is refused, named); the instructor pool and its teaching history;
materials: kinds and size limits, served only to trainees holding a place and organisers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.transaction import unit_of_work
from app.extensions import db
from app.scheduling.models import Booking, Room, Venue
from app.scheduling.services import bookings
from app.trainings.models import CourseSession, SessionKind, TrainingClass
from app.trainings.services import curriculum, instructors, materials
from tests import factories as f
from tests.trainings.attendance_support import class_running_now, enrolled_user


def _local_noon(day) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=timezone.utc)   # 12:00 in Beijing


def test_sessions_book_room_and_instructors_and_a_clash_is_refused_by_name(app):
    training_class = class_running_now()
    organiser = f.staff()
    with unit_of_work():
        venue = Venue(name="培训中心")
        db.session.add(venue)
        db.session.flush()
        room = Room(venue_id=venue.id, name="201教室")
        db.session.add(room)
    teacher_person = f.PersonFactory(phone="13800001111", full_name="王老师")
    with unit_of_work():
        teacher = instructors.add_instructor(instructors.InstructorFields(person="13800001111", title="高级工程师"),
                                             actor=organiser)
    with pytest.raises(Conflict, match="already in the instructor pool"):
        instructors.add_instructor(instructors.InstructorFields(person="13800001111"), actor=organiser)
    start = _local_noon(training_class.starts_on)
    fields = curriculum.SessionFields(title="继电保护原理", kind=SessionKind.LECTURE, starts_at=start,
                                      ends_at=start + timedelta(hours=3), hours=Decimal("4"), room_id=room.id,
                                      instructor_ids=[teacher.id])
    with unit_of_work():
        made = curriculum.create_session(db.session.get(TrainingClass, training_class.id), fields, actor=organiser)
    held = db.session.scalars(bookings.bookings_between(owner_kind="course_session", owner_id=made.id)).all()
    assert {(b.room_id, b.person_id) for b in held} == {(room.id, None), (None, teacher_person.id)}
    # Another class wants the same room, then the same instructor, at an overlapping time.
    other = class_running_now()
    clash = curriculum.SessionFields(title="实操", kind=SessionKind.PRACTICAL, starts_at=start + timedelta(hours=1),
                                     ends_at=start + timedelta(hours=2), hours=Decimal("1"), room_id=room.id)
    with pytest.raises(Conflict, match="201教室 is already booked"):
        curriculum.create_session(db.session.get(TrainingClass, other.id), clash, actor=organiser)
    db.session.rollback()
    clash.room_id, clash.place, clash.instructor_ids = None, "线上", [teacher.id]
    with pytest.raises(Conflict, match="王老师 is already booked"):
        curriculum.create_session(db.session.get(TrainingClass, other.id), clash, actor=organiser)
    db.session.rollback()
    # Every problem at once; a session outside the class's dates.
    with pytest.raises(InvalidInput) as caught:
        curriculum.check_session(training_class, curriculum.SessionFields(
            title="", kind=None, starts_at=start + timedelta(days=30), ends_at=start + timedelta(days=30, hours=1),
            hours=Decimal("-1")))
    assert {field for field, _ in caught.value.problems} == {"title", "kind", "hours", "room_id", "starts_at"}
    # Moving it re-books; the history counts what has ended.
    fields.starts_at, fields.ends_at = start + timedelta(hours=4), start + timedelta(hours=6)
    with unit_of_work():
        curriculum.update_session(db.session.get(CourseSession, made.id), fields, actor=organiser)
    assert db.session.query(Booking).filter_by(owner_kind="course_session", owner_id=made.id).count() == 2
    found = instructors.history(db.session.get(type(teacher), teacher.id), start + timedelta(days=1))
    assert (len(found.sessions), found.hours, found.classes) == (1, Decimal("4"), 1)
    with unit_of_work():
        curriculum.delete_session(db.session.get(CourseSession, made.id), actor=organiser)
    assert db.session.query(Booking).filter_by(owner_kind="course_session").count() == 0


PDF = b"%PDF-1.4 a handout"


def test_materials_are_checked_and_served_only_to_trainees_with_a_place_and_organisers(app):
    training_class = class_running_now()
    organiser = f.organiser(training_class=training_class)
    trainee, waiting = enrolled_user(training_class), enrolled_user(training_class, status="waiting")
    with pytest.raises(InvalidInput) as caught:
        materials.add_material(training_class, materials.Upload("讲义", "run.pdf", b"MZ\x90\x00"), actor=organiser)
    assert "not what its name says" in caught.value.message
    for name, data in (("a.exe", b"MZ"), ("big.pdf", b"%PDF-" + b"0" * materials.MAX_BYTES), ("none.pdf", b"")):
        with pytest.raises(InvalidInput):
            materials.check_upload(training_class, materials.Upload(None, name, data))
    with pytest.raises(PermissionDenied):
        materials.add_material(training_class, materials.Upload("讲义", "a.pdf", PDF), actor=trainee)
    with unit_of_work():
        row = materials.add_material(db.session.get(TrainingClass, training_class.id),
                                     materials.Upload("", "C:\\课件\\第一讲.pdf", PDF), actor=organiser)
    assert (row.title, row.filename, row.content_type) == ("第一讲", "第一讲.pdf", "application/pdf")
    assert materials.material_for(row.id, trainee).content == PDF
    assert materials.material_for(row.id, organiser).id == row.id
    for stranger in (waiting, f.UserFactory()):
        with pytest.raises(PermissionDenied):
            materials.material_for(row.id, stranger)
    with pytest.raises(NotFound):
        materials.material_for(row.id + 1, trainee)
