"""Personal API tokens: shown once, kept as a hash, revocable, acting with the owner's grants."""
from __future__ import annotations

import hashlib
import secrets

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import ApiToken, Person, User
from app.core import audit
from app.core.errors import InvalidInput, NotFound
from app.core.time import utcnow
from app.extensions import db

TOKEN_PREFIX = "jiyi_"


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


def user_for_token(text: str) -> User | None:
    """The active user a live token belongs to, else None."""
    if not text or not text.startswith(TOKEN_PREFIX) or len(text) > 128:
        return None
    # The user and their person in one query, for a live token only: every API request asks
    # this. Their unit is loaded only by the few requests that read it.
    user = db.session.scalar(select(User).join(ApiToken, ApiToken.user_id == User.id)
                             .options(joinedload(User.person).lazyload(Person.organisation))
                             .where(ApiToken.token_hash == _digest(text), ApiToken.revoked_at.is_(None)))
    return user if user is not None and user.is_active else None
