"""Settings, read from the environment once when the application is created.

Every setting has a development default so that `make run` works on a fresh machine;
`check_production_settings` refuses to start outside debug with the defaults that would be
unsafe there (a guessable SECRET_KEY or DATA_KEY).
"""
from __future__ import annotations

import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"
DEV_DATA_KEY = "dev-only-data-key-do-not-use-in-production"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment() -> dict:
    """The settings as a plain dict, taken from the process environment."""
    debug = _bool("FLASK_DEBUG", False)
    return {
        "DEBUG": debug,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY if debug else ""),
        # DATA_KEY encrypts ID numbers at rest and keys their de-duplication hash. It is
        # separate from SECRET_KEY so that rotating session keys never makes data unreadable.
        "DATA_KEY": os.environ.get("DATA_KEY", DEV_DATA_KEY if debug else ""),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'jiyi.sqlite3'}"
        ),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "JIYI_TIMEZONE": os.environ.get("JIYI_TIMEZONE", "Asia/Shanghai"),
        "JIYI_DEMO": _bool("JIYI_DEMO", False),
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "console" if debug else "smtp"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "noreply@jiyi.example"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        # How many reverse proxies stand in front: their X-Forwarded-For/-Proto are trusted,
        # so rate limits count the real client, not the proxy.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", not debug),
        # The scheduler process (app.jobs): when each job runs, a number of seconds (every so
        # often) or HH:MM (daily, in JIYI_TIMEZONE), and how the process polls and waits.
        "JOBS_OUTBOX_EVERY": os.environ.get("JIYI_JOBS_OUTBOX_EVERY", "30"),
        "JOBS_WINDOWS_EVERY": os.environ.get("JIYI_JOBS_WINDOWS_EVERY", "300"),
        "JOBS_REMINDERS_EVERY": os.environ.get("JIYI_JOBS_REMINDERS_EVERY", "60"),
        "JOBS_QUALIFICATIONS_AT": os.environ.get("JIYI_JOBS_QUALIFICATIONS_AT", "08:00"),
        "JOBS_INTEGRITY_AT": os.environ.get("JIYI_JOBS_INTEGRITY_AT", "02:30"),
        "JOBS_PUBLICATIONS_EVERY": os.environ.get("JIYI_JOBS_PUBLICATIONS_EVERY", "60"),
        "JOBS_CERTIFICATE_BATCHES_EVERY": os.environ.get("JIYI_JOBS_CERTIFICATE_BATCHES_EVERY", "10"),
        # Certificates a batch issues per transaction: a crash loses at most this many, given back.
        "CERTIFICATE_BATCH_CHUNK": int(os.environ.get("JIYI_CERTIFICATE_BATCH_CHUNK", "50")),
        "JOBS_POLL_SECONDS": float(os.environ.get("JIYI_JOBS_POLL_SECONDS", "3")),
        "JOBS_LEADER_RETRY_SECONDS": float(os.environ.get("JIYI_JOBS_LEADER_RETRY_SECONDS", "5")),
        "JOBS_MISFIRE_GRACE_SECONDS": int(os.environ.get("JIYI_JOBS_MISFIRE_GRACE_SECONDS", "600")),
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", not debug),
        # Certificate serials (app/certificates/serials.py): {year}, {kind} and {seq}, numbered
        # per year and kind; and how often one address may ask the public verification page.
        "CERTIFICATE_SERIAL_PATTERN": os.environ.get("JIYI_CERTIFICATE_SERIAL_PATTERN", "{year}-{kind}-{seq:06}"),
        "VERIFY_RATE_LIMIT": os.environ.get("JIYI_VERIFY_RATE_LIMIT", "30 per minute"),
    }


DEFAULTS = {
    # No ping per checkout: recycled, and pinged only after idling (app.core.request_path).
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False, "pool_recycle": 1800},
    # An API token's "last used" time: noted in memory, written after the answer has gone,
    # at most every so many seconds per worker (app.accounts.services.tokens).
    "API_TOKEN_USE_WRITE_EVERY_S": 10,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session does
    "BABEL_DEFAULT_LOCALE": "zh_CN",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "LANGUAGES": ["zh_CN", "en"],
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,  # Excel uploads and photos
    "PASSWORD_RESET_MAX_AGE": 30 * 60,
    "INVITATION_MAX_AGE": 7 * 24 * 3600,
    "JOBS_THREADS": 4,             # jobs that may run at once in the scheduler process
    "JOBS_OUTBOX_BATCH": 200,      # messages one outbox delivery run sends at most
    # flask-smorest / OpenAPI
    "API_TITLE": "Jiyi API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}


class UnsafeConfiguration(RuntimeError):
    """The application was asked to run outside debug with development secrets."""


def check_production_settings(config: dict) -> None:
    """Refuse to start outside debug and testing with an empty or development secret.

    Raises UnsafeConfiguration naming the setting.
    """
    if config.get("DEBUG") or config.get("TESTING"):
        return
    for name, dev_value in (("SECRET_KEY", DEV_SECRET_KEY), ("DATA_KEY", DEV_DATA_KEY)):
        value = (config.get(name) or "").strip()
        if not value or value == dev_value or len(value) < 16 or len(set(value)) < 8:
            raise UnsafeConfiguration(
                f"{name} must be set to a long random value outside debug "
                f"(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
