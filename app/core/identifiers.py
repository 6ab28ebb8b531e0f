"""Login identifiers — username, e-mail, phone — and their one normal form each.

Pure functions, no Flask. An identifier is stored only in its normal form under a unique
index, so accounts that differ only by case, spaces or full-width characters cannot exist:
"Wang.Li", " wang.li " and "ｗａｎｇ．ｌｉ" are one name. The three kinds cannot collide with
each other either: a phone is digits (or + and digits), an e-mail has "@", and a username
must start with a letter and has no "@".
"""
from __future__ import annotations

import re
import unicodedata

USERNAME_RE = re.compile(r"^[a-z][a-z0-9_.-]{2,31}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAINLAND_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
INTERNATIONAL_RE = re.compile(r"^\+[1-9]\d{6,14}$")


class IdentifierError(ValueError):
    """`kind` is "username", "email" or "phone"; the identifier is not valid."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def fold(raw: str) -> str:
    """NFKC, trimmed, case-folded: the base of every normal form."""
    return unicodedata.normalize("NFKC", raw or "").strip().casefold()


def normalise_username(raw: str) -> str:
    value = fold(raw)
    if not USERNAME_RE.match(value):
        raise IdentifierError("username")
    return value


def normalise_email(raw: str) -> str:
    value = fold(raw)
    if len(value) > 254 or not EMAIL_RE.match(value):
        raise IdentifierError("email")
    return value


def normalise_phone(raw: str) -> str:
    """Mainland mobiles as 11 digits (a +86 / 0086 prefix dropped); others as +digits."""
    value = re.sub(r"[\s\-()]", "", fold(raw))
    if value.startswith("0086"):
        value = value[4:]
    elif value.startswith("+86"):
        value = value[3:]
    if MAINLAND_MOBILE_RE.match(value) or INTERNATIONAL_RE.match(value):
        return value
    raise IdentifierError("phone")


NORMALISERS = {"username": normalise_username, "email": normalise_email, "phone": normalise_phone}


def classify(raw: str) -> tuple[str, str] | None:
    """Which kind of identifier a login form received, and its normal form; None if none fits."""
    value = fold(raw)
    kind = "email" if "@" in value else "username" if value[:1].isalpha() else "phone"
    try:
        return kind, NORMALISERS[kind](raw)
    except IdentifierError:
        return None
