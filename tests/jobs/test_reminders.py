"""Session reminders: due 24 hours and 1 hour before, never after the start, never twice."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from app.jobs.services import reminders
from app.notifications.models import Notification, OutboxMessage
from tests import factories as f
from tests.jobs.jobs_support import session_at

START = datetime(2030, 5, 10, 1, 0, tzinfo=timezone.utc)   # 09:00 Beijing time


def keys(db) -> list[str]:
    return sorted(db.session.scalars(select(OutboxMessage.dedup_key)))


def test_which_reminder_is_due_follows_the_clock():
    due = lambda before: (k.name if (k := reminders.kind_due(START, START - before)) else None)  # noqa: E731
    assert due(timedelta(hours=25)) is None
    assert due(timedelta(hours=24)) == "24h"
    assert due(timedelta(hours=2)) == "24h"          # late, but still before the 1-hour mark
    assert due(timedelta(hours=1)) == "1h"           # the 24-hour one is no longer sent
    assert due(timedelta(minutes=1)) == "1h"
    assert due(timedelta(0)) is None                  # the session has begun: never after
    assert due(-timedelta(minutes=5)) is None


def test_contestants_and_judges_are_reminded_once_each_kind(app, db):
    session = session_at(START, contestants=2, judges=1, reserve_judges=1)
    people = sorted(seat.person_id for seat in session.seats)

    assert reminders.send_due(START - timedelta(hours=30)) == 0
    assert reminders.send_due(START - timedelta(hours=23)) == 3      # two contestants, one judge; not the reserve
    db.session.commit()
    assert reminders.send_due(START - timedelta(hours=22)) == 0      # a rerun does nothing
    assert reminders.send_due(START - timedelta(minutes=50)) == 3
    db.session.commit()
    assert reminders.send_due(START - timedelta(minutes=10)) == 0
    assert reminders.send_due(START + timedelta(minutes=1)) == 0

    found = keys(db)
    assert len(found) == 6
    assert f"reminder:{people[0]}:{session.id}:24h" in found and f"reminder:{people[1]}:{session.id}:1h" in found
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == session.seats[0].person.email)
                                .order_by(OutboxMessage.id))
    assert session.event.name in message.subject and "09:00" in message.body   # local time, Beijing


def test_a_person_with_an_account_finds_the_reminder_in_the_inbox_and_by_e_mail_once(app, db):
    session = session_at(START, contestants=2, judges=0)
    user = f.UserFactory(person=session.seats[0].person, locale="zh_CN")
    db.session.commit()
    assert reminders.send_due(START - timedelta(hours=23)) == 2
    db.session.commit()
    assert reminders.send_due(START - timedelta(hours=22)) == 0
    key = f"reminder:{user.person_id}:{session.id}:24h"
    [message] = db.session.scalars(select(Notification).where(Notification.user_id == user.id))
    assert (message.kind, message.dedup_key, message.link) == ("session.reminder", key, "/me/timetable")
    assert session.name in message.title and "09:00" in message.title and session.room.name in message.body
    # Their e-mail goes to their login's address under notify's key; the other contestant has
    # no account: e-mail to their own address under the reminder's key.
    assert keys(db) == sorted([f"notify:{user.id}:{key}", f"reminder:{session.seats[1].person_id}:{session.id}:24h"])
    assert db.session.scalar(select(OutboxMessage.recipient).where(OutboxMessage.dedup_key.startswith("notify:"))) \
        == user.email


def test_a_session_already_under_an_hour_away_gets_only_the_one_hour_reminder(app, db):
    session_at(START, contestants=1, judges=0)
    assert reminders.send_due(START - timedelta(minutes=30)) == 1
    assert [key.rsplit(":", 1)[1] for key in keys(db)] == ["1h"]


def test_a_withdrawn_contestant_and_a_person_without_address_are_not_reminded(app, db):
    session = session_at(START, contestants=2, judges=0)
    session.seats[0].registration.is_active = False
    session.seats[1].person.email = None
    db.session.commit()
    assert reminders.send_due(START - timedelta(minutes=30)) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_signing_up_after_a_reminder_was_e_mailed_does_not_send_it_again(app, db):
    session = session_at(START, contestants=1, judges=0)
    assert reminders.send_due(START - timedelta(hours=23)) == 1        # no account yet: e-mail only
    db.session.commit()
    f.UserFactory(person=session.seats[0].person)
    assert reminders.send_due(START - timedelta(hours=22)) == 0         # the key was used: not told again
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert reminders.send_due(START - timedelta(minutes=50)) == 1       # the next reminder reaches the inbox
    db.session.commit()
    assert db.session.scalar(select(func.count(Notification.id))) == 1
