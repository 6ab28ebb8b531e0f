"""One hierarchy of domain errors, and how every error reaches the person who caused it.

Services raise a `DomainError` subclass with a translated message (and the field it is
about, when there is one). Routes that expect it turn it into a flash and a 4xx; anything
that escapes is answered here: an HTML error page, or under /api the JSON body
`{"error": {"code", "message", "field"}}` with the same status.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule said no. `message` is already translated and safe to show."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field


class InvalidInput(DomainError):
    """Bad input. `problems` lists every (field, message) found, so a form shows them all at once."""

    code, status = "invalid_input", 422

    def __init__(self, message: str, field: str | None = None,
                 problems: list[tuple[str | None, str]] | None = None):
        super().__init__(message, field)
        self.problems = problems or [(field, self.message)]


class Problems:
    """Collects every problem with an input, so the caller hears all of them in one answer.

        problems = Problems()
        if not name: problems.add(_("Please enter the name."), "name")
        with problems.check():      # a check that raises DomainError
            check_password_rules(password)
        problems.raise_any()        # InvalidInput carrying them all (the only one as it was)
    """

    def __init__(self):
        self.errors: list[DomainError] = []

    def add(self, message: str, field: str | None = None) -> None:
        self.errors.append(InvalidInput(message, field))

    @contextmanager
    def check(self):
        try:
            yield
        except DomainError as error:
            self.errors.append(error)

    @property
    def found(self) -> list[tuple[str | None, str]]:
        # A check that itself names several problems (InvalidInput.problems) gives each of them.
        return [problem for error in self.errors
                for problem in getattr(error, "problems", None) or [(error.field, error.message)]]

    def raise_any(self) -> None:
        """Raise the one problem found as it is, or one error carrying all of them in `problems`:
        of their kind when they are all of one (two NotEligible stay NotEligible, 409), else
        InvalidInput; nothing when none."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            first = self.errors[0]
            kind = type(first) if all(type(error) is type(first) for error in self.errors) else InvalidInput
            combined = kind(first.message, first.field)
            combined.problems = self.found
            raise combined


class NotFound(DomainError):
    code, status = "not_found", 404


class PermissionDenied(DomainError):
    code, status = "forbidden", 403


class Conflict(DomainError):
    """The change collides with stored data (a duplicate, a stale state)."""

    code, status = "conflict", 409


class NotEligible(DomainError):
    code, status = "not_eligible", 409


class Full(DomainError):
    code, status = "full", 409


class Locked(DomainError):
    code, status = "locked", 409


class Busy(DomainError):
    """A lock was not free in time (app.core.locks): nothing was changed; try again."""

    code, status = "busy", 503


def wants_json() -> bool:
    """True for API requests: they get JSON errors, never HTML."""
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, field: str | None = None):
    if wants_json():
        body = {"error": {"code": code, "message": message, "field": field}}
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


# Messages people see for HTTP errors raised by the framework (404 for a missing row …).
def _http_messages() -> dict[int, tuple[str, str]]:
    return {
        400: ("bad_request", _("The request could not be understood.")),
        401: ("unauthorised", _("Please sign in first.")),
        403: ("forbidden", _("You do not have permission to do this.")),
        404: ("not_found", _("The page or record was not found.")),
        405: ("method_not_allowed", _("This action is not allowed here.")),
        409: ("conflict", _("The record was changed by someone else; please try again.")),
        413: ("too_large", _("The upload is too large.")),
        422: ("invalid_input", _("Some of the input is not valid.")),
        429: ("rate_limited", _("Too many attempts; please wait a minute and try again.")),
    }


def _validation_detail(exc: HTTPException) -> tuple[str | None, str | None]:
    """The first field and message of a webargs validation error, if this is one."""
    messages = (getattr(exc, "data", None) or {}).get("messages")
    if not isinstance(messages, dict):
        return None, None
    for location in messages.values():
        if isinstance(location, dict):
            for field, problems in location.items():
                detail = problems[0] if isinstance(problems, list) and problems else problems
                if isinstance(detail, dict):  # nested schema: name the first nested field
                    inner_field, inner = next(iter(detail.items()))
                    field = f"{field}.{inner_field}"
                    detail = inner[0] if isinstance(inner, list) else inner
                return str(field), str(detail)
    return None, None


def handle_http_exception(exc: HTTPException):
    status = exc.code or 500
    code, message = _http_messages().get(status, ("error", exc.description or ""))
    field = None
    if status == 422:
        field, detail = _validation_detail(exc)
        if field:
            message = _("Invalid value for “%(field)s”: %(detail)s", field=field, detail=detail)
    response = make_response(error_response(status, code, message, field))
    # The exception's own headers say what to do next: Allow on a 405, Retry-After on a 429.
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_domain_error(exc: DomainError):
    return error_response(exc.status, exc.code, exc.message, exc.field)


def handle_unexpected(exc: Exception):
    # Never show internals; the log has the traceback (with row ids, never personal data).
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "server_error", _("Something went wrong on our side; it has been logged."))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
