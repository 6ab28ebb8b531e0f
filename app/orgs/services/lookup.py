"""Finding a member unit from what a person typed: its unified social credit code or its name.

Forms name a unit in a text box (app/orgs/forms/fields.py), not a list of a thousand units, so the
text must find exactly one unit or say why not. Suggestions for the box come from
`suggestions` (GET /orgs/lookup).
"""
from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _
from sqlalchemy import case, or_, select

from app.core import ids
from app.core.errors import InvalidInput
from app.extensions import db
from app.orgs.models import Organisation

NAME_LENGTH = 128           # the column's length: a longer text names no unit
MIN_QUERY = 2               # suggestions start from two characters
MAX_SUGGESTIONS = 20
_CODE_SHAPE = re.compile(r"[0-9A-Z]{18}")
_CODE_PREFIX = re.compile(r"[0-9A-Z]+")
_LIKE_ESCAPE = "\\"


def normal_name(text: str) -> str:
    """A unit name as compared: NFKC-folded (full-width letters, digits, brackets and spaces
    become their ASCII forms), runs of whitespace one space, no space at either end."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def _name_pattern(key: str) -> str:
    """A LIKE pattern that finds every stored name whose normal form may be `key`.

    Names are stored as typed (trimmed), so one written with full-width brackets matches a
    key with ASCII ones only after folding: each ASCII character of the key becomes `_` (the
    stored name may hold its full-width twin there), every other character stays itself,
    escaped. The candidates are then compared exactly in Python. Folds that change the
    length (a circled digit, ㈱) are not found, and nobody names a unit with them.
    """
    out = []
    for char in key:
        if ord(char) < 128:
            out.append("_")
        elif char in "%_" + _LIKE_ESCAPE:
            out.append(_LIKE_ESCAPE + char)
        else:
            out.append(char)
    return "".join(out)


def _by_code(text: str) -> Organisation | None:
    code = ids.normalise(text)
    if not _CODE_SHAPE.fullmatch(code):
        return None
    return db.session.scalar(select(Organisation).where(Organisation.credit_code == code))


def _by_name(text: str) -> list[Organisation]:
    """The units whose normal name is the normal form of `text`; the one typed character for
    character alone, when there is one (a name picked from the suggestions)."""
    key = normal_name(text)
    if not key or len(key) > NAME_LENGTH:
        return []
    candidates = db.session.scalars(select(Organisation).where(
        Organisation.name.like(_name_pattern(key), escape=_LIKE_ESCAPE))).all()
    found = [org for org in candidates if normal_name(org.name) == key]
    typed = " ".join(text.split())
    exact = [org for org in found if org.name == typed]
    return exact or found


def find_unit(text: str, field: str | None = None) -> Organisation:
    """The one unit `text` names, by credit code (any width, case, spaces or hyphens) or by
    name (NFKC-folded, trimmed). Raises InvalidInput naming `field` when no unit or several
    units have that name, or the text is empty."""
    if not normal_name(text):
        raise InvalidInput(_("Please enter the unit's name or credit code."), field=field)
    org = _by_code(text)
    if org is not None:
        return org
    found = _by_name(text)
    if len(found) == 1:
        return found[0]
    if found:
        raise InvalidInput(_("Several units have this name; please enter the unit's credit code."), field=field)
    raise InvalidInput(_no_such_unit_message(text), field=field)


def _no_such_unit_message(text: str) -> str:
    """Why nothing was found: a mistyped credit code says so, anything else is no such unit."""
    code = ids.normalise(text)
    if _CODE_SHAPE.fullmatch(code) and any(char.isdigit() for char in code):
        try:
            ids.parse_credit_code(code)
        except ids.CreditCodeError as error:
            if error.code == "checksum":
                return _("The credit code's check character is wrong; please check it for typing errors.")
    return _("No member unit has this name or credit code.")


def suggestions(query: str, limit: int = MAX_SUGGESTIONS) -> list[Organisation]:
    """At most `limit` units whose name contains `query` (as typed, or NFKC-folded) or whose
    credit code starts with it, names starting with it first; none for fewer than two
    characters. `%` and `_` are plain characters here."""
    typed = " ".join((query or "").split())
    key = normal_name(query)
    if len(key) < MIN_QUERY or len(key) > NAME_LENGTH:
        return []
    conditions = [Organisation.name.contains(term, autoescape=True) for term in {typed, key}]
    code = ids.normalise(query)
    if _CODE_PREFIX.fullmatch(code):
        conditions.append(Organisation.credit_code.startswith(code, autoescape=True))
    starts = or_(*(Organisation.name.startswith(term, autoescape=True) for term in {typed, key}))
    return list(db.session.scalars(select(Organisation).where(or_(*conditions))
                                   .order_by(case((starts, 0), else_=1), Organisation.name).limit(limit)))
