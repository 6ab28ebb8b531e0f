"""The test world: one application per test process, on SQLite or PostgreSQL, clean for every test.

`JIYI_TEST_DB` picks the database (`sqlite`, the default, or `postgresql`). PostgreSQL
comes from `JIYI_TEST_PG_URL` (default: the local server); each test process creates its
own database there and drops it at the end, so runs never see each other's data. Without a
reachable server the PostgreSQL run is skipped with a loud line, unless
`JIYI_REQUIRE_PG=1` (CI), which makes it fail.

Under pytest-xdist (`-n auto`, as `make test` runs it) every worker is such a process: it
has its own SQLite file (its own temporary directory) or its own PostgreSQL database, and
its own live server for the browser tests (tests/browser/conftest.py, on a free port).

The schema is built once per process by the real migrations. Between tests the database goes
back to just-migrated: on SQLite by copying back the freshly migrated file, on PostgreSQL by
TRUNCATE and putting back the rows the migrations seed (the judge levels), so both databases
start every test with the same rows.
"""
from __future__ import annotations

import os
import secrets
import shutil
import sys

import pytest
from flask import g, request_started
from sqlalchemy import event

from tests import support

TEST_DB = os.environ.get("JIYI_TEST_DB", "sqlite")
PG_URL = os.environ.get("JIYI_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, … under xdist


def pytest_report_header(config):
    return f"jiyi test database: {TEST_DB}"


def pytest_sessionstart(session):
    """Before any worker starts: is the PostgreSQL server there? Checked once, by the process
    that runs the session (xdist's controller or the only process), so a missing server
    ends the run with one clear line instead of one error per worker."""
    if TEST_DB != "postgresql" or hasattr(session.config, "workerinput"):
        return
    import psycopg

    try:
        psycopg.connect(PG_URL, autocommit=True, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        line = f"\n{'!' * 78}\n!! PostgreSQL at {PG_URL} is not reachable: {error}\n"
        if os.environ.get("JIYI_REQUIRE_PG") == "1":
            pytest.exit(line + "!! JIYI_REQUIRE_PG=1: the PostgreSQL run FAILS.\n" + "!" * 78, returncode=3)
        sys.stderr.write(line + "!! The PostgreSQL run is SKIPPED.\n" + "!" * 78 + "\n")
        pytest.exit("PostgreSQL run skipped: no server", returncode=0)


def pytest_collection_modifyitems(config, items):
    if TEST_DB != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass of `make test`")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)


def _postgres_database():
    """Create this process's own database on the test server; returns (url, drop callback)."""
    import psycopg

    name = f"jiyi_test_{WORKER}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(PG_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        # A test database need not survive a crash: commits return before the WAL reaches the
        # disk (the server still never shows a half-done transaction; locks work as always).
        admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    # (closed at once: race tests need every connection slot the server has)
    base, _, _ = PG_URL.rpartition("/")
    url = f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)

    def drop():
        with psycopg.connect(PG_URL, autocommit=True, connect_timeout=5) as again:
            again.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def _no_waiting_for_the_disk(connection, record):
    """A test database need not survive a power cut: SQLite hands commits to the operating
    system without waiting for the disk (fsync), which otherwise dominates a test's time."""
    connection.execute("PRAGMA synchronous = OFF")


def _forget_request_globals(sender, **extra):
    for name in list(g):
        g.pop(name)


def _commit_the_world_before_an_api_call(sender, **extra):
    """What a test built is in the database before an API request comes, as it would be in
    production: commit it. (A token's first use used to commit it by accident, while the
    request noted the use; that note is written after the answer now, app.accounts.services.tokens.)"""
    from flask import request

    from app.extensions import db

    if request.path.startswith("/api/") and db.session().in_transaction():
        db.session.commit()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    root = tmp_path_factory.mktemp("db")  # under xdist, inside this worker's own directory
    drop = sqlite_file = None
    if TEST_DB == "postgresql":
        url, drop = _postgres_database()
    else:
        sqlite_file = root / "jiyi.sqlite3"
        url = f"sqlite:///{sqlite_file}"
    application = create_app(support.test_settings(url))
    with application.app_context():
        if sqlite_file is not None:
            event.listen(db.engine, "connect", _no_waiting_for_the_disk)
        upgrade()
        if drop is not None:
            with db.engine.connect() as connection:
                application.config["_TEST_MIGRATED"] = support.Migrated(connection, db.metadata)
        db.engine.dispose()
    if sqlite_file is not None:
        shutil.copy(sqlite_file, root / "template.sqlite3")
    # A test holds one application context open and the test client's requests reuse it,
    # so `g` (the signed-in user, cached grants, the locale) would leak from one request to
    # the next. Production gives every request a fresh context: so does the suite.
    request_started.connect(_forget_request_globals, application)
    request_started.connect(_commit_the_world_before_an_api_call, application)
    application.config["_TEST_SQLITE_FILE"] = sqlite_file
    application.config["_TEST_SQLITE_TEMPLATE"] = root / "template.sqlite3" if sqlite_file else None
    yield application
    if drop is not None:
        with application.app_context():
            db.engine.dispose()
        drop()


@pytest.fixture(autouse=True)
def _clean_world(request, app):
    """Every test starts with just-migrated tables, an empty mailbox and fresh rate limits."""
    if "no_database" in request.keywords:
        yield
        return
    with app.app_context():
        support.wipe_database(app)
        support.reset_side_channels()
        yield
        from app.extensions import db
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app):
    from app.extensions import db as database
    return database
