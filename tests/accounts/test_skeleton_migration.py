"""Migration 0007_login_skeletons fills the skeletons of accounts that already exist, and an
old pair of look-alike accounts does not stop the upgrade: the older keeps the skeleton.

Runs on a database file of its own, so the suite's migrated database is never touched.
"""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from app.core.identifiers import skeleton
from tests import support


@pytest.mark.no_database
def test_upgrade_fills_skeletons_and_leaves_the_newer_look_alike_empty(tmp_path):
    from flask_migrate import upgrade

    from app import create_app

    url = f"sqlite:///{tmp_path / 'migration.sqlite3'}"
    app = create_app(support.test_settings(url))
    with app.app_context():
        upgrade(revision="0006_kept_uploads")
        engine = create_engine(url)
        with engine.begin() as connection:
            for user_id, username, email in ((1, "admin", "admin@example.org"),
                                             (2, "adrnin", "other@example.org"),       # renders like admin
                                             (3, None, "\u0430dmin@example.org")):      # Cyrillic а
                connection.execute(text("INSERT INTO persons (id, full_name, created_at, updated_at) "
                                        "VALUES (:id, 'x', '2026-01-01', '2026-01-01')"), {"id": user_id})
                connection.execute(text("INSERT INTO users (id, person_id, username, email, session_token, "
                                        "is_active_account, created_at) VALUES (:id, :id, :username, :email, 't', 1, "
                                        "'2026-01-01')"), {"id": user_id, "username": username, "email": email})
        upgrade(revision="0007_login_skeletons")
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, username_skeleton, email_skeleton, failed_sign_ins "
                                           "FROM users ORDER BY id")).all()
        engine.dispose()
        from app.extensions import db
        db.engine.dispose()
    assert [tuple(row) for row in rows] == [
        (1, skeleton("admin"), skeleton("admin@example.org"), 0),
        (2, None, skeleton("other@example.org"), 0),
        (3, None, None, 0),
    ]
