"""One owner for transactions: services flush, the caller commits or rolls back, once.

- A web request (HTML or API) is one unit of work, ended by `init_app`'s hook after the
  view has answered and before the answer is sent: committed when the answer is a success
  (below 400: a page, a download, the redirect after a POST), rolled back when it is an
  error (a form re-rendered with 4xx after a DomainError, a 403, a 404, a 500) or when the
  view raised. So views never commit, and a view that catches a DomainError answers with
  `error.status`, never with a 2xx or a redirect (that would commit what the service did
  before it raised).
- A CLI command, demo seeding or a scheduler job wraps its work in `with unit_of_work():`
  (or uses it as a decorator): committed when the block ends, rolled back when it raises.

Services never commit. They step outside "flush only" in three ways, each named here:
- `flush_or_refuse(error)`: a unique index refused a row another request stored a moment
  ago. A failed flush leaves the session unable to run any statement, so the unit of work
  is rolled back at once and `error` explains why.
- `abandon(error)`: a refusal found while holding row locks that many others queue on
  (the event row during registration): the unit of work is rolled back at once, so the
  locks are let go before the caller spends time rendering its answer.
- `batched(error)`: statements that read nothing back (INSERTs without RETURNING) sent to
  the server together, in one round trip (psycopg's pipeline mode; elsewhere one by one);
  a constraint that refuses one of them rolls the unit of work back and raises `error`.
  For the writes done while holding a lock many others queue on.
- A service that keeps some parts of its work and not others on purpose (decisions on many
  entries, outbox delivery) runs each part in its own `unit_of_work()` and says why in its
  docstring. Savepoints are not used for this: pysqlite mishandles them, and each part
  should let go of its locks before the next one takes its own.
"""
from __future__ import annotations

from contextlib import contextmanager, nullcontext
from typing import Iterator, NoReturn

from flask import Flask, Response
from sqlalchemy.exc import IntegrityError

from app.core.errors import DomainError
from app.extensions import db


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block did when it ends; roll it back when it (or the commit) raises."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def flush_or_refuse(error: DomainError) -> None:
    """Flush pending rows; when a constraint refuses one, roll back the unit of work and raise `error`."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise error from None


def abandon(error: DomainError) -> NoReturn:
    """Roll back the unit of work at once, letting go of its locks, and raise `error`."""
    db.session.rollback()
    raise error


@contextmanager
def batched(error: DomainError) -> Iterator[None]:
    """Send the block's statements together: on PostgreSQL (psycopg) as one pipeline, which
    waits for the server once, at the end of the block; elsewhere one by one. The block's
    statements must read nothing back. When a constraint refuses one of them the unit of
    work is rolled back and `error` raised (as `flush_or_refuse` does)."""
    connection = db.session.connection()
    driver = connection.connection.driver_connection
    pipeline = driver.pipeline() if connection.dialect.driver == "psycopg" else nullcontext()
    try:
        with pipeline:
            yield
    except IntegrityError:
        db.session.rollback()
        raise error from None
    except Exception as failure:  # the pipeline raises the driver's own error when it syncs
        if _is_integrity_error(failure):
            db.session.rollback()
            raise error from None
        raise


def _is_integrity_error(failure: Exception) -> bool:
    try:
        import psycopg
    except ImportError:  # pragma: no cover (installed with the app)
        return False
    return isinstance(failure, psycopg.IntegrityError)


def _end_request(response: Response) -> Response:
    """after_request: commit a successful answer's work, roll back an error's."""
    if response.status_code < 400:
        db.session.commit()  # a failure here is raised, and the request answers 500 instead
    else:
        db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    # Registered before every other after_request hook, so it runs after all of them (Flask
    # runs them in reverse order): whatever they write is part of the same unit of work.
    app.after_request(_end_request)
