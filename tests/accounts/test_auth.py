"""Sign-up, sign-in, rate limits, passwords, reset links and invitations: services and pages.

Passwords here are hashed with argon2's smallest cost (tests.accounts.sessions): what is
tested is who gets in, not how slow the hash is.
"""
from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.accounts.models import Person, User
from app.accounts.services import auth
from app.core.audit import AuditEntry
from app.extensions import db as database
from app.extensions import limiter
from app.notifications import mail
from app.notifications.services import deliver_pending
from tests.accounts.sessions import CHEAP_HASHER, cheap_hash, enter_as, field_errors, flashes
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.factories import PersonFactory, UserFactory, staff
from tests.support import TEST_PASSWORD

NEW_PASSWORD = "a brand new password"
RESET_LINK = re.compile(r"https://jiyi\.example\.org/password/reset/(\S+)")
INVITE_LINK = re.compile(r"https://jiyi\.example\.org/invitation/(\S+)")


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(auth, "hasher", CHEAP_HASHER)


@pytest.fixture
def member(db):
    """An account with an e-mail address whose password verifies cheaply."""
    return UserFactory(email="member@example.org", password_hash=cheap_hash(TEST_PASSWORD))


def counts(db) -> tuple[int, int]:
    return db.session.scalar(select(func.count(Person.id))), db.session.scalar(select(func.count(User.id)))


def reload(user: User) -> User:
    database.session.expire_all()
    return database.session.get(User, user.id)


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def login(client, identifier: str, password: str):
    return client.post("/login", data={"identifier": identifier, "password": password})


def delivered_link(pattern: re.Pattern) -> str:
    """Deliver the outbox; the token of the one link the one mail carries."""
    deliver_pending()
    assert len(mail.sent_messages) == 1
    return pattern.search(mail.sent_messages[0].get_content()).group(1)


def link_token_minutes_old(monkeypatch, user: User, salt: str, minutes: int) -> str:
    """A link token signed `minutes` ago (itsdangerous reads the clock through the signer)."""
    then = int(time.time()) - minutes * 60
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: then)
        return auth.make_link_token(user, salt)


# --- sign-up -------------------------------------------------------------------------------

def sign_up(client, **fields):
    form = {"full_name": "陈选手", "phone": "138 0013 8000", "email": "", "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD}
    form.update(fields)
    return client.post("/signup", data=form)


def test_sign_up_creates_a_person_and_a_login_and_signs_in(client, db):
    response = sign_up(client)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert counts(db) == (1, 1)
    user = db.session.scalar(select(User))
    assert (user.phone, user.person.full_name, user.person.phone) == ("13800138000", "陈选手", "13800138000")
    assert signed_in(client)


def test_signed_up_account_logs_in_with_its_password(client, db):
    sign_up(client)
    assert auth.authenticate("13800138000", NEW_PASSWORD) is not None


@pytest.mark.parametrize("fields, field, message", [
    ({"password": "short", "confirm": "short"}, "password", "The password must have at least 8 characters."),
    ({"confirm": "another password"}, "confirm", "The passwords do not match."),
    ({"phone": "12345"}, "phone", "Please enter a valid mobile phone number."),
    ({"phone": "", "email": "chen@"}, "email", "Please enter a valid e-mail address."),
    ({"phone": "", "email": ""}, "phone", "Please give a phone number or an e-mail address."),
    ({"full_name": ""}, "full_name", "This field is required."),
], ids=["short-password", "mismatched-confirmation", "invalid-phone", "invalid-email", "no-phone-nor-email",
        "no-name"])
def test_sign_up_with_a_bad_field_names_it_and_creates_nothing(client, db, fields, field, message):
    response = sign_up(client, **fields)
    assert response.status_code == 422
    assert message in field_errors(response)[field]
    assert counts(db) == (0, 0)
    assert not signed_in(client)


def test_sign_up_with_a_phone_taken_by_another_account_creates_nothing(client, db):
    UserFactory(phone="13800138000")
    before = counts(db)
    response = sign_up(client, phone="+86 138 0013 8000")
    assert response.status_code == 409
    assert "This phone number is already used by another account." in field_errors(response)["phone"]
    assert counts(db) == before


# --- sign-in -------------------------------------------------------------------------------

def test_login_with_the_right_password_signs_in(client, member):
    response = login(client, "member@example.org", TEST_PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_login_records_when_the_account_last_signed_in(client, member):
    login(client, member.login_name, TEST_PASSWORD)
    assert reload(member).last_login_at is not None


def test_wrong_password_and_unknown_account_get_the_same_answer(client, member):
    wrong = login(client, member.login_name, "not the password")
    unknown = login(client, "nobody-here", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert flashes(wrong) == flashes(unknown) == ["The account or the password is not correct."]
    assert not signed_in(client)


def test_deactivated_account_cannot_sign_in(client, db, member):
    member.is_active_account = False
    db.session.commit()
    assert login(client, member.login_name, TEST_PASSWORD).status_code == 401
    assert not signed_in(client)


def test_login_never_redirects_to_another_site(client, member):
    response = client.post("/login?next=//evil.example/phish",
                           data={"identifier": member.login_name, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_goes_on_to_the_page_that_asked_for_it(client, member):
    response = client.post("/login?next=/account/tokens",
                           data={"identifier": member.login_name, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/account/tokens"


# --- rate limits ---------------------------------------------------------------------------

def test_eleventh_login_post_within_a_minute_is_refused_even_with_the_right_password(client, member):
    for _ in range(10):  # at other accounts: this is the address's limit, not the account's
        assert login(client, "nobody-here", "guessing").status_code == 401
    response = login(client, member.login_name, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts; please wait a minute and try again." in response.get_data(as_text=True)
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert not signed_in(client)


def test_login_rate_limit_answers_the_same_for_unknown_and_known_accounts(client, member):
    def eleventh_attempt(identifier):
        limiter.reset()
        for _ in range(10):
            login(client, member.login_name, "guessing")
        return login(client, identifier, "guessing")

    known, unknown = eleventh_attempt(member.login_name), eleventh_attempt("nobody-here")
    assert known.status_code == unknown.status_code == 429
    assert known.get_data() == unknown.get_data()


def test_sixth_reset_request_within_a_minute_is_refused(client, member):
    for _ in range(5):
        assert client.post("/password/forgot", data={"identifier": "nobody-here"}).status_code == 302
    response = client.post("/password/forgot", data={"identifier": member.login_name})
    assert response.status_code == 429
    assert "Too many attempts; please wait a minute and try again." in response.get_data(as_text=True)
    assert deliver_pending() == (0, 0)


# --- asking for a reset link --------------------------------------------------------------

def ask_for_reset(client, identifier: str, **kwargs):
    """POST the forgot-password form; the answer and the messages on the page it leads to."""
    response = client.post("/password/forgot", data={"identifier": identifier}, **kwargs)
    return response.status_code, response.headers.get("Location"), flashes(client.get(response.headers["Location"]))


def test_reset_request_answers_the_same_for_unknown_and_known_accounts(client, member):
    known = ask_for_reset(client, "member@example.org")
    unknown = ask_for_reset(client, "nobody@example.org")
    assert known == unknown
    assert known[0] == 302
    assert "If an account with an e-mail address matches, we have sent it a link. It works for 30 minutes." in known[2]


def test_reset_request_mails_only_a_known_account(client, member):
    ask_for_reset(client, "nobody@example.org")
    ask_for_reset(client, "13900000000")
    assert deliver_pending() == (0, 0)
    ask_for_reset(client, "MEMBER@example.org")
    assert deliver_pending() == (1, 0)
    assert [m["To"] for m in mail.sent_messages] == ["member@example.org"]


def test_reset_link_is_built_from_base_url_even_under_a_forged_host(client, member):
    ask_for_reset(client, member.login_name, headers={"Host": "evil.example"})
    deliver_pending()
    body = mail.sent_messages[0].get_content()
    assert RESET_LINK.search(body)
    assert "evil.example" not in body


def test_reset_request_is_audited(client, db, member):
    ask_for_reset(client, member.login_name)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.password_reset_requested"))
    assert (entry.object_type, entry.object_id) == ("users", member.id)


# --- using a reset link -------------------------------------------------------------------

def reset_with(client, token: str, password: str = NEW_PASSWORD):
    return client.post(f"/password/reset/{token}", data={"password": password, "confirm": password})


@pytest.fixture
def reset_token(client, member):
    ask_for_reset(client, member.login_name)
    return delivered_link(RESET_LINK)


def test_reset_link_sets_a_new_password(client, member, reset_token):
    response = reset_with(client, reset_token)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert auth.authenticate(member.login_name, NEW_PASSWORD) == member


def test_old_password_stops_working_after_a_reset(client, member, reset_token):
    reset_with(client, reset_token)
    assert auth.authenticate(member.login_name, TEST_PASSWORD) is None


def test_reset_signs_out_every_other_session(app, member, reset_token):
    elsewhere = app.test_client()
    enter_as(elsewhere, member)
    assert signed_in(elsewhere)
    reset_with(app.test_client(), reset_token)
    assert not signed_in(elsewhere)


def test_reset_link_works_only_once(client, member, reset_token):
    reset_with(client, reset_token)
    again = reset_with(client, reset_token, "yet another password")
    assert again.status_code == 422
    assert "This link has already been used or is no longer valid." in flashes(again)
    assert auth.authenticate(member.login_name, NEW_PASSWORD) == member


def test_used_reset_link_says_so_when_opened_before_anything_is_typed(client, member, reset_token):
    assert 'name="password"' in client.get(f"/password/reset/{reset_token}").get_data(as_text=True)
    reset_with(client, reset_token)
    response = client.get(f"/password/reset/{reset_token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This link has already been used or is no longer valid." in page
    assert 'name="password"' not in page


def test_expired_invitation_link_says_so_when_opened(client, monkeypatch, db):
    invitee = UserFactory(password_hash=None)
    token = link_token_minutes_old(monkeypatch, invitee, auth.INVITE_SALT, 8 * 24 * 60)
    response = client.get(f"/invitation/{token}")
    assert response.status_code == 422
    assert "This link has expired; please ask for a new one." in response.get_data(as_text=True)


def test_reset_link_still_works_after_29_minutes(client, monkeypatch, member):
    token = link_token_minutes_old(monkeypatch, member, auth.RESET_SALT, 29)
    assert reset_with(client, token).status_code == 302


def test_reset_link_expires_after_30_minutes(client, monkeypatch, member):
    token = link_token_minutes_old(monkeypatch, member, auth.RESET_SALT, 31)
    response = reset_with(client, token)
    assert response.status_code == 422
    assert "This link has expired; please ask for a new one." in flashes(response)
    assert auth.authenticate(member.login_name, TEST_PASSWORD) == member


@pytest.mark.parametrize("forge", [
    lambda token: token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
    lambda token: "garbage",
    lambda token: URLSafeTimedSerializer("someone else's key", salt=auth.RESET_SALT).dumps({"u": 1, "f": "x"}),
], ids=["altered-signature", "garbage", "signed-with-another-key"])
def test_forged_reset_link_is_refused(client, member, reset_token, forge):
    response = reset_with(client, forge(reset_token))
    assert response.status_code == 422
    assert "This link is not valid." in flashes(response)
    assert auth.authenticate(member.login_name, TEST_PASSWORD) == member


def test_invitation_link_does_not_reset_a_password(client, member):
    token = auth.make_link_token(member, auth.INVITE_SALT)
    response = reset_with(client, token)
    assert response.status_code == 422
    assert "This link is not valid." in flashes(response)


def test_reset_page_refuses_a_short_password_and_keeps_the_link_usable(client, member, reset_token):
    response = reset_with(client, reset_token, "short")
    assert response.status_code == 422
    assert "The password must have at least 8 characters." in field_errors(response)["password"]
    assert reset_with(client, reset_token).status_code == 302


# --- changing one's password ---------------------------------------------------------------

def change_password(client, current: str, new: str = NEW_PASSWORD):
    return client.post("/account/password", data={"current_password": current, "password": new, "confirm": new})


def test_changing_the_password_needs_the_current_one(client, member):
    enter_as(client, member)
    response = change_password(client, "not the password")
    assert response.status_code == 422
    assert "The current password is not correct." in field_errors(response)["current_password"]
    assert auth.authenticate(member.login_name, TEST_PASSWORD) == member


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, member):
    elsewhere = app.test_client()
    enter_as(elsewhere, member)
    enter_as(client, member)
    assert change_password(client, TEST_PASSWORD).status_code == 302
    assert signed_in(client)
    assert not signed_in(elsewhere)
    assert auth.authenticate(member.login_name, NEW_PASSWORD) == member


# --- invitations ---------------------------------------------------------------------------

@pytest.fixture
def invited(client, db):
    """A person added by staff, invited through the person page; returns (person, token)."""
    person = PersonFactory(email="new.member@example.org", phone="13700137000")
    enter_as(client, staff())
    response = client.post(f"/persons/{person.id}/invite")
    assert response.status_code == 302
    client.post("/logout")
    return person, delivered_link(INVITE_LINK)


def test_invitation_gives_the_person_a_login_without_a_password(db, invited):
    person, _ = invited
    user = db.session.scalar(select(User).where(User.person_id == person.id))
    assert (user.email, user.phone, user.password_hash) == ("new.member@example.org", "13700137000", None)


def test_invitation_mail_goes_to_the_person_with_a_link_from_base_url(invited):
    assert mail.sent_messages[0]["To"] == "new.member@example.org"
    assert INVITE_LINK.search(mail.sent_messages[0].get_content())


def test_accepting_an_invitation_sets_the_first_password(client, invited):
    _, token = invited
    response = client.post(f"/invitation/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert auth.authenticate("new.member@example.org", NEW_PASSWORD) is not None


def test_invitation_link_works_only_once(client, invited):
    _, token = invited
    client.post(f"/invitation/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.post(f"/invitation/{token}", data={"password": "yet another password",
                                                      "confirm": "yet another password"})
    assert again.status_code == 422
    assert "This link has already been used or is no longer valid." in flashes(again)


def test_person_without_an_email_cannot_be_invited(client, db):
    person = PersonFactory(email=None)
    enter_as(client, staff())
    page = client.post(f"/persons/{person.id}/invite", follow_redirects=True)
    assert "This person has no e-mail address; add one before inviting them." in flashes(page)
    assert db.session.scalar(select(func.count(User.id)).where(User.person_id == person.id)) == 0
    assert deliver_pending() == (0, 0)


def test_person_who_already_signs_in_is_not_invited_again(client, member):
    member.person.email = "member@example.org"
    database.session.commit()
    enter_as(client, staff())
    page = client.post(f"/persons/{member.person_id}/invite", follow_redirects=True)
    assert "This person already has an account." in flashes(page)
    assert deliver_pending() == (0, 0)
