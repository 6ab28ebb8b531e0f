"""What any request may carry, checked once before a view sees it.

Some input no view can use and no database can store: a NUL character (PostgreSQL refuses
it in text); a lone UTF-16 surrogate (JSON can spell one, UTF-8 cannot); a JSON body
Python's parser cannot read (a RecursionError on deep nesting, or a ValueError the views'
parsers do not expect on a number of thousands of digits); a number in a URL larger than
any row id (PostgreSQL refuses it for an INTEGER column, SQLite's driver overflows).
They are refused here, for every form, query string, JSON body and URL argument, so no view
has to remember them and none of them ends in a 500. So is a JSON body sent to a page
(outside /api/), which takes forms only.
"""
from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from app.core.errors import error_response
from app.core.request_path import parse_json_body

MAX_ROW_ID = 2**31 - 1      # ids are INTEGER columns: PostgreSQL's int4 ends here
MAX_JSON_DEPTH = 32         # our bodies nest two or three levels


class RowIdConverter(IntegerConverter):
    """`<int:…>` in every URL, documented as at most MAX_ROW_ID. A larger number is refused
    with a 404 by `refuse_beyond_row_ids`, not here: werkzeug weighs the method before the
    converter, so a converter that refused it would answer 405 to a method the URL has."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ROW_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> int:
        # Thousands of digits are never parsed (Python refuses such a conversion): beyond any row id.
        return int(value) if len(value) <= len(str(MAX_ROW_ID)) else MAX_ROW_ID + 1


def refuse_beyond_row_ids(endpoint: str | None, values: dict | None) -> None:
    """url_value_preprocessor (before the access check, whose scope lookups read the id): a
    number in the URL beyond any row id names nothing (404), where it would otherwise
    overflow in the database driver."""
    if any(isinstance(value, int) and value > MAX_ROW_ID for value in (values or {}).values()):
        abort(404)


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered: rules take their converters when added."""
    app.url_map.converters["int"] = RowIdConverter
    app.url_value_preprocessor(refuse_beyond_row_ids)
    app.before_request(refuse_unusable_input)


def refuse_unusable_input():
    """before_request (after the access check): answer 400, 415 or 422 for input no view can use."""
    if request.is_json and not request.path.startswith("/api/") and request.content_length:
        # Pages take forms; Flask-WTF would read a JSON body as one and trip over its types.
        return error_response(415, "unsupported_media_type", _("This page takes a form, not JSON."))
    body, unreadable = _json_body()
    problem, path = _json_problem(body)
    if unreadable or problem == "surrogate":
        return error_response(400, "bad_request", _("The body is not valid JSON."))
    if problem == "deep":
        return error_response(400, "bad_request", _("The JSON body is nested too deeply."))
    for source in (request.view_args or {}, request.args, request.form):
        items = source.items(multi=True) if hasattr(source, "getlist") else source.items()
        for key, value in items:
            if _has_nul(key) or _has_nul(value):
                return _refuse_nul(key)
    if problem == "nul":
        return _refuse_nul(path)
    return None


def _has_nul(text: object) -> bool:
    return isinstance(text, str) and "\x00" in text


def _has_surrogate(text: object) -> bool:
    """True for a string with half of a UTF-16 pair, which JSON's \\ud800 escapes can
    make and nothing downstream can encode."""
    if not isinstance(text, str):
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _refuse_nul(field: str | None):
    if not field or "\x00" in field:
        return error_response(422, "invalid_input", _("The input contains a NUL character, which is not allowed."))
    return error_response(422, "invalid_input",
                          _("“%(field)s” contains a NUL character, which is not allowed.", field=field), field)


def _json_body() -> tuple[object, bool]:
    """The parsed JSON body (None when there is none), and whether it cannot be parsed at
    all: not JSON, nested too deeply for the parser, or a number with thousands of digits
    (which Python refuses with a ValueError the view's parser does not expect)."""
    if not request.is_json or not request.get_data(cache=True):
        return None, False
    try:
        return parse_json_body(), False  # kept: the view's parser reads this parse
    except (ValueError, RecursionError):
        return None, True


def _json_problem(body: object) -> tuple[str | None, str]:
    """("nul", dotted path) for a key or string holding a NUL, ("surrogate", path) for one
    holding a lone surrogate, ("deep", path) where the body nests deeper than MAX_JSON_DEPTH,
    else (None, ""). Walked without recursion."""
    pending: list[tuple[object, str, int]] = [(body, "", 0)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return "deep", path
        if _has_surrogate(value):
            return "surrogate", path
        if _has_nul(value):
            return "nul", path
        if isinstance(value, dict):
            for key, inner in value.items():
                name = f"{path}.{key}" if path else key
                if _has_surrogate(key):
                    return "surrogate", name
                if _has_nul(key):
                    return "nul", name
                pending.append((inner, name, depth + 1))
        elif isinstance(value, list):
            pending.extend((inner, f"{path}.{index}" if path else str(index), depth + 1)
                           for index, inner in enumerate(value))
    return None, ""
