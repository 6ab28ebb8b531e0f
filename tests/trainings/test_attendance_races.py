"""Check-in under real concurrency: the same trainee scanning twenty times at once (a phone
that re-sends, two tabs, a trembling thumb) gets one attendance; the others are told they
are already in. Twenty PostgreSQL connections, released together by a barrier."""
from __future__ import annotations

import threading

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.errors import DomainError
from app.core.transaction import unit_of_work
from app.extensions import db
from app.trainings.models import Attendance, CourseSession
from app.trainings.services import checkin
from tests.trainings.attendance_support import class_running_now, enrolled_user, session_now

pytestmark = pytest.mark.postgres_only
RACERS = 20


def test_twenty_scans_at_once_make_one_attendance(app):
    training_class = class_running_now()
    session = session_now(training_class)
    trainee = enrolled_user(training_class)
    session_id, user_id = session.id, trainee.id
    with app.test_request_context():
        token = checkin.screen_token(session)
    db.session.remove()
    db.engine.dispose()
    barrier = threading.Barrier(RACERS)
    outcomes: list = [None] * RACERS

    def run(index):
        with app.app_context(), current_app.test_request_context():
            barrier.wait()
            try:
                with unit_of_work():
                    result = checkin.check_in(db.session.get(CourseSession, session_id), token,
                                              db.session.get(User, user_id))
                    outcomes[index] = result.is_new
            except DomainError as error:
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    db.engine.dispose()
    assert sorted(outcomes, key=str) == [False] * (RACERS - 1) + [True]
    assert db.session.scalar(select(func.count(Attendance.id)).where(Attendance.session_id == session_id)) == 1
