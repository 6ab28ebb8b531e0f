"""notify(): one inbox message per person and key, in the reader's language, times in the
event's time zone, and an e-mail unless the person turned that kind off."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from app.notifications import mail, notify
from app.notifications.models import Notification, OutboxMessage
from app.notifications.services import inbox, preferences
from app.notifications.services.kinds import kind_named
from tests import factories as f

STARTS = datetime(2026, 6, 10, 1, 30, tzinfo=timezone.utc)  # 09:30 in Shanghai
REMINDER = {"event": "电工", "session": "第一场", "starts_at": STARTS, "place": "A101"}


def inbox_of(db, user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def outbox(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_notify_stores_the_message_and_enqueues_its_email(db):
    user = f.UserFactory(locale="zh_CN")
    assert notify(user.id, "session.reminder", key="s1-24h", context=REMINDER, link="/sessions/1") is True
    db.session.commit()
    [message] = inbox_of(db, user)
    assert (message.kind, message.link, message.read_at) == ("session.reminder", "/sessions/1", None)
    assert message.title == "提醒：电工，第一场 于 2026年6月10日 09:30 开始"
    [email] = outbox(db)
    assert (email.recipient, email.subject) == (user.email, message.title)
    assert email.body.startswith(message.body)
    assert "/sessions/1" in email.body and "/notifications/preferences" in email.body


def test_a_second_notify_with_the_same_key_does_nothing(db):
    user = f.UserFactory()
    assert notify(user.id, "session.reminder", key="s1-24h", context=REMINDER)
    db.session.commit()
    assert notify(user.id, "session.reminder", key="s1-24h", context={**REMINDER, "session": "第二场"}) is False
    db.session.commit()
    assert [m.title for m in inbox_of(db, user)] == [inbox_of(db, user)[0].title]
    assert len(inbox_of(db, user)) == 1 and len(outbox(db)) == 1


def test_the_same_key_for_two_people_reaches_both(db):
    first, second = f.UserFactory(), f.UserFactory()
    assert notify(first.id, "session.reminder", key="s1-24h", context=REMINDER)
    assert notify(second.id, "session.reminder", key="s1-24h", context=REMINDER)
    db.session.commit()
    assert len(inbox_of(db, first)) == len(inbox_of(db, second)) == 1
    assert sorted(m.recipient for m in outbox(db)) == sorted([first.email, second.email])


def test_a_notify_rolled_back_with_its_caller_leaves_nothing(db):
    user = f.UserFactory()
    notify(user.id, "session.reminder", key="s1-24h", context=REMINDER)
    db.session.rollback()
    assert inbox_of(db, user) == [] and outbox(db) == []


def test_the_message_is_in_the_readers_language(db):
    english, chinese = f.UserFactory(locale="en"), f.UserFactory(locale="zh_CN")
    for user in (english, chinese):
        notify(user.id, "registration.closing", key="e1-closing",
               context={"event": "Welding", "closes_at": STARTS})
    db.session.commit()
    assert inbox_of(db, english)[0].body == "Registration for Welding closes at Jun 10, 2026, 09:30."
    assert inbox_of(db, chinese)[0].body == "Welding 的报名将于 2026年6月10日 09:30 截止。"


def test_a_reader_with_no_language_chosen_reads_the_associations(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "zh_CN")  # the association's (tests read English)
    user = f.UserFactory(locale=None)
    notify(user.id, "registration.closing", key="k", context={"event": "焊工", "closes_at": STARTS})
    db.session.commit()
    assert inbox_of(db, user)[0].title == "报名即将截止：焊工"


def test_times_are_shown_in_the_zone_the_caller_names(db):
    user = f.UserFactory(locale="en")
    notify(user.id, "registration.closing", key="k", context={"event": "Welding", "closes_at": STARTS},
           zone="Asia/Urumqi")
    db.session.commit()
    assert inbox_of(db, user)[0].body == "Registration for Welding closes at Jun 10, 2026, 07:30."


def test_dates_are_shown_as_dates(db):
    user = f.UserFactory(locale="en")
    notify(user.id, "qualification.expiring", key="q1-90",
           context={"qualification": "National judge", "expires_on": date(2027, 3, 1), "days": 90})
    db.session.commit()
    assert inbox_of(db, user)[0].title == "Your qualification expires on Mar 1, 2027"


def test_a_person_who_turned_email_off_gets_only_the_inbox_message(db):
    user = f.UserFactory()
    preferences.choose(user.id, {"session.reminder": False})
    notify(user.id, "session.reminder", key="s1-24h", context=REMINDER)
    db.session.commit()
    assert len(inbox_of(db, user)) == 1
    assert outbox(db) == []


def test_turning_one_kind_off_leaves_the_others_on(db):
    user = f.UserFactory()
    preferences.choose(user.id, {"session.reminder": False})
    notify(user.id, "registration.closing", key="k", context={"event": "焊工", "closes_at": STARTS})
    db.session.commit()
    assert [m.recipient for m in outbox(db)] == [user.email]


def test_a_choice_can_be_turned_back_on(db):
    user = f.UserFactory()
    preferences.choose(user.id, {"session.reminder": False})
    preferences.choose(user.id, {"session.reminder": True})
    db.session.commit()
    assert preferences.wants_email(user.id, kind_named("session.reminder")) is True


def test_an_address_given_by_the_caller_wins(db):
    user = f.UserFactory()
    notify(user.id, "session.reminder", key="k", context=REMINDER, email="work@example.org")
    db.session.commit()
    assert [m.recipient for m in outbox(db)] == ["work@example.org"]


def test_an_inactive_account_gets_no_email(db):
    user = f.UserFactory(is_active_account=False)
    notify(user.id, "session.reminder", key="k", context=REMINDER)
    db.session.commit()
    assert len(inbox_of(db, user)) == 1 and outbox(db) == []


def test_the_email_is_delivered_by_the_outbox(db):
    from app.notifications.services.outbox import deliver_pending

    user = f.UserFactory(locale="en")
    notify(user.id, "registration.closing", key="k", context={"event": "Welding", "closes_at": STARTS})
    db.session.commit()
    assert deliver_pending() == (1, 0)
    [sent] = mail.sent_messages
    assert sent["Subject"] == "Registration closes soon: Welding"


@pytest.mark.parametrize("bad", [
    dict(kind="no.such.kind"),
    dict(key=""),
    dict(key="x" * 101),
    dict(link="https://elsewhere.example/"),
    dict(link="//elsewhere.example/"),
    dict(context={"event": "焊工"}),                                                  # closes_at missing
    dict(context={"event": "焊工", "closes_at": datetime(2026, 6, 10, 9, 30)}),        # naive
])
def test_a_mistaken_call_is_refused_and_stores_nothing(db, bad):
    user = f.UserFactory()
    call = {"kind": "registration.closing", "key": "k", "context": {"event": "焊工", "closes_at": STARTS}, **bad}
    with pytest.raises((LookupError, ValueError)):
        notify(user.id, call.pop("kind"), **call)
    db.session.commit()
    assert inbox_of(db, user) == [] and outbox(db) == []


def test_unread_count_and_marking_read(db):
    user = f.UserFactory()
    for n in range(3):
        notify(user.id, "session.reminder", key=f"k{n}", context=REMINDER)
    db.session.commit()
    assert inbox.unread_count(user.id) == 3
    first = inbox_of(db, user)[0]
    inbox.mark_read(user.id, first.id)
    assert inbox.unread_count(user.id) == 2
    assert inbox.mark_all_read(user.id) == 2
    assert inbox.unread_count(user.id) == 0


def test_nobody_marks_another_persons_message(db):
    from app.core.errors import NotFound

    owner, other = f.UserFactory(), f.UserFactory()
    notify(owner.id, "session.reminder", key="k", context=REMINDER)
    db.session.commit()
    [message] = inbox_of(db, owner)
    with pytest.raises(NotFound):
        inbox.mark_read(other.id, message.id)
    assert inbox.unread_count(owner.id) == 1


def test_an_address_without_an_account_gets_the_kinds_words_by_e_mail_once(db, app):
    from app.notifications import notify_address

    app.config["BABEL_DEFAULT_LOCALE"], default = "en", app.config["BABEL_DEFAULT_LOCALE"]
    try:
        assert notify_address("nobody@example.org", "session.reminder", key="reminder:1:2:24h", context=REMINDER,
                              link="/me/timetable") is True
        assert notify_address("nobody@example.org", "session.reminder", key="reminder:1:2:24h",
                              context=REMINDER) is False
    finally:
        app.config["BABEL_DEFAULT_LOCALE"] = default
    db.session.commit()
    [email] = outbox(db)
    assert (email.recipient, email.dedup_key) == ("nobody@example.org", "reminder:1:2:24h")
    assert email.subject.startswith("Reminder: 电工, 第一场") and "/me/timetable" in email.body
    assert "/notifications/preferences" not in email.body          # no account: no choices to make
    assert db.session.scalar(select(Notification.id)) is None


def test_a_whole_number_in_the_context_stays_a_number(db):
    user = f.UserFactory(locale="en")
    notify(user.id, "qualification.expiring_judge", key="q", context={
        "name": "张三", "number": "A-1", "issuer": "协会", "date": "2030-06-30", "days": 30})
    db.session.commit()
    [message] = inbox_of(db, user)
    assert message.title == "Judge certificate of 张三 expires in 30 days"
