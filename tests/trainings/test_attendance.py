"""Rotating-QR attendance through the services: a scan counts once; old, foreign and
other-session codes, the waiting list, strangers and the clock are refused with the reason;
marks by hand need a reason and are audited; hours add up per trainee."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from app.core.audit import AuditEntry
from app.core.documents import tokens
from app.core.errors import Conflict, InvalidInput, PermissionDenied
from app.core.time import utcnow
from app.core.transaction import unit_of_work
from app.extensions import db
from app.trainings.models import AttendanceMethod, CourseSession, EnrolmentStatus, TrainingClass
from app.trainings.services import attendance, checkin
from app.trainings.services.checkin import Refused
from tests import factories as f
from tests.trainings.attendance_support import class_running_now, enrolled_user, session_now


def _scan(session_id: int, token: str, user, **kwargs):
    with unit_of_work():
        return checkin.check_in(db.session.get(CourseSession, session_id), token, user, **kwargs)


def test_a_scan_counts_once_and_every_wrong_code_or_person_is_refused_with_its_reason(app, monkeypatch):
    training_class = class_running_now()
    first, other = session_now(training_class), session_now(training_class, title="实操", hours="4")
    trainee = enrolled_user(training_class)
    with app.test_request_context():
        token = checkin.screen_token(first)
        assert checkin.link_for(first, token).endswith(f"/trainings/sessions/{first.id}/check-in/{token}")
        made = _scan(first.id, token, trainee)
        assert made.is_new and made.attendance.method == AttendanceMethod.QR
        again = _scan(first.id, token, trainee)
        assert not again.is_new and again.attendance.id == made.attendance.id

        def refused(session_id, code_token, user, **kwargs) -> str:
            with pytest.raises(Refused) as caught:
                _scan(session_id, code_token, user, **kwargs)
            return caught.value.code

        assert refused(other.id, token, trainee) == "other_session"
        assert refused(first.id, "not-a-token", trainee) == "bad_token"
        ticket = tokens.sign(tokens.TokenKind("admission-ticket"), {"s": first.id})
        assert refused(first.id, ticket, trainee) == "bad_token"
        assert refused(first.id, token, f.UserFactory()) == "not_enrolled"
        assert refused(first.id, token, enrolled_user(training_class, status=EnrolmentStatus.WAITING)) == "waiting"
        late = db.session.get(CourseSession, other.id).ends_at + timedelta(minutes=16)
        assert refused(other.id, checkin.screen_token(other), trainee, now=late) == "too_late"
        assert not _scan(first.id, checkin.screen_token(first), trainee, now=late).is_new  # already in: said so
        early = db.session.get(CourseSession, other.id).starts_at - timedelta(minutes=16)
        assert refused(other.id, checkin.screen_token(other), trainee, now=early) == "too_early"
        with monkeypatch.context() as clock:   # a photo of the screen taken 46 s ago (30 s + 15 s slack)
            clock.setattr(TimestampSigner, "get_timestamp", lambda signer: int(utcnow().timestamp()) - 46)
            old = checkin.screen_token(other)
        assert refused(other.id, old, trainee) == "expired"
    assert attendance.hours_by_trainee(db.session.get(TrainingClass, training_class.id)) == {
        trainee.person_id: Decimal("3.0")}


def test_marks_by_hand_need_a_reason_are_audited_and_the_hours_add_up(app):
    training_class = class_running_now()
    lecture, practical = session_now(training_class, hours="3"), session_now(training_class, hours="4.5")
    organiser = f.organiser(training_class=training_class)
    trainee, absent = enrolled_user(training_class), enrolled_user(training_class)

    def mark(session, person_id, reason, actor=organiser):
        with unit_of_work():
            return checkin.mark(db.session.get(CourseSession, session.id), person_id, reason, actor=actor)

    with pytest.raises(InvalidInput) as caught:
        mark(lecture, f.UserFactory().person_id, " ")
    assert {field for field, _ in caught.value.problems} == {"person_id", "reason"}
    with pytest.raises(PermissionDenied):
        mark(lecture, trainee.person_id, "手机没电", actor=f.organiser(training_class=class_running_now()))
    mark(lecture, trainee.person_id, "手机没电")
    mark(practical, trainee.person_id, "扫码失败")
    with pytest.raises(Conflict, match="already marked present"):
        mark(lecture, trainee.person_id, "再来一次")
    reasons = db.session.scalars(select(AuditEntry.reason).where(AuditEntry.action == "attendance.marked")).all()
    assert sorted(reasons) == ["手机没电", "扫码失败"]
    hours = attendance.hours_by_trainee(db.session.get(TrainingClass, training_class.id))
    assert hours == {trainee.person_id: Decimal("7.5"), absent.person_id: Decimal("0.0")}
    roll = checkin.session_roll(db.session.get(CourseSession, lecture.id))
    assert ([line.person_id for line in roll.present], [line.person_id for line in roll.missing]) == (
        [trainee.person_id], [absent.person_id])
    with unit_of_work():
        checkin.unmark(db.session.get(CourseSession, lecture.id), trainee.person_id, "误签", actor=organiser)
    assert attendance.hours_by_trainee(db.session.get(TrainingClass, training_class.id))[trainee.person_id] == \
        Decimal("4.5")
