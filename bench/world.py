"""The world the app's own benchmarks run in: a migrated database with one open event and many
contestants, each with a login and an API token, written with COPY so that preparing 45,000 of
them takes seconds."""

import hashlib
import os
import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from app.accounts.services.tokens import TOKEN_PREFIX
from app.core.ids import credit_code_check_char
from bench.harness import ADMIN_URL, REPO_ROOT, fresh_database

CAPACITY = 1000
UNITS = 200


def server_env(database_url: str) -> dict[str, str]:
    """The app's settings for gunicorn (and for `flask db upgrade`) on the benchmark's database."""
    return {
        "DATABASE_URL": database_url.replace("postgresql://", "postgresql+psycopg://", 1),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATA_KEY": secrets.token_urlsafe(48),
        "FLASK_DEBUG": "0",
        "JIYI_DEMO": "0",
        # Nothing is sent during the run (mail goes to the outbox table); `console` would be the
        # development setting, and this is the production one.
        "MAIL_BACKEND": "smtp",
    }


def migrate(env: dict[str, str]) -> None:
    upgrade = [sys.executable, "-m", "flask", "--app", "wsgi:app", "db", "upgrade"]
    subprocess.run(upgrade, cwd=REPO_ROOT, env={**os.environ, **env}, check=True, capture_output=True)


def _copy(conn: psycopg.Connection, table: str, columns: tuple[str, ...], rows) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def create_world(conn: psycopg.Connection, contestants: int) -> tuple[int, list[str]]:
    """One public competition with one open event of CAPACITY seats, `contestants` people in
    `UNITS` member units, each with a login and an API token; returns the event's id and the
    tokens' text."""
    now = datetime.now(UTC)
    (competition_id,) = conn.execute(
        "INSERT INTO competitions (name, year, level, is_public, created_at)"
        " VALUES ('全国职工职业技能大赛（基准）', 2026, 'national', true, %s) RETURNING id", (now,)).fetchone()
    (event_id,) = conn.execute(
        "INSERT INTO events (competition_id, code, name, is_team, team_size_min, team_size_max, capacity,"
        " opens_at, closes_at, exam_number_pattern, requires_member_unit, seats_taken, waitlist_issued,"
        " exam_numbers_issued, created_at)"
        " VALUES (%s, 'WA', '网络安全管理员', false, 1, 1, %s, %s, %s, '{year}{event_code}{seq:04}', false,"
        " 0, 0, 0, %s) RETURNING id",
        (competition_id, CAPACITY, now - timedelta(days=1), now + timedelta(days=30), now)).fetchone()

    def code(n: int) -> str:
        body = f"91110000{n:09d}"
        return body + credit_code_check_char(body)

    _copy(conn, "organisations", ("id", "name", "credit_code", "province", "org_type", "created_at", "updated_at"),
          ((u, f"基准单位{u}有限公司", code(u), "北京市", "enterprise", now, now) for u in range(1, UNITS + 1)))
    _copy(conn, "persons", ("id", "full_name", "email", "organisation_id", "created_at", "updated_at"),
          ((n, f"选手{n}", f"contestant{n}@example.org", 1 + n % UNITS, now, now) for n in range(1, contestants + 1)))
    _copy(conn, "users", ("id", "person_id", "session_token", "is_active_account", "created_at"),
          ((n, n, secrets.token_hex(16), True, now) for n in range(1, contestants + 1)))
    tokens = [TOKEN_PREFIX + secrets.token_urlsafe(32) for _ in range(contestants)]
    # Kept as app.accounts.services.tokens keeps them: the SHA-256 of the text, and its first 12 characters.
    _copy(conn, "api_tokens", ("id", "user_id", "name", "token_hash", "prefix", "created_at"),
          ((n, n, "bench", hashlib.sha256(text.encode()).hexdigest(), text[:12], now)
           for n, text in enumerate(tokens, start=1)))
    for table in ("organisations", "persons", "users", "api_tokens"):
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return event_id, tokens


def capture_statements(scratch: Path) -> Path:
    """The app's statements for GET /api/v1/me and for a registration (bench/capture.py),
    captured in a database of their own so that the benchmark's stays as prepared; returns
    the file the floors read (BENCH_CAPTURED)."""
    output, tokens_file = scratch / "captured.pickle", scratch / "capture-tokens.txt"
    with fresh_database(ADMIN_URL) as database_url:
        env = server_env(database_url)
        migrate(env)
        with psycopg.connect(database_url) as conn:
            _event_id, tokens = create_world(conn, 2)
        tokens_file.write_text("\n".join(tokens) + "\n")
        subprocess.run([sys.executable, "-m", "bench.capture", database_url, str(output), str(tokens_file)],
                       cwd=REPO_ROOT, env={**os.environ, **env}, check=True, capture_output=True)
    return output
