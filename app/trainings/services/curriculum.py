"""The curriculum of a class: its course sessions (title, kind, start and end, class hours,
room or place, instructors).

A session's room and each of its instructors (their person) are booked in scheduling (owner
"course_session", the session's id), so a room or an instructor held twice at once — by
another course session, a contest session, a judge's panel or a booking by hand — is refused
by the one clash rule with its reason. Changing a session re-books it: its bookings are
released and booked again in one `book_all`, in the caller's one transaction. Deleting
releases them; a session someone has attended is not deleted (its hours count).

Rules besides clashes: a session lies within the class's dates (local days in
JIYI_TIMEZONE); its class hours (学时) are between 0 and 99.9 with one decimal; it has a room
or a place (an online link, a site without a room) or both; its instructors are in the pool
and active.

Who: `trainings.manage` in the class's scope (app.trainings.services.access). Lock order:
the session row (on a change), then scheduling's rows (rooms, then persons).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from app.core import audit, locks
from app.core.errors import Conflict, NotFound, Problems
from app.core.permissions import Scope, require
from app.core.time import association_zone
from app.extensions import db
from app.scheduling.models import Room
from app.scheduling.services import bookings
from app.scheduling.services.bookings import BookingRequest
from app.trainings.models import (Attendance, CourseSession, CourseSessionInstructor, Instructor, SessionKind,
                                  TrainingClass)
from app.trainings.services.access import MANAGE, class_scope

log = logging.getLogger(__name__)

OWNER = "course_session"
MAX_TITLE = 200
MAX_PLACE = 200
MAX_HOURS = Decimal("99.9")
MAX_INSTRUCTORS = 20

KIND_LABELS = {SessionKind.LECTURE: _l("Lecture"), SessionKind.PRACTICAL: _l("Practical"),
               SessionKind.EXAM: _l("Exam")}


def kind_label(kind: SessionKind) -> str:
    return str(KIND_LABELS[kind])


@dataclass
class SessionFields:
    """What a form or an API call says about a course session."""

    title: str | None
    kind: SessionKind | None
    starts_at: datetime | None
    ends_at: datetime | None
    hours: Decimal | None
    room_id: int | None = None
    place: str | None = None
    instructor_ids: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, session: CourseSession) -> "SessionFields":
        return cls(title=session.title, kind=session.kind, starts_at=session.starts_at, ends_at=session.ends_at,
                   hours=session.hours, room_id=session.room_id, place=session.place,
                   instructor_ids=[row.id for row in session.instructors])


def scope_of_course_session_id(view_args: dict) -> Scope:
    """The scope of the course session the URL argument `course_session_id` names (404: none)."""
    return class_scope(db.get_or_404(CourseSession, view_args.get("course_session_id")).training_class)


def session_or_404(session_id) -> CourseSession:
    session = db.session.get(CourseSession, session_id) if isinstance(session_id, int) else None
    if session is None:
        raise NotFound(_("No such course session."))
    return session


def sessions_of(training_class: TrainingClass) -> list[CourseSession]:
    """The class's course sessions, soonest first."""
    return list(db.session.scalars(select(CourseSession).where(CourseSession.class_id == training_class.id)
                                   .order_by(CourseSession.starts_at, CourseSession.id)))


def snapshot(session: CourseSession) -> dict:
    return audit.snapshot(session, CourseSession.AUDITED) | {
        "instructor_ids": sorted(row.id for row in session.instructors)}


# --- checking ---------------------------------------------------------------------------------

def _local_day(value: datetime):
    return value.astimezone(association_zone()).date()


def _hours(value, problems: Problems) -> Decimal | None:
    try:
        hours = Decimal(str(value)) if value is not None and value != "" else None
    except (InvalidOperation, ValueError):
        hours = None
    if hours is None or not hours.is_finite():
        problems.add(_("Please give the class hours, e.g. 3 or 1.5."), "hours")
        return None
    if hours < 0 or hours > MAX_HOURS or hours != hours.quantize(Decimal("0.1")):
        problems.add(_("Class hours are between 0 and %(max)s, with at most one decimal.", max=MAX_HOURS), "hours")
        return None
    return hours.quantize(Decimal("0.1"))


def _instructors(ids: list[int], problems: Problems) -> list[Instructor]:
    wanted = list(dict.fromkeys(i for i in ids if isinstance(i, int)))
    if len(wanted) > MAX_INSTRUCTORS:
        problems.add(_("At most %(n)d instructors.", n=MAX_INSTRUCTORS), "instructor_ids")
        return []
    found = {row.id: row for row in db.session.scalars(select(Instructor).where(Instructor.id.in_(wanted)))}
    if any(not isinstance(i, int) or i not in found for i in ids):
        problems.add(_("Please choose instructors from the pool."), "instructor_ids")
    inactive = [row for row in found.values() if not row.is_active]
    for row in inactive:
        problems.add(_("%(name)s no longer teaches (inactive in the pool).", name=row.person.full_name),
                     "instructor_ids")
    return [found[i] for i in wanted if i in found]


@dataclass
class Checked:
    title: str
    kind: SessionKind
    hours: Decimal
    room: Room | None
    place: str | None
    instructors: list[Instructor]


def _clean(training_class: TrainingClass, data: SessionFields) -> Checked:
    """The fields checked; raises InvalidInput naming every problem at once."""
    problems = Problems()
    title = " ".join((data.title or "").split())
    if not title:
        problems.add(_("Please give the session a title."), "title")
    elif len(title) > MAX_TITLE:
        problems.add(_("At most %(n)d characters.", n=MAX_TITLE), "title")
    if not isinstance(data.kind, SessionKind):
        problems.add(_("Please choose the kind of session."), "kind")
    hours = _hours(data.hours, problems)
    room = db.session.get(Room, data.room_id) if isinstance(data.room_id, int) else None
    if data.room_id is not None and room is None:
        problems.add(_("Please choose a room from the list."), "room_id")
    place = " ".join((data.place or "").split()) or None
    if place is not None and len(place) > MAX_PLACE:
        problems.add(_("At most %(n)d characters.", n=MAX_PLACE), "place")
    if data.room_id is None and place is None:
        problems.add(_("Please choose a room, or say where the session takes place (an online link)."), "room_id")
    if bookings.interval_problems(data.starts_at, data.ends_at, problems):
        last_moment = data.ends_at - timedelta(microseconds=1)
        if (_local_day(data.starts_at) < training_class.starts_on
                or _local_day(last_moment) > training_class.ends_on):
            problems.add(_("The session must lie within the class's dates, %(first)s to %(last)s.",
                           first=training_class.starts_on.isoformat(), last=training_class.ends_on.isoformat()),
                         "starts_at")
    instructors = _instructors(list(data.instructor_ids or []), problems)
    problems.raise_any()
    return Checked(title, data.kind, hours, room, place, instructors)


def check_session(training_class: TrainingClass, data: SessionFields) -> None:
    """Raises InvalidInput naming every problem of the fields at once; changes nothing
    (clashes are found when booking)."""
    _clean(training_class, data)


# --- changing -----------------------------------------------------------------------------------

def _book(session: CourseSession, training_class: TrainingClass, checked: Checked, starts_at, ends_at, actor):
    """Book the room and the instructors; link each instructor to their booking."""
    common = {"starts_at": starts_at, "ends_at": ends_at, "owner_kind": OWNER, "owner_id": session.id,
              "label": f"{training_class.title} · {checked.title}"[:128]}
    requests = [BookingRequest(room_id=checked.room.id, **common)] if checked.room is not None else []
    requests += [BookingRequest(person_id=row.person_id, **common) for row in checked.instructors]
    made = bookings.book_all(requests, actor=actor)
    session.room_booking_id = made[0].id if checked.room is not None else None
    by_person = {booking.person_id: booking.id for booking in made if booking.person_id is not None}
    db.session.execute(CourseSessionInstructor.__table__.delete().where(
        CourseSessionInstructor.session_id == session.id))
    for row in checked.instructors:
        db.session.add(CourseSessionInstructor(session_id=session.id, instructor_id=row.id,
                                               booking_id=by_person.get(row.person_id)))
    db.session.flush()
    db.session.expire(session, ["instructors"])


def create_session(training_class: TrainingClass, data: SessionFields, *, actor) -> CourseSession:
    """Add a course session and book its room and instructors. Raises PermissionDenied,
    InvalidInput (every problem at once), Conflict naming a clash."""
    require(actor, MANAGE, class_scope(training_class))
    checked = _clean(training_class, data)
    session = CourseSession(class_id=training_class.id, title=checked.title, kind=checked.kind,
                            starts_at=data.starts_at, ends_at=data.ends_at, hours=checked.hours,
                            room_id=checked.room.id if checked.room else None, place=checked.place,
                            created_by_id=getattr(actor, "id", None))
    db.session.add(session)
    db.session.flush()
    _book(session, training_class, checked, data.starts_at, data.ends_at, actor)
    audit.record("course_session.created", session, actor=actor, after=snapshot(session))
    log.info("course session %s added to class %s", session.id, training_class.id)
    return session


def update_session(session: CourseSession, data: SessionFields, *, actor) -> CourseSession:
    """Change a course session and book it again (released, then booked, all or nothing).
    Raises PermissionDenied, InvalidInput, Conflict naming a clash."""
    training_class = session.training_class
    require(actor, MANAGE, class_scope(training_class))
    checked = _clean(training_class, data)
    session = _lock(session.id)
    before = snapshot(session)
    bookings.release_owner(OWNER, session.id, actor=actor)
    session.title, session.kind, session.hours = checked.title, checked.kind, checked.hours
    session.starts_at, session.ends_at = data.starts_at, data.ends_at
    session.room_id, session.place = (checked.room.id if checked.room else None), checked.place
    _book(session, training_class, checked, data.starts_at, data.ends_at, actor)
    after = snapshot(session)
    if after != before:
        audit.record("course_session.updated", session, actor=actor, before=before, after=after)
    return session


def attended_count(session: CourseSession) -> int:
    return db.session.scalar(select(func.count(Attendance.id)).where(Attendance.session_id == session.id)) or 0


def delete_session(session: CourseSession, *, actor) -> None:
    """Delete a course session nobody attended and release its bookings. Raises
    PermissionDenied, Conflict saying how many attended."""
    require(actor, MANAGE, class_scope(session.training_class))
    session = _lock(session.id)
    count = attended_count(session)
    if count:
        raise Conflict(_("%(n)d trainees attended this session; its hours count, so it cannot be deleted.", n=count))
    before = snapshot(session)
    bookings.release_owner(OWNER, session.id, actor=actor)
    audit.record("course_session.deleted", session, actor=actor, before=before)
    db.session.delete(session)
    db.session.flush()


def _lock(session_id: int) -> CourseSession:
    session = locks.fetch_locked(CourseSession, session_id)
    if session is None:
        raise NotFound(_("No such course session."))
    return session
