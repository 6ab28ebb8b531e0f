"""Signed tokens for QR codes: a small JSON payload, signed with the app's SECRET_KEY.

Each kind of token has its own purpose, which salts the signature, so a token made for one
purpose (an admission ticket) never verifies as another (a certificate, a check-in screen).
A kind with a max age stamps the time into the token and refuses it once older; a kind
without one carries no timestamp, so it stays valid until what it names is voided (a ticket
of a withdrawn entry) or SECRET_KEY changes, which voids every token of every kind.

A token is signed, not encrypted: anyone can read its payload, so it holds row ids and
numbers that are printed beside it anyway, never a name or an ID number.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer


@dataclass(frozen=True)
class TokenKind:
    """One kind of token: `purpose` salts its signature; `max_age_s` None means no expiry."""

    purpose: str
    max_age_s: int | None = None


class BadToken(ValueError):
    """Not a token of this kind signed with our key: altered, foreign, or of another purpose."""


class ExpiredToken(BadToken):
    """A genuine token of this kind, older than its max age."""


def _serializer(kind: TokenKind, secret: str | None) -> URLSafeSerializer:
    key = secret if secret is not None else current_app.config["SECRET_KEY"]
    if kind.max_age_s is None:
        return URLSafeSerializer(key, salt=kind.purpose)
    return URLSafeTimedSerializer(key, salt=kind.purpose)


def sign(kind: TokenKind, payload: Any, *, secret: str | None = None) -> str:
    """`payload` (anything JSON can hold) as a URL-safe token of `kind`, signed with `secret`
    (default: the app's SECRET_KEY)."""
    return _serializer(kind, secret).dumps(payload)


def read(kind: TokenKind, token: str, *, secret: str | None = None) -> Any:
    """The payload of a token of `kind`, once its signature (and age) holds.

    Raises ExpiredToken for a genuine token past the kind's max age, BadToken for anything
    else that is not such a token (altered, signed with another key or for another purpose,
    not text). Surrounding spaces, as a scanner may add, are ignored.
    """
    if not isinstance(token, str):
        raise BadToken("a token is text")
    serializer = _serializer(kind, secret)
    try:
        if kind.max_age_s is None:
            return serializer.loads(token.strip())
        return serializer.loads(token.strip(), max_age=kind.max_age_s)
    except SignatureExpired:
        raise ExpiredToken(f"the {kind.purpose} token is older than {kind.max_age_s} s") from None
    except BadData:
        raise BadToken(f"not a {kind.purpose} token signed here") from None
