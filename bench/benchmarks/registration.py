"""Registration through the real app and its API: 64 clients, each request a different contestant
with their own API token, into one event with 1,000 seats and a waiting list.

Every request goes the whole way: token lookup, access rule, eligibility, the seat or waiting-list
counter (one row lock on the event for everybody), the entry, its audit row, and the notification
mail rendered into the outbox. Afterwards exactly 1,000 seats are held, and the waiting list is
numbered 1…N without a gap.
"""

import argparse
import hashlib
import math
import os
import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from app.accounts.services.tokens import TOKEN_PREFIX
from app.core.ids import credit_code_check_char
from bench.figures import Figures
from bench.harness import REPO_ROOT
from bench.registry import Benchmark, InvariantBroken, Prepared

CAPACITY = 1000
UNITS = 200
CEILING_RPS = 2500
"""More than this app can serve on these machines (the bare INSERT reaches ≈ 1,150): the
contestants prepared for a run, one per request, never run out."""


def _run_settings() -> argparse.Namespace:
    """Duration, warm-up and wrk threads of this invocation of `python -m bench`.

    `prepare` is not told them, and each request needs a contestant of its own, so they are read
    from the command line with the same defaults as bench/__main__.py.
    """
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    known, _ = parser.parse_known_args(sys.argv[1:])
    return known


def _server_env(database_url: str) -> dict[str, str]:
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


def _copy(conn: psycopg.Connection, table: str, columns: tuple[str, ...], rows) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _create_world(conn: psycopg.Connection, contestants: int) -> tuple[int, list[str]]:
    """One public competition with one open event, `contestants` people in `UNITS` member units,
    each with a login and an API token; returns the event's id and the tokens' text."""
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


def prepare(database_url: str, scratch: Path) -> Prepared:
    server_env = _server_env(database_url)
    upgrade = [sys.executable, "-m", "flask", "--app", "wsgi:app", "db", "upgrade"]
    subprocess.run(upgrade, cwd=REPO_ROOT, env={**os.environ, **server_env}, check=True, capture_output=True)

    run = _run_settings()
    warmup_tokens = math.ceil(run.warmup * CEILING_RPS)
    measure_tokens = math.ceil(run.duration * CEILING_RPS)
    with psycopg.connect(database_url) as conn:
        event_id, tokens = _create_world(conn, warmup_tokens + measure_tokens)
    # One file per wrk invocation, so that the measured run never reuses a warm-up contestant.
    (scratch / "tokens-warmup.txt").write_text("\n".join(tokens[:warmup_tokens]) + "\n")
    (scratch / "tokens-measure.txt").write_text("\n".join(tokens[warmup_tokens:]) + "\n")
    return Prepared(server_env=server_env, lua_params={
        "tokens_dir": str(scratch), "threads": str(run.threads), "event_id": str(event_id)})


def verify(conn: psycopg.Connection, figures: Figures) -> dict[str, object]:
    """Exactly min(1,000, entries) seats held, counted twice; the waiting list numbered 1…N with
    no gap; an audit row and an outbox message for every entry; every measured response a 2xx."""
    (entries, holding, waiting, audited, mailed) = conn.execute(
        "SELECT (SELECT count(*) FROM registrations),"
        " (SELECT count(*) FROM registrations WHERE holds_seat),"
        " (SELECT count(*) FROM registrations WHERE status = 'waitlisted'),"
        " (SELECT count(*) FROM audit_entries WHERE action = 'registration.created'),"
        " (SELECT count(*) FROM outbox_messages)").fetchone()
    (seats_taken, waitlist_issued) = conn.execute("SELECT seats_taken, waitlist_issued FROM events").fetchone()
    positions = [p for (p,) in conn.execute(
        "SELECT waitlist_position FROM registrations WHERE status = 'waitlisted' ORDER BY waitlist_position")]
    # Nobody withdraws during the run, so nobody is promoted: an entry has a seat or a position, never both.
    (misfiled,) = conn.execute(
        "SELECT count(*) FROM registrations WHERE holds_seat = (waitlist_position IS NOT NULL)").fetchone()
    facts = {"entries": entries, "ok_2xx_measured": figures.ok_2xx, "seats_held": holding,
             "events.seats_taken": seats_taken, "waitlisted": waiting, "waitlist_issued": waitlist_issued,
             "audit_rows": audited, "outbox_rows": mailed}

    if figures.non_2xx:
        raise InvariantBroken(f"{figures.non_2xx} non-2xx responses: {figures.status_counts}")
    if entries < figures.ok_2xx:
        raise InvariantBroken(f"{figures.ok_2xx} responses were 2xx but only {entries} entries exist")
    expected_seats = min(CAPACITY, entries)
    if not holding == seats_taken == expected_seats:
        raise InvariantBroken(f"{holding} entries hold a seat, the event counts {seats_taken}; "
                              f"expected {expected_seats}")
    if positions != list(range(1, waiting + 1)) or waitlist_issued != waiting:
        gaps = sorted(set(range(1, waitlist_issued + 1)) - set(positions))[:10]
        raise InvariantBroken(f"waiting list of {waiting} not numbered 1…{waiting} (issued {waitlist_issued}; "
                              f"missing e.g. {gaps})")
    if holding + waiting != entries or misfiled:
        raise InvariantBroken(f"{entries} entries, {holding} with a seat, {waiting} waiting, "
                              f"{misfiled} with both or neither")
    if audited != entries or mailed != entries:
        raise InvariantBroken(f"{entries} entries but {audited} audit rows and {mailed} outbox messages")
    return facts


benchmark = Benchmark(
    name="registration",
    description="POST /api/v1/events/<id>/registrations, a distinct contestant and token per request",
    wsgi_target="wsgi:app",
    lua_script="registration.lua",
    prepare=prepare,
    verify=verify,
    targets={"throughput_ratio_min": 0.5, "p99_ms_max": 250},
)
