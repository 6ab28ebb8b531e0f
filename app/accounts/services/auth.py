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
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Person, User
from app.accounts.services.people import PersonFields, create_person
from app.core import audit, identifiers
from app.core.errors import Conflict, InvalidInput
from app.core.time import utcnow
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
    except identifiers.IdentifierError:
        messages = {
            "username": _("A username has 3–32 letters, digits, “_”, “.” or “-”, and starts with a letter."),
            "email": _("Please enter a valid e-mail address."),
            "phone": _("Please enter a valid mobile phone number."),
        }
        raise InvalidInput(messages[kind], field=kind) from None


def _refuse_taken(username: str | None, email: str | None, phone: str | None, *, except_id: int | None = None) -> None:
    for kind, value in (("username", username), ("email", email), ("phone", phone)):
        if value is None:
            continue
        holder = db.session.scalar(select(User.id).where(getattr(User, kind) == value))
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


def create_user(person: Person, login: LoginFields, *, actor=None, commit: bool = True) -> User:
    """Give `person` a login. At least one identifier is needed; each must be free."""
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
    audit.record("user.created", user, actor=actor, after={"person_id": person.id})
    if commit:
        try:
            db.session.commit()
        except IntegrityError:  # another request took the identifier a moment ago
            db.session.rollback()
            raise Conflict(_("This account already exists."), field="phone") from None
    return user


def sign_up(full_name: str, phone: str | None, email: str | None, password: str) -> User:
    """A contestant or trainee creates their own account (and their person record)."""
    person_fields = PersonFields(full_name=full_name, phone=phone, email=email)
    login = LoginFields(email=email, phone=phone, password=password)
    if not ((phone or "").strip() or (email or "").strip()):
        raise InvalidInput(_("Please give a phone number or an e-mail address."), field="phone")
    # Validate the login first, so a taken phone number leaves no orphan person behind.
    check_password_rules(password)
    _refuse_taken(None, _normalised("email", email), _normalised("phone", phone))
    person = create_person(person_fields, commit=False)
    user = create_user(person, login, commit=False)
    audit.record("user.signed_up", user, actor=user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("This account already exists."), field="phone") from None
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
    which accounts exist.
    """
    user = find_user(identifier)
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        hasher.verify(stored, password or "")
        verified = user is not None and user.password_hash is not None
    except (VerificationError, InvalidHashError):
        verified = False
    if not verified or not user.is_active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def set_password(user: User, password: str, *, actor=None, action: str = "user.password_changed") -> None:
    """Store a new password and sign the user out of every other session."""
    check_password_rules(password)
    user.password_hash = hasher.hash(password)
    user.session_token = secrets.token_hex(16)
    audit.record(action, user, actor=actor or user)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """The signed-in user changes their password; raises InvalidInput if `current` is wrong."""
    try:
        hasher.verify(user.password_hash or _DUMMY_HASH, current or "")
    except (VerificationError, InvalidHashError):
        raise InvalidInput(_("The current password is not correct."), field="current_password") from None
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
    db.session.commit()


def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset link; the link is spent by it."""
    user = user_for_link_token(token, RESET_SALT, current_app.config["PASSWORD_RESET_MAX_AGE"])
    set_password(user, password, action="user.password_reset")
    return user


def invite(person: Person, *, actor) -> User:
    """Give a person who was added by staff or their unit a login, and mail them a link to set a password."""
    email = person.email
    if not email:
        raise InvalidInput(_("This person has no e-mail address; add one before inviting them."), field="email")
    user = person.user or create_user(person, LoginFields(email=email, phone=person.phone if not _phone_taken(person.phone) else None),
                                      actor=actor, commit=False)
    if user.password_hash is not None:
        raise Conflict(_("This person already has an account."))
    token = make_link_token(user, INVITE_SALT)
    body = render_template("accounts/mail/invite.txt", user=user, url=link(f"/invitation/{token}"))
    enqueue(email, _("Jiyi: your account is ready"), body)
    audit.record("user.invited", user, actor=actor)
    db.session.commit()
    return user


def _phone_taken(phone: str | None) -> bool:
    return bool(phone) and db.session.scalar(select(User.id).where(User.phone == phone)) is not None


def accept_invitation(token: str, password: str) -> User:
    """The invitee sets their first password; the link is spent by it."""
    user = user_for_link_token(token, INVITE_SALT, current_app.config["INVITATION_MAX_AGE"])
    set_password(user, password, action="user.invitation_accepted")
    return user
