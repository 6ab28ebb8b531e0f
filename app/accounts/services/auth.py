"""Logins: sign-up, sign-in, passwords, reset and invitation links.

Reset and invitation links carry a signed token (itsdangerous) that names the user and a
fingerprint of their current password hash and session token. Setting a password changes
both, so a token works once; the signature carries its age, so it expires. Links are built
from BASE_URL, never from the request's Host header, which an attacker can set.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import or_, select

from app.accounts.models import Person, User
from app.accounts.services import sign_in_limits
from app.accounts.services.people import PersonFields, create_person
from app.accounts.services.tokens import revoke_all_tokens
from app.core import audit, identifiers
from app.core.errors import Conflict, InvalidInput, Problems
from app.core.time import utcnow
from app.core.transaction import flush_or_refuse, unit_of_work
from app.extensions import db
from app.notifications import enqueue

log = logging.getLogger(__name__)
hasher = PasswordHasher()
# Verified against when the account does not exist, so both cases cost the same time.
_DUMMY_HASH = hasher.hash("not a real password")

MIN_PASSWORD_LENGTH = 8
RESET_SALT = "password-reset"
INVITE_SALT = "invitation"


def check_password_rules(password: str, field: str = "password") -> None:
    """Raises InvalidInput when the password is too short or too long."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field=field)
    if len(password) > 128:
        raise InvalidInput(_("The password is too long (at most 128 characters)."), field=field)


def _normalised(kind: str, raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    try:
        return identifiers.NORMALISERS[kind](raw)
    except identifiers.IdentifierError as error:
        if error.invisible:
            raise InvalidInput(_("This %(kind)s contains an invisible character (such as a zero-width space or a "
                                 "soft hyphen); please type it again by hand.", kind=_kind_label(kind)),
                               field=kind) from None
        messages = {
            "username": _("A username has 3–32 letters, digits, “_”, “.” or “-”, and starts with a letter."),
            "email": _("Please enter a valid e-mail address."),
            "phone": _("Please enter a valid mobile phone number."),
        }
        raise InvalidInput(messages[kind], field=kind) from None


def _refuse_taken(username: str | None, email: str | None, phone: str | None, *, except_id: int | None = None) -> None:
    """Raises Conflict when an identifier, or one that renders like it (the same confusable
    skeleton: Cyrillic "аdmin" beside "admin"), belongs to another account."""
    for kind, value in (("username", username), ("email", email), ("phone", phone)):
        if value is None:
            continue
        same = getattr(User, kind) == value
        if kind != "phone":
            same = or_(same, getattr(User, f"{kind}_skeleton") == identifiers.skeleton(value))
        holder = db.session.scalar(select(User.id).where(same).limit(1))
        if holder is not None and holder != except_id:
            raise Conflict(_("This %(kind)s is already used by another account.", kind=_kind_label(kind)), field=kind)


def _kind_label(kind: str) -> str:
    return {"username": _("username"), "email": _("e-mail address"), "phone": _("phone number")}[kind]


@dataclass
class LoginFields:
    username: str | None = None
    email: str | None = None
    phone: str | None = None
    password: str | None = None


def create_user(person: Person, login: LoginFields, *, actor) -> User:
    """Give `person` a login. At least one identifier is needed; each must be free (else Conflict)."""
    username = _normalised("username", login.username)
    email = _normalised("email", login.email)
    phone = _normalised("phone", login.phone)
    if not (username or email or phone):
        raise InvalidInput(_("Please give a phone number, an e-mail address or a username."), field="phone")
    if login.password is not None:
        check_password_rules(login.password)
    _refuse_taken(username, email, phone)
    user = User(person=person, username=username, email=email, phone=phone,
                session_token=secrets.token_hex(16),
                password_hash=hasher.hash(login.password) if login.password else None)
    db.session.add(user)
    _flush_user()
    audit.record("user.created", user, actor=actor, after={"person_id": person.id})
    return user


def check_sign_up(full_name: str | None, phone: str | None, email: str | None, password: str | None) -> None:
    """Raises InvalidInput naming every problem of a sign-up at once (Conflict when a taken
    phone or e-mail is the only one); changes nothing."""
    problems = Problems()
    if not (full_name or "").strip():
        problems.add(_("Please enter your real name."), "full_name")
    if not ((phone or "").strip() or (email or "").strip()):
        problems.add(_("Please give a phone number or an e-mail address."), "phone")
    with problems.check():
        check_password_rules(password or "")
    normal = {}
    for kind, raw in (("email", email), ("phone", phone)):
        with problems.check():
            normal[kind] = _normalised(kind, raw)
    for kind, value in normal.items():
        with problems.check():
            _refuse_taken(None, value if kind == "email" else None, value if kind == "phone" else None)
    problems.raise_any()


def _flush_user() -> None:
    # Another request may have taken the identifier a moment after _refuse_taken looked.
    flush_or_refuse(Conflict(_("This account already exists."), field="phone"))


def sign_up(full_name: str, phone: str | None, email: str | None, password: str) -> User:
    """A contestant or trainee creates their own account (and their person record).

    Anyone may: the system makes the records on their behalf, and they sign the audit line."""
    person_fields = PersonFields(full_name=full_name, phone=phone, email=email)
    login = LoginFields(email=email, phone=phone, password=password)
    # Validate the login first, so a taken phone number leaves no orphan person behind.
    check_sign_up(full_name, phone, email, password)
    person = create_person(person_fields, actor=audit.SYSTEM)
    user = create_user(person, login, actor=audit.SYSTEM)
    audit.record("user.signed_up", user, actor=user)
    log.info("user %s signed up", user.id)
    return user


def find_user(identifier: str) -> User | None:
    """The account a login form names, by username, e-mail or phone in normal form."""
    found = identifiers.classify(identifier or "")
    if found is None:
        return None
    kind, value = found
    return db.session.scalar(select(User).where(getattr(User, kind) == value))


def authenticate(identifier: str, password: str) -> User | None:
    """The user when identifier and password match an active account, else None.

    Unknown accounts cost the same hashing time as known ones, so timing does not tell
    which accounts exist. Raises sign_in_limits.MustWait, without checking the password,
    while the account waits after too many wrong passwords.
    """
    user = find_user(identifier)
    if user is not None:
        sign_in_limits.check_not_waiting(user)
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        hasher.verify(stored, password or "")
        verified = user is not None and user.password_hash is not None
    except (VerificationError, InvalidHashError):
        verified = False
    if not verified:
        if user is not None:
            with unit_of_work():  # kept although the refused sign-in's answer rolls its request back
                sign_in_limits.record_failure(user)
        return None
    if not user.is_active:
        return None
    sign_in_limits.forget_failures(user)
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str, *, actor=None, action: str = "user.password_changed") -> None:
    """Store a new password, sign the user out of every other session and revoke their API
    tokens (whoever knew the old password may have made one)."""
    check_password_rules(password)
    user.password_hash = hasher.hash(password)
    user.session_token = secrets.token_hex(16)
    sign_in_limits.forget_failures(user)
    revoke_all_tokens(user, actor=actor or user)
    audit.record(action, user, actor=actor or user)


def check_password_change(user: User, current: str | None, new: str | None) -> None:
    """Raises InvalidInput naming every problem at once: a wrong current password, a new one
    that breaks the rules; changes nothing."""
    problems = Problems()
    try:
        hasher.verify(user.password_hash or _DUMMY_HASH, current or "")
    except (VerificationError, InvalidHashError):
        problems.add(_("The current password is not correct."), "current_password")
    with problems.check():
        check_password_rules(new or "")
    problems.raise_any()


def change_password(user: User, current: str, new: str) -> None:
    """The signed-in user changes their password; raises InvalidInput if `current` is wrong."""
    check_password_change(user, current, new)
    set_password(user, new)


# --- signed links ------------------------------------------------------------------------

def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(user: User) -> str:
    material = f"{user.password_hash or ''}|{user.session_token}"
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def make_link_token(user: User, salt: str) -> str:
    return _serializer(salt).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_link_token(token: str, salt: str, max_age: int) -> User:
    """The user a reset or invitation token names; raises InvalidInput if expired, used or forged."""
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidInput(_("This link has expired; please ask for a new one.")) from None
    except BadSignature:
        raise InvalidInput(_("This link is not valid.")) from None
    user = db.session.get(User, payload.get("u")) if isinstance(payload, dict) else None
    if user is None or payload.get("f") != _fingerprint(user):
        raise InvalidInput(_("This link has already been used or is no longer valid."))
    return user


def link(path: str) -> str:
    """An absolute link built from BASE_URL (never from the request's Host header)."""
    return f"{current_app.config['BASE_URL']}{path}"


def request_password_reset(identifier: str) -> None:
    """E-mail a reset link when the account exists and has an e-mail; silent otherwise.

    The caller answers the same either way, so the page does not reveal who has an account.
    """
    user = find_user(identifier)
    if user is None or not user.is_active or not (user.email or user.person.email):
        log.info("password reset asked for an unknown or unreachable account")
        return
    token = make_link_token(user, RESET_SALT)
    body = render_template("accounts/mail/reset.txt", user=user, url=link(f"/password/reset/{token}"),
                           minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)
    enqueue(user.email or user.person.email, _("Jiyi: reset your password"), body)
    audit.record("user.password_reset_requested", user, actor=user)


def reset_link_user(token: str) -> User:
    """The user a password-reset link names; raises InvalidInput if it is expired, used or forged."""
    return user_for_link_token(token, RESET_SALT, current_app.config["PASSWORD_RESET_MAX_AGE"])


def invitation_link_user(token: str) -> User:
    """The user an invitation link names; raises InvalidInput if it is expired, used or forged."""
    return user_for_link_token(token, INVITE_SALT, current_app.config["INVITATION_MAX_AGE"])


def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset link; the link is spent by it."""
    user = reset_link_user(token)
    set_password(user, password, action="user.password_reset")
    return user


def invite(person: Person, *, actor) -> User:
    """Give a person who was added by staff or their unit a login, and mail them a link to set a password."""
    email = person.email
    if not email:
        raise InvalidInput(_("This person has no e-mail address; add one before inviting them."), field="email")
    user = person.user or create_user(person, LoginFields(email=email, phone=person.phone if not _phone_taken(person.phone) else None),
                                      actor=actor)
    if user.password_hash is not None:
        raise Conflict(_("This person already has an account."))
    token = make_link_token(user, INVITE_SALT)
    body = render_template("accounts/mail/invite.txt", user=user, url=link(f"/invitation/{token}"))
    enqueue(email, _("Jiyi: your account is ready"), body)
    audit.record("user.invited", user, actor=actor)
    return user


def _phone_taken(phone: str | None) -> bool:
    return bool(phone) and db.session.scalar(select(User.id).where(User.phone == phone)) is not None


def accept_invitation(token: str, password: str) -> User:
    """The invitee sets their first password; the link is spent by it."""
    user = invitation_link_user(token)
    set_password(user, password, action="user.invitation_accepted")
    return user
