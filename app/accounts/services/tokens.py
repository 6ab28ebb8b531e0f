"""Personal API tokens: shown once, kept as a hash, revocable, acting with the owner's grants.

A token's "last used" time is written at most once a minute (USE_RESOLUTION), never on
every request, and never while the request is answered: the API's busiest callers would
otherwise write a row per call (`note_use`).
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import after_this_request, current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import ApiToken, Person, User
from app.core import audit
from app.core.errors import InvalidInput, NotFound
from app.core.permissions import Grant, remember_grants
from app.core.time import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class TokenUse:
    """A live token as a request found it: which one, and when its use was last written."""

    token_id: int
    last_used_at: datetime | None


# Every API request asks this: the token, its user, their person and their grants, in one
# statement built once. (A person's unit is loaded only by the few requests that read it.)
_LOOKUP = (select(User, ApiToken.id, ApiToken.last_used_at, Grant)
           .join(ApiToken, ApiToken.user_id == User.id)
           .outerjoin(Grant, Grant.user_id == User.id)
           .options(joinedload(User.person).lazyload(Person.organisation))
           .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked_at.is_(None)))


def token_and_user(text: str) -> tuple[TokenUse, User] | None:
    """The live token named by `text` and its active owner, else None; the owner's grants
    are remembered for the request (app.core.permissions.remember_grants)."""
    if not text or not text.startswith(TOKEN_PREFIX) or len(text) > 128:
        return None
    rows = db.session.execute(_LOOKUP, {"digest": _digest(text)}).all()
    if not rows or not rows[0][0].is_active:
        return None
    user, token_id, last_used_at, _grant = rows[0]
    set_committed_value(user.person, "user", user)  # the other way round too, without asking again
    remember_grants(user, [row[3] for row in rows if row[3] is not None])
    return TokenUse(token_id, last_used_at), user


# --- "last used": noted in memory, written after the answer, at most once a minute ---------

_noted: dict[int, datetime] = {}      # token id → when this worker last noted its use
_pending: dict[int, datetime] = {}    # token id → a use not yet written
_last_write = [0.0]                   # time.monotonic() of this worker's last write


def note_use(use: TokenUse) -> bool:
    """Note that a token is used, unless it was noted less than USE_RESOLUTION ago (by this
    worker, or as the database says). Returns whether it was noted.

    Nothing is written during the request: the use waits in this worker's memory and is
    written after the answer has been sent (`write_uses`), with every other use noted since,
    at most every API_TOKEN_USE_WRITE_EVERY_S seconds. The UPDATE re-checks the minute, so
    workers noting the same token write it once. Uses not yet written when a worker stops
    are lost: "last used" is a hint, to the minute, not a log.
    """
    now = utcnow()
    if use.last_used_at is not None and use.last_used_at > now - USE_RESOLUTION:
        return False
    noted = _noted.get(use.token_id)
    if noted is not None and noted > now - USE_RESOLUTION:
        return False
    _noted[use.token_id] = _pending[use.token_id] = now
    every = current_app.config["API_TOKEN_USE_WRITE_EVERY_S"]
    if time.monotonic() - _last_write[0] >= every:
        engine = db.engine
        after_this_request(lambda response: _write_after(response, engine))
    return True


def forget_uses() -> None:
    """Forget what this worker noted and has not written (tests start from nothing)."""
    _noted.clear()
    _pending.clear()
    _last_write[0] = 0.0


def _write_after(response, engine):
    response.call_on_close(lambda: write_uses(engine))
    return response


_WRITE = (update(ApiToken.__table__)
          .where(ApiToken.__table__.c.id == bindparam("token_id"),
                 or_(ApiToken.__table__.c.last_used_at.is_(None),
                     ApiToken.__table__.c.last_used_at <= bindparam("cutoff")))
          .values(last_used_at=bindparam("used_at")))


def write_uses(engine) -> int:
    """Write every use noted and not yet written, in one short transaction of its own; returns
    how many were pending. Never raises: a failure is logged and those uses are dropped."""
    _last_write[0] = time.monotonic()
    if not _pending:
        return 0
    batch = [{"token_id": token_id, "used_at": at, "cutoff": at - USE_RESOLUTION} for token_id, at in _pending.items()]
    _pending.clear()
    cutoff = utcnow() - USE_RESOLUTION
    for token_id in [token_id for token_id, at in _noted.items() if at <= cutoff]:
        del _noted[token_id]
    try:
        with engine.begin() as connection:
            connection.execute(_WRITE, batch)
    except Exception:
        log.exception("could not write the last use of %d API tokens", len(batch))
    return len(batch)


def user_for_token(text: str) -> User | None:
    """The active user a live token belongs to, else None."""
    found = token_and_user(text)
    return found[1] if found is not None else None
