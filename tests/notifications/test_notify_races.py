"""Two jobs telling the same person the same thing at the same moment: one message, one e-mail."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from app.extensions import db as database
from app.notifications import notify
from app.notifications.models import Notification, OutboxMessage
from tests import factories as f

CONTEXT = {"event": "焊工", "closes_at": datetime(2026, 6, 10, 1, 30, tzinfo=timezone.utc)}


@pytest.mark.postgres_only
def test_two_notifiers_racing_with_one_key_leave_one_message_and_one_email(app, db):
    users = [f.UserFactory().id for _ in range(10)]
    db.session.commit()
    db.session.remove()
    barrier = threading.Barrier(4)
    told: list[bool] = []
    errors: list[BaseException] = []

    def notifier():
        with app.app_context():
            try:
                barrier.wait()
                for user_id in users:
                    told.append(notify(user_id, "registration.closing", key="e1-closing", context=CONTEXT))
                    database.session.commit()
            except BaseException as error:  # noqa: BLE001  reported below, with the thread's own error
                errors.append(error)
            finally:
                database.session.remove()

    threads = [threading.Thread(target=notifier) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert told.count(True) == len(users) and told.count(False) == 3 * len(users)
    assert db.session.scalar(select(func.count(Notification.id))) == len(users)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == len(users)
