"""Rotating-QR attendance (扫码签到): the code on the room's screen, a trainee's scan, and the
organiser's marks by hand.

The screen shows a QR code of a link to `/trainings/sessions/<id>/check-in/<token>`, where
the token is signed for this purpose (app.core.documents.tokens) and names the session. The
screen asks for a new one every `qr_window_seconds` of the class (30 by default); a token is
accepted for that window and SCAN_SLACK_S more (the time between a scan and the page
opening on a slow phone), never longer — a screenshot passed on after that is refused as
expired. A token names one session: opened under another session's link it is refused.

A signed-in trainee who opens the link is attended when, in this order:
- the token is ours, for this session, and not expired;
- they hold a place in the class (an active, enrolled enrolment: the waiting list is not);
- they have not already checked in (then they are told when they did, and nothing changes);
- the clock is inside the session's check-in time: from `checkin_grace_minutes` before it
  starts to as many after it ends.
Each refusal is a `Refused` with the reason in the reader's language and a `code`.

One attendance per trainee and session, whatever the number of scans at once: the row is
inserted with ON CONFLICT DO NOTHING on (session_id, person_id), so twenty simultaneous scans
give one row and nineteen "already checked in" (tests/trainings/test_attendance_races.py).
No lock is taken. A scan is not written to the audit log (the row says how and when); a mark
by hand, and its removal, are, with the organiser's reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from app.accounts.models import Person
from app.core import audit
from app.core.documents import tokens
from app.core.errors import Conflict, DomainError, InvalidInput, NotFound
from app.core.permissions import require
from app.core.time import association_zone, utcnow
from app.extensions import db
from app.orgs.models import Organisation
from app.trainings.models import (Attendance, AttendanceMethod, CourseSession, Enrolment, EnrolmentStatus,
                                  TrainingClass)
from app.trainings.services.access import MANAGE, class_scope

PURPOSE = "training-attendance"
SCAN_SLACK_S = 15
MAX_REASON = 500


class Refused(DomainError):
    """A check-in that did not count; `code` says why (bad_token, expired, other_session,
    not_enrolled, waiting, too_early, too_late)."""

    status = 409

    def __init__(self, code: str, message: str):
        super().__init__(message, field="token")
        self.code = code


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    is_new: bool
    session: CourseSession


# --- the window -----------------------------------------------------------------------------

def token_life(training_class: TrainingClass) -> int:
    """Seconds a screen's token is accepted: the window it is shown for and the slack."""
    return max(5, training_class.qr_window_seconds) + SCAN_SLACK_S


def opens_at(session: CourseSession) -> datetime:
    return session.starts_at - timedelta(minutes=session.training_class.checkin_grace_minutes)


def closes_at(session: CourseSession) -> datetime:
    return session.ends_at + timedelta(minutes=session.training_class.checkin_grace_minutes)


def is_open(session: CourseSession, now: datetime) -> bool:
    return opens_at(session) <= now < closes_at(session)


def screen_token(session: CourseSession) -> str:
    """A fresh token for the session's screen (it carries the time it was made)."""
    return tokens.sign(tokens.TokenKind(PURPOSE, max_age_s=token_life(session.training_class)), {"s": session.id})


def link_for(session: CourseSession, token: str) -> str:
    """The full link the QR code holds (BASE_URL, so a phone outside the organiser's browser opens it)."""
    path = url_for("trainings.attend", course_session_id=session.id, token=token)
    return current_app.config["BASE_URL"] + path


def _session_of(token: str, session: CourseSession) -> None:
    """Raises Refused unless `token` is a live token of `session`."""
    kind = tokens.TokenKind(PURPOSE, max_age_s=token_life(session.training_class))
    try:
        payload = tokens.read(kind, token)
    except tokens.ExpiredToken:
        raise Refused("expired", _("This code has expired. Please scan the code on the screen again.")) from None
    except tokens.BadToken:
        raise Refused("bad_token", _("This is not a check-in code of this site.")) from None
    if not isinstance(payload, dict) or payload.get("s") != session.id:
        raise Refused("other_session", _("This code is for another session. Please scan the code on the screen "
                                         "of %(title)s.", title=session.title))


# --- a scan ----------------------------------------------------------------------------------

def _enrolment(session: CourseSession, person_id: int | None) -> Enrolment:
    training_class = session.training_class
    row = None if person_id is None else db.session.scalar(select(Enrolment).where(
        Enrolment.class_id == training_class.id, Enrolment.person_id == person_id, Enrolment.is_active))
    if row is None:
        raise Refused("not_enrolled", _("You are not enrolled in %(title)s, so you cannot check in to its sessions.",
                                        title=training_class.title))
    if row.status != EnrolmentStatus.ENROLLED:
        raise Refused("waiting", _("You are on the waiting list of %(title)s and have no place in it yet.",
                                   title=training_class.title))
    return row


def attendance_of(session: CourseSession, person_id: int) -> Attendance | None:
    return db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                      Attendance.person_id == person_id))


def _insert(session: CourseSession, enrolment: Enrolment, method: AttendanceMethod, *, reason=None,
            recorded_by_id=None, now: datetime) -> int | None:
    """Insert the attendance unless the trainee has one for the session; its id, or None."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return db.session.scalar(
        dialect.insert(Attendance)
        .values(class_id=session.class_id, session_id=session.id, enrolment_id=enrolment.id,
                person_id=enrolment.person_id, method=method, reason=reason, recorded_by_id=recorded_by_id,
                attended_at=now)
        .on_conflict_do_nothing(index_elements=["session_id", "person_id"])
        .returning(Attendance.id))


def session_for_check_in(session_id) -> CourseSession:
    """The course session with its class, read in one statement; NotFound when there is none."""
    session = db.session.get(CourseSession, session_id, options=[joinedload(CourseSession.training_class)]) \
        if isinstance(session_id, int) else None
    if session is None:
        raise NotFound(_("No such course session."))
    return session


def _insert_if_enrolled(session: CourseSession, person_id: int, now: datetime) -> tuple[int, int] | None:
    """One statement for a first scan: the attendance, inserted from the trainee's place in the
    class — none when they hold no place or already checked in. (id, enrolment id), or None."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    place = (select(literal(session.class_id), literal(session.id), Enrolment.id, Enrolment.person_id,
                    literal(AttendanceMethod.QR, Attendance.method.type), literal(now, Attendance.attended_at.type))
             .where(Enrolment.class_id == session.class_id, Enrolment.person_id == person_id, Enrolment.is_active,
                    Enrolment.status == EnrolmentStatus.ENROLLED))
    return db.session.execute(
        dialect.insert(Attendance)
        .from_select(["class_id", "session_id", "enrolment_id", "person_id", "method", "attended_at"], place)
        .on_conflict_do_nothing(index_elements=["session_id", "person_id"])
        .returning(Attendance.id, Attendance.enrolment_id)).first()


def check_in(session: CourseSession, token: str, user, *, now: datetime | None = None) -> CheckIn:
    """The signed-in `user` scanned `token` for `session`. Returns the attendance and whether
    this scan made it; raises Refused with the reason (see the module's order). A first scan
    within the session's time costs one statement; the reasons are looked for only after."""
    now = now or utcnow()
    _session_of(token, session)
    person_id = getattr(user, "person_id", None)
    if person_id is not None and is_open(session, now):
        made = _insert_if_enrolled(session, person_id, now)
        if made is not None:
            row = Attendance(id=made[0], class_id=session.class_id, session_id=session.id, enrolment_id=made[1],
                             person_id=person_id, method=AttendanceMethod.QR, attended_at=now)
            return CheckIn(row, True, session)
    enrolment = _enrolment(session, person_id)
    held = attendance_of(session, enrolment.person_id)
    if held is not None:
        return CheckIn(held, False, session)
    if now < opens_at(session):
        raise Refused("too_early", _("Check-in for %(title)s opens at %(time)s.", title=session.title,
                                     time=local_time(opens_at(session))))
    raise Refused("too_late", _("Check-in for %(title)s closed at %(time)s.", title=session.title,
                                time=local_time(closes_at(session))))


def local_time(value: datetime) -> str:
    """A moment as people read it, in the association's time zone."""
    return value.astimezone(association_zone()).strftime("%Y-%m-%d %H:%M")


# --- by hand ----------------------------------------------------------------------------------

def _reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise InvalidInput(_("Please give the reason."), field="reason")
    if len(text) > MAX_REASON:
        raise InvalidInput(_("At most %(n)d characters.", n=MAX_REASON), field="reason")
    return text


def enrolled_in(session: CourseSession, person_id) -> Enrolment:
    """The trainee's place in the session's class; InvalidInput naming the field when there is none."""
    try:
        return _enrolment(session, person_id if isinstance(person_id, int) else None)
    except Refused:
        raise InvalidInput(_("Please choose a trainee who holds a place in the class."), field="person_id") from None


def mark(session: CourseSession, person_id, reason: str | None, *, actor, now: datetime | None = None) -> Attendance:
    """An organiser marks an enrolled trainee present by hand, with a reason (audited). Raises
    PermissionDenied, InvalidInput (every problem), Conflict when they are marked already."""
    require(actor, MANAGE, class_scope(session.training_class))
    problems = []
    enrolment = text = None
    try:
        enrolment = enrolled_in(session, person_id)
    except InvalidInput as error:
        problems += error.problems
    try:
        text = _reason(reason)
    except InvalidInput as error:
        problems += error.problems
    if problems:
        raise InvalidInput(problems[0][1], problems[0][0], problems)
    new_id = _insert(session, enrolment, AttendanceMethod.MANUAL, reason=text, recorded_by_id=getattr(actor, "id", None),
                     now=now or utcnow())
    if new_id is None:
        held = attendance_of(session, enrolment.person_id)
        raise Conflict(_("%(name)s is already marked present (%(time)s).", name=enrolment.person.full_name,
                         time=local_time(held.attended_at)), field="person_id")
    row = db.session.get(Attendance, new_id)
    audit.record("attendance.marked", row, actor=actor, after=audit.snapshot(row, Attendance.AUDITED), reason=text)
    return row


def unmark(session: CourseSession, person_id, reason: str | None, *, actor) -> None:
    """An organiser takes back an attendance (a scan by mistake), with a reason (audited)."""
    require(actor, MANAGE, class_scope(session.training_class))
    text = _reason(reason)
    row = attendance_of(session, person_id) if isinstance(person_id, int) else None
    if row is None:
        raise InvalidInput(_("This trainee is not marked present in this session."), field="person_id")
    audit.record("attendance.removed", row, actor=actor, before=audit.snapshot(row, Attendance.AUDITED),
                 reason=text)
    db.session.delete(row)
    db.session.flush()


# --- who came ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    person_id: int
    name: str
    unit: str | None
    attended_at: datetime | None
    method: AttendanceMethod | None
    reason: str | None


@dataclass(frozen=True)
class SessionRoll:
    present: list[Line]
    missing: list[Line]

    @property
    def total(self) -> int:
        return len(self.present) + len(self.missing)


def session_roll(session: CourseSession) -> SessionRoll:
    """The class's enrolled trainees, present (by time) and missing (by name); also anyone who
    attended and has since withdrawn, among the present."""
    enrolled = {person_id: (name, unit) for person_id, name, unit in db.session.execute(
        select(Person.id, Person.full_name, Enrolment.organisation_id)
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.class_id == session.class_id, Enrolment.is_active,
               Enrolment.status == EnrolmentStatus.ENROLLED))}
    rows = list(db.session.execute(select(Attendance, Person.full_name).join(Person, Attendance.person_id == Person.id)
                                   .where(Attendance.session_id == session.id).order_by(Attendance.attended_at)))
    units = _unit_names({unit for _name, unit in enrolled.values() if unit is not None})
    present = [Line(row.person_id, name, units.get(enrolled.get(row.person_id, (None, None))[1]), row.attended_at,
                    row.method, row.reason) for row, name in rows]
    came = {line.person_id for line in present}
    missing = sorted((Line(person_id, name, units.get(unit), None, None, None)
                      for person_id, (name, unit) in enrolled.items() if person_id not in came),
                     key=lambda line: line.name)
    return SessionRoll(present, missing)


def _unit_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())
