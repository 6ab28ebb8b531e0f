"""Keeping an uploaded file from its preview to its confirmation, on whichever host either lands.

An import is checked, shown, and only then confirmed; between the two the file waits in the
database (`kept_uploads`), so a confirmation that reaches another web host behind the load
balancer still finds it. `keep_upload` returns an unguessable token; the table holds only
its SHA-256, so reading the table does not let anyone claim an upload. `take_upload` claims
it exactly once: one conditional DELETE … RETURNING, so of two confirmations (a double
click, two tabs, two hosts) one gets the bytes and the other is told the upload is gone.
Only the user who kept an upload can take it. Uploads expire after an hour; keeping one
deletes the expired ones, and `delete_expired` is there for a timed job.

Both run in a short transaction of their own, committed at once, whatever the request's
transaction does: an upload kept by a preview outlives it, and a claimed one stays claimed
even when the import it was claimed for is refused (the user uploads the file again).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask import has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ForeignKey, LargeBinary, String, delete, insert
from sqlalchemy.orm import Mapped, mapped_column

from app.core.errors import InvalidInput
from app.core.time import UTCDateTime, utcnow
from app.extensions import db

UPLOAD_MAX_AGE = timedelta(hours=1)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


class KeptUpload(db.Model):
    """One uploaded file waiting for its confirmation, under the SHA-256 of its token."""

    __tablename__ = "kept_uploads"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _owner_id() -> int | None:
    """The signed-in user of this request; None outside one (the CLI, a job)."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def keep_upload(data: bytes) -> str:
    """Keep `data` for a later `take_upload` by the same user; returns its unguessable token.

    Expired uploads are deleted in the same transaction.
    """
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with db.engine.begin() as connection:
        connection.execute(delete(KeptUpload).where(KeptUpload.expires_at <= now))
        connection.execute(insert(KeptUpload).values(token_hash=_hash(token), owner_id=_owner_id(), data=data,
                                                     created_at=now, expires_at=now + UPLOAD_MAX_AGE))
    return token


def take_upload(token: str) -> bytes:
    """The bytes kept under `token`, which is used up. Raises InvalidInput when the token is
    unknown, already taken, expired, or was kept by another user."""
    gone = InvalidInput(_("This upload is no longer available (it was already imported, or it is more "
                          "than an hour old). Please upload the file again."), field="file")
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise gone
    with db.engine.begin() as connection:
        # An expired upload is deleted by its claim too, and then refused.
        claimed = connection.execute(
            delete(KeptUpload)
            .where(KeptUpload.token_hash == _hash(token), KeptUpload.owner_id.is_not_distinct_from(_owner_id()))
            .returning(KeptUpload.data, KeptUpload.expires_at)).first()
    if claimed is None or claimed.expires_at <= utcnow():
        raise gone
    return claimed.data


def delete_expired() -> int:
    """Delete every upload past its expiry, in a transaction of its own; returns how many."""
    with db.engine.begin() as connection:
        return connection.execute(delete(KeptUpload).where(KeptUpload.expires_at <= utcnow())).rowcount
