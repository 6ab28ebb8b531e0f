"""Personal API tokens: shown once, kept as a hash, revocable, acting with the owner's grants.

A token's "last used" time is written at most once a minute (USE_RESOLUTION), never on
every request: the API's busiest callers would otherwise write a row per call.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import ApiToken, Person, User
from app.core import audit
from app.core.errors import InvalidInput, NotFound
from app.core.time import utcnow
from app.extensions import db

TOKEN_PREFIX = "jiyi_"
USE_RESOLUTION = timedelta(minutes=1)


def _digest(token: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token text, which is never stored."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise InvalidInput(_("Please name the token (at most 64 characters)."), field="name")
    text = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=_digest(text), prefix=text[:12])
    db.session.add(token)
    audit.record("api_token.created", token, actor=user)
    return token, text


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def revoke_token(user: User, token_id: int) -> None:
    """Revoke one of `user`'s own tokens; raises NotFound for anyone else's."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api_token.revoked", token, actor=user)


def revoke_all_tokens(user: User, *, actor=None) -> int:
    """Revoke every live token of `user` (after a password change or reset); returns how many."""
    live = list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))))
    now = utcnow()
    for token in live:
        token.revoked_at = now
        audit.record("api_token.revoked", token, actor=actor or user)
    return len(live)


def token_and_user(text: str) -> tuple[ApiToken, User] | None:
    """The live token named by `text` and its active owner, else None."""
    if not text or not text.startswith(TOKEN_PREFIX) or len(text) > 128:
        return None
    # The token, the user and their person in one query: every API request asks this. Their
    # unit is loaded only by the few requests that read it.
    found = db.session.execute(select(ApiToken, User).join(User, ApiToken.user_id == User.id)
                               .options(joinedload(User.person).lazyload(Person.organisation))
                               .where(ApiToken.token_hash == _digest(text), ApiToken.revoked_at.is_(None))).first()
    if found is None or not found[1].is_active:
        return None
    return found[0], found[1]


def note_use(token: ApiToken) -> bool:
    """Record that `token` is being used, unless that was recorded less than USE_RESOLUTION ago.

    True when a row was written (the caller commits). The condition is in the UPDATE too, so
    workers answering the same token at once write it once.
    """
    now = utcnow()
    if token.last_used_at is not None and token.last_used_at > now - USE_RESOLUTION:
        return False
    result = db.session.execute(
        update(ApiToken).where(ApiToken.id == token.id,
                               or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - USE_RESOLUTION))
        .values(last_used_at=now).execution_options(synchronize_session=False))
    return result.rowcount > 0


def user_for_token(text: str) -> User | None:
    """The active user a live token belongs to, else None."""
    found = token_and_user(text)
    return found[1] if found is not None else None
