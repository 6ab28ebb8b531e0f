"""Registration window notices and expiring-certificate notices: due, not due, never twice."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from app.jobs.services import qualifications, windows
from app.notifications.models import Notification, OutboxMessage
from tests import factories as f
from tests.judges.factories import JudgeFactory, QualificationFactory

NOW = datetime(2030, 3, 1, 2, 0, tzinfo=timezone.utc)


def recipients_of(db, prefix: str) -> list[str]:
    """Who got an e-mail under a key starting with `prefix` (notify's e-mail keys are
    "notify:<user>:<key>"; e-mail to a person without an account is under the key itself)."""
    return sorted(db.session.scalars(select(OutboxMessage.recipient)
                                     .where(OutboxMessage.dedup_key.contains(prefix))))


def inboxes_of(db, prefix: str) -> list[int]:
    """Whose inbox has a message under a key starting with `prefix`."""
    return sorted(db.session.scalars(select(Notification.user_id).where(Notification.dedup_key.startswith(prefix))))


def test_staff_of_the_competition_hear_when_registration_opens_and_closes(app, db):
    committee, other = f.CommitteeFactory(), f.CommitteeFactory()
    everywhere, ours, theirs = f.staff(), f.staff(committee), f.staff(other)
    event = f.EventFactory(competition__committee_id=committee.id, opens_at=NOW - timedelta(hours=2),
                           closes_at=NOW + timedelta(days=10))
    f.EventFactory(opens_at=NOW - timedelta(days=3), closes_at=NOW + timedelta(days=20))  # opened long ago

    assert windows.send_due(NOW) == 2
    db.session.commit()
    assert windows.send_due(NOW + timedelta(hours=1)) == 0
    assert inboxes_of(db, f"window:open:{event.id}:") == sorted([everywhere.id, ours.id])
    assert recipients_of(db, f"window:open:{event.id}:") == sorted([everywhere.email, ours.email])
    assert theirs.email not in recipients_of(db, "window:") and theirs.id not in inboxes_of(db, "window:")
    told = db.session.scalar(select(Notification).where(Notification.user_id == ours.id))
    assert event.name in told.title and told.link == f"/manage/competitions/{event.competition_id}"

    assert windows.send_due(event.closes_at - timedelta(minutes=1)) == 0
    assert windows.send_due(event.closes_at + timedelta(hours=3)) == 2
    db.session.commit()
    assert windows.send_due(event.closes_at + timedelta(hours=4)) == 0
    assert windows.send_due(event.closes_at + timedelta(days=2)) == 0
    assert inboxes_of(db, f"window:close:{event.id}:") == sorted([everywhere.id, ours.id])


def test_which_certificate_notice_is_due():
    expires = date(2030, 6, 30)
    due = lambda days_left: qualifications.kind_due(expires, expires - timedelta(days=days_left))  # noqa: E731
    assert due(91) is None
    assert due(90) == 90 and due(31) == 90
    assert due(30) == 30 and due(0) == 30
    assert due(-1) is None


def test_judges_and_staff_hear_of_expiring_certificates_once_per_notice(app, db):
    today = date(2030, 3, 1)
    staff = f.staff()
    judge = JudgeFactory(person__email="judge@example.org")
    soon = QualificationFactory(profile=judge, expires_on=today + timedelta(days=80))
    QualificationFactory(profile=judge, expires_on=today + timedelta(days=200))   # not yet
    QualificationFactory(profile=judge, expires_on=today - timedelta(days=1))     # expired: never

    assert qualifications.send_due(today) == 2       # the judge and the staff member, the 90-day notice
    db.session.commit()
    assert qualifications.send_due(today + timedelta(days=1)) == 0
    assert qualifications.send_due(today + timedelta(days=55)) == 2   # 25 days left: the 30-day notice
    db.session.commit()
    # The judge has no account: e-mail to their address; staff: their inbox, and e-mail.
    assert recipients_of(db, f"qualification:{soon.id}:") == sorted(["judge@example.org"] * 2 + [staff.email] * 2)
    assert inboxes_of(db, f"qualification:{soon.id}:") == [staff.id, staff.id]

    soon.expires_on = today + timedelta(days=400)    # renewed, then near its end again: noticed anew
    db.session.commit()
    assert qualifications.send_due(today + timedelta(days=340)) == 2


def test_a_judge_with_an_account_finds_the_certificate_notice_in_their_inbox(app, db):
    today = date(2030, 3, 1)
    user = f.UserFactory(email="judge-login@example.org", locale="zh_CN")
    judge = JudgeFactory(person=user.person)
    soon = QualificationFactory(profile=judge, expires_on=today + timedelta(days=20))

    assert qualifications.send_due(today) == 1       # no staff: only the judge
    db.session.commit()
    [message] = db.session.scalars(select(Notification).where(Notification.user_id == user.id))
    assert message.kind == "qualification.expiring" and soon.number in message.body and "20" in message.body
    assert recipients_of(db, f"qualification:{soon.id}:") == ["judge-login@example.org"]
