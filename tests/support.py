"""What tests share besides fixtures: settings, wiping, signing in."""
from __future__ import annotations

import shutil

from sqlalchemy import text

TEST_PASSWORD = "correct horse battery"


def test_settings(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "DATA_KEY": "test-data-key-" + "y" * 32,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Race tests open a hundred connections at once from threads; overflow connections
        # are closed again when returned, so the pool stays small otherwise.
        "SQLALCHEMY_ENGINE_OPTIONS": ({"pool_pre_ping": True, "pool_size": 5, "max_overflow": 120}
                                      if database_url.startswith("postgresql") else {"pool_pre_ping": True}),
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


def wipe_database(app) -> None:
    from app.extensions import db

    db.session.remove()
    sqlite_file = app.config.get("_TEST_SQLITE_FILE")
    if sqlite_file is not None:
        db.engine.dispose()
        shutil.copy(app.config["_TEST_SQLITE_TEMPLATE"], sqlite_file)
        return
    tables = [t.name for t in db.metadata.sorted_tables]
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


def reset_side_channels() -> None:
    from app.extensions import limiter
    from app.notifications import mail

    mail.sent_messages.clear()
    limiter.reset()


def sign_in(client, user, password: str = TEST_PASSWORD):
    """Sign `user` in through the real login form."""
    response = client.post("/login", data={"identifier": user.login_name, "password": password})
    assert response.status_code == 302, response.data[:500]
    return response
