"""What tests share besides fixtures: settings, wiping, signing in, the tools a test needs."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from sqlalchemy import Integer, MetaData, func, select, text

TEST_PASSWORD = "correct horse battery"


def test_settings(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "DATA_KEY": "test-data-key-" + "y" * 32,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Race tests open a hundred connections at once from threads; overflow connections
        # are closed again when returned, so the pool stays small otherwise.
        "SQLALCHEMY_ENGINE_OPTIONS": ({"pool_size": 5, "max_overflow": 120}
                                      if database_url.startswith("postgresql") else {}),
        "MAIL_BACKEND": "memory",
        "BASE_URL": "https://jiyi.example.org",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
        # Tests read messages in English, so they do not change when the Chinese catalogue
        # does; the browser tests switch back to the real default, Chinese.
        "BABEL_DEFAULT_LOCALE": "en",
        "SERVER_NAME": None,
    }


class Migrated:
    """The just-migrated PostgreSQL database, as wipe_database puts it back: its tables and
    the rows the migrations seed. Read from the database itself (reflected), not from the
    models, so a model the migrations disagree with fails its own tests and the drift test
    (tests/test_migrations.py), not every test's set-up."""

    def __init__(self, connection, models: MetaData):
        reflected = MetaData()
        reflected.reflect(connection)
        # Seeded rows go back parents first, in the models' order (the reflected tables'
        # own order cannot be sorted: panels and draws point at each other).
        order = {table.name: position for position, table in enumerate(models.sorted_tables)}
        tables = sorted((table for name, table in reflected.tables.items() if name != "alembic_version"),
                        key=lambda table: order.get(table.name, len(order)))
        self.table_names = [table.name for table in tables]
        self.seeded = [(table, rows) for table in tables
                       if (rows := [dict(row) for row in connection.execute(select(table)).mappings()])]
        # Each table's id sequence (None for link tables), to tell a table a test touched.
        self.sequences = {table.name: next((connection.scalar(select(func.pg_get_serial_sequence(
            table.name, column.name))) for column in table.primary_key.columns
            if isinstance(column.type, Integer)), None) for table in tables}
        # Tables whose triggers refuse DELETE (the append-only audit log) are truncated instead.
        self.truncated = set(connection.scalars(text(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal")))
        seeded_names = {table.name for table, _ in self.seeded}
        # One statement names every table a test wrote to: it has rows, or its sequence was
        # used (an insert that was rolled back leaves no row but moves the ids on). Seeded
        # tables always go back, so they are not asked about.
        self.touched_query = text(" UNION ALL ".join(
            f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})"
            + (f" OR (SELECT is_called FROM {sequence})" if sequence else "")
            for name, sequence in self.sequences.items() if name not in seeded_names))


def wipe_database(app) -> None:
    """Back to the just-migrated database: on SQLite the migrated file is copied back; on
    PostgreSQL the tables the test wrote to are emptied (children first), their sequences
    restarted, and the rows the migrations seed put back, their sequences moved past them, so
    a PostgreSQL test sees what a SQLite test sees. Emptying only what was touched, with
    DELETE, costs a few milliseconds; a TRUNCATE of every table cost a hundred."""
    from app.extensions import db

    db.session.remove()
    sqlite_file = app.config.get("_TEST_SQLITE_FILE")
    if sqlite_file is not None:
        db.engine.dispose()
        shutil.copy(app.config["_TEST_SQLITE_TEMPLATE"], sqlite_file)
        return
    migrated = app.config["_TEST_MIGRATED"]
    with db.engine.begin() as connection:
        touched = set(connection.scalars(migrated.touched_query))
        touched |= {table.name for table, _ in migrated.seeded}
        if truncated := touched & migrated.truncated:
            connection.execute(text(f"TRUNCATE {', '.join(sorted(truncated))} CASCADE"))
        for name in reversed(migrated.table_names):
            if name in touched - truncated:
                connection.execute(text(f"DELETE FROM {name}"))
        restart = [migrated.sequences[name] for name in touched if migrated.sequences[name]]
        if restart:
            connection.execute(text("; ".join(f"ALTER SEQUENCE {sequence} RESTART" for sequence in restart)))
        for table, rows in migrated.seeded:
            connection.execute(table.insert(), rows)
            for column in table.primary_key.columns:
                if isinstance(column.type, Integer):  # setval of no sequence (NULL) does nothing
                    connection.execute(select(func.setval(func.pg_get_serial_sequence(table.name, column.name),
                                                          select(func.max(column)).scalar_subquery())))


def reset_side_channels() -> None:
    from app.accounts.services import tokens
    from app.extensions import limiter
    from app.notifications import mail

    mail.sent_messages.clear()
    limiter.reset()
    tokens.forget_uses()


def sign_in(client, user, password: str = TEST_PASSWORD):
    """Sign `user` in through the real login form."""
    response = client.post("/login", data={"identifier": user.login_name, "password": password})
    assert response.status_code == 302, response.data[:500]
    return response


def need_tools(*tools: str) -> None:
    """Skip the test when a command it needs is missing, with the reason; under CI=true, fail it.

    `make system-packages` installs them all (chromium, poppler-utils, zbar-tools, the CJK
    fonts); CI must run every test, so a missing tool there is a broken machine, not a skip.
    """
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        skip_or_fail_in_ci(f"{', '.join(missing)} not installed (`make system-packages` installs it)")


def need_cjk_font() -> None:
    """Skip (under CI=true, fail) without a Chinese font: pages drawn without one show empty
    boxes, and text widths, so layout checks, are not what users see."""
    need_tools("fc-list")
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True).stdout
    if not found.strip():
        skip_or_fail_in_ci("no Chinese font installed (fonts-noto-cjk: `make system-packages`)")


def skip_or_fail_in_ci(reason: str) -> None:
    """Skip with `reason`, except under CI=true, where what the test needs must be there.

    Works in a test, a fixture, or a module's top (a conftest then skips its whole folder).
    """
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}: CI must run this test", pytrace=False)
    pytest.skip(reason, allow_module_level=True)
