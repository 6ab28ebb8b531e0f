"""The shared instructor pool (师资): people who teach, with their title and what they teach,
and each one's teaching history (the course sessions they taught, with the hours).

An instructor is a `Person` (found by phone number or resident ID number, as a booking by
hand finds one), so the same person can be a judge, a trainee and an instructor. Nobody is
deleted from the pool: an instructor who no longer teaches is made inactive, and their
history stays. Who: anyone holding `trainings.manage` somewhere (every organiser draws on
one pool); the list is theirs to read too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.core import audit
from app.core.errors import Conflict, NotFound, PermissionDenied, Problems
from app.core.permissions import has_permission_somewhere
from app.extensions import db
from app.scheduling.services.manual import find_person
from app.trainings.models import CourseSession, CourseSessionInstructor, Instructor, TrainingClass
from app.trainings.services.access import MANAGE

MAX_TITLE = 100
MAX_EXPERTISE = 500
MAX_BIO = 4000


@dataclass
class InstructorFields:
    person: str | None = None          # their phone number or resident ID number (adding only)
    title: str | None = None           # 职称
    expertise: str | None = None
    bio: str | None = None
    is_active: bool = True


def _require(actor) -> None:
    if not has_permission_somewhere(actor, MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))


def pool(*, active_only: bool = False, search: str | None = None) -> list[Instructor]:
    """The pool by name; `search` narrows by name, title or expertise."""
    query = select(Instructor).join(Person, Instructor.person_id == Person.id).order_by(Person.full_name,
                                                                                        Instructor.id)
    if active_only:
        query = query.where(Instructor.is_active)
    term = " ".join((search or "").split())[:100]
    if term:
        like = f"%{term}%"
        query = query.where(Person.full_name.ilike(like) | Instructor.title.ilike(like)
                            | Instructor.expertise.ilike(like))
    return list(db.session.scalars(query.limit(500)))


def instructor_or_404(instructor_id) -> Instructor:
    row = db.session.get(Instructor, instructor_id) if isinstance(instructor_id, int) else None
    if row is None:
        raise NotFound(_("No such instructor."))
    return row


def _text(value: str | None, limit: int, name: str, problems: Problems) -> str | None:
    text = (value or "").strip() or None
    if text is not None and len(text) > limit:
        problems.add(_("At most %(n)d characters.", n=limit), name)
    return text


def _clean(data: InstructorFields, problems: Problems) -> dict:
    return {"title": _text(data.title, MAX_TITLE, "title", problems),
            "expertise": _text(data.expertise, MAX_EXPERTISE, "expertise", problems),
            "bio": _text(data.bio, MAX_BIO, "bio", problems), "is_active": bool(data.is_active)}


def _person(text: str | None, problems: Problems) -> Person | None:
    found = find_person(text)
    if len(found) == 1:
        return found[0]
    problems.add(_("Please type the phone number or resident ID number of one person.") if not found
                 else _("Several people have this phone number; please type their ID number."), "person")
    return None


def check_instructor(data: InstructorFields, instructor: Instructor | None = None) -> None:
    """Raises InvalidInput naming every problem at once; changes nothing."""
    problems = Problems()
    if instructor is None:
        _person(data.person, problems)
    _clean(data, problems)
    problems.raise_any()


def add_instructor(data: InstructorFields, *, actor) -> Instructor:
    """Add a person to the pool. Raises PermissionDenied, InvalidInput, Conflict when they are in it."""
    _require(actor)
    problems = Problems()
    person = _person(data.person, problems)
    values = _clean(data, problems)
    problems.raise_any()
    if db.session.scalar(select(Instructor.id).where(Instructor.person_id == person.id)) is not None:
        raise Conflict(_("%(name)s is already in the instructor pool.", name=person.full_name), field="person")
    row = Instructor(person_id=person.id, **values)
    db.session.add(row)
    db.session.flush()
    audit.record("instructor.added", row, actor=actor, after=audit.snapshot(row, Instructor.AUDITED))
    return row


def update_instructor(row: Instructor, data: InstructorFields, *, actor) -> Instructor:
    _require(actor)
    problems = Problems()
    values = _clean(data, problems)
    problems.raise_any()
    before = audit.snapshot(row, Instructor.AUDITED)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.flush()
    after = audit.snapshot(row, Instructor.AUDITED)
    if after != before:
        audit.record("instructor.updated", row, actor=actor, before=before, after=after)
    return row


@dataclass(frozen=True)
class Taught:
    """One course session an instructor taught (or will teach)."""

    session_id: int
    class_id: int
    class_title: str
    title: str
    starts_at: datetime
    ends_at: datetime
    hours: Decimal


@dataclass(frozen=True)
class History:
    sessions: list[Taught]
    hours: Decimal           # of sessions that have ended
    classes: int


def history(row: Instructor, now: datetime) -> History:
    """What the instructor taught and will teach, latest first; hours and classes of what has ended."""
    found = [Taught(*values) for values in db.session.execute(
        select(CourseSession.id, TrainingClass.id, TrainingClass.title, CourseSession.title,
               CourseSession.starts_at, CourseSession.ends_at, CourseSession.hours)
        .join(CourseSessionInstructor, CourseSessionInstructor.session_id == CourseSession.id)
        .join(TrainingClass, TrainingClass.id == CourseSession.class_id)
        .where(CourseSessionInstructor.instructor_id == row.id)
        .order_by(CourseSession.starts_at.desc(), CourseSession.id.desc()))]
    done = [taught for taught in found if taught.ends_at <= now]
    return History(found, sum((taught.hours for taught in done), Decimal("0")),
                   len({taught.class_id for taught in done}))
