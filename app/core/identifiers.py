"""Login identifiers — username, e-mail, phone — their one normal form each, and their skeleton.

Pure functions, no Flask. An identifier is stored only in its normal form under a unique
index, so accounts that differ only by case, spaces or full-width characters cannot exist:
"Wang.Li", " wang.li " and "ｗａｎｇ．ｌｉ" are one name. The three kinds cannot collide with
each other either: a phone is ASCII digits (or + and digits), an e-mail has "@", and a
username must start with a letter and has no "@".

Two kinds of look-alike are not written out by case and width, and the Unicode rules are
read from well-kept implementations rather than written by hand here:

- Invisible characters (U+200B, U+200D, U+00AD … every default-ignorable code point) are
  refused: the PRECIS UsernameCaseMapped profile (RFC 8264/8265, package precis-i18n)
  disallows them.
- Characters of other scripts that render like ours (Cyrillic "а" for Latin "a") give an
  identifier the same confusable skeleton (UTS #39, computed by ICU's SpoofChecker), and the
  skeleton is stored under a unique index, so a second "admin" is refused as taken.
"""
from __future__ import annotations

import re
import unicodedata

import precis_i18n
from icu import SpoofChecker
from precis_i18n.unicode import UnicodeData

USERNAME_RE = re.compile(r"^[a-z][a-z0-9_.-]{2,31}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# ASCII digits only: Arabic-Indic or other digits would give a second spelling of one number.
MAINLAND_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
INTERNATIONAL_RE = re.compile(r"^\+[1-9]\d{6,14}$", re.ASCII)

_PRECIS = precis_i18n.get_profile("UsernameCaseMapped")
_UNICODE = UnicodeData(unicodedata)  # precis-i18n's reading of the Unicode properties
_SPOOF_CHECKER = SpoofChecker()


class IdentifierError(ValueError):
    """`kind` is "username", "email" or "phone"; the identifier is not valid.

    `invisible` is True when it was refused for holding a character that shows nothing.
    """

    def __init__(self, kind: str, *, invisible: bool = False):
        super().__init__(kind)
        self.kind = kind
        self.invisible = invisible


def fold(raw: str) -> str:
    """NFKC, trimmed, case-folded: the base of every normal form."""
    return unicodedata.normalize("NFKC", raw or "").strip().casefold()


def _precis(value: str, kind: str) -> str:
    """`value` as the PRECIS profile enforces it; raises IdentifierError for a disallowed code point."""
    try:
        return _PRECIS.enforce(value)
    except UnicodeError:
        # PRECIS names the first rule a string breaks; a default-ignorable code point anywhere
        # in it is the reason people need to hear, as they cannot see it.
        invisible = any(_UNICODE.default_ignorable(ord(char)) for char in value)
        raise IdentifierError(kind, invisible=invisible) from None


def normalise_username(raw: str) -> str:
    value = _precis(fold(raw), "username") if raw and raw.strip() else ""
    if not USERNAME_RE.match(value):
        raise IdentifierError("username")
    return value


def normalise_email(raw: str) -> str:
    value = _precis(fold(raw), "email") if raw and raw.strip() else ""
    if len(value) > 254 or not EMAIL_RE.match(value):
        raise IdentifierError("email")
    return value


def normalise_phone(raw: str) -> str:
    """Mainland mobiles as 11 digits (a +86 / 0086 prefix dropped); others as +digits."""
    value = re.sub(r"[\s\-()]", "", fold(raw))
    if value:
        value = _precis(value, "phone")
    if value.startswith("0086"):
        value = value[4:]
    elif value.startswith("+86"):
        value = value[3:]
    if MAINLAND_MOBILE_RE.match(value) or INTERNATIONAL_RE.match(value):
        return value
    raise IdentifierError("phone")


NORMALISERS = {"username": normalise_username, "email": normalise_email, "phone": normalise_phone}


def skeleton(normal: str | None) -> str | None:
    """The UTS #39 confusable skeleton of an identifier in normal form: two identifiers that
    render alike ("admin" and Cyrillic "аdmin") have the same one. None for None."""
    if normal is None:
        return None
    return _SPOOF_CHECKER.getSkeleton(0, normal)


def classify(raw: str) -> tuple[str, str] | None:
    """Which kind of identifier a login form received, and its normal form; None if none fits."""
    value = fold(raw)
    kind = "email" if "@" in value else "username" if value[:1].isalpha() else "phone"
    try:
        return kind, NORMALISERS[kind](raw)
    except IdentifierError:
        return None
