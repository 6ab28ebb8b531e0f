"""A class arriving: trainees checking in to a course session with the token of its rotating QR
code, through the real app and its API — `POST /api/v1/trainings/sessions/<id>/check-ins`, each
request a different trainee with their own API token (issue 14: 200 trainees within a minute;
here as many as the run can take, so that every request does the whole work of a first scan).

Every request: token lookup, access rule, the session and its class, the QR token's signature
and age, the trainee's enrolment, the attendance row (INSERT … ON CONFLICT DO NOTHING). After
the run: one attendance per trainee who got a 201, none twice, all for the one session.

Targets (issue 14): p99 ≤ 200 ms, throughput ≥ 0.8 of api_floor's in the same invocation (its floor, run first):
    python -m bench attendance
"""

import math
from datetime import UTC, datetime, timedelta

import psycopg

from app.core.documents import tokens
from app.trainings.services.checkin import PURPOSE
from bench.benchmarks.registration import CEILING_RPS, _run_settings
from bench.figures import Figures
from bench.registry import Benchmark, InvariantBroken, Prepared
from bench.world import create_world, migrate, server_env

QR_WINDOW_S = 600   # the class's code window: the token outlives the preparation, the warm-up and the run


def _class_and_session(conn: psycopg.Connection, trainees: int) -> int:
    """One running class holding every prepared person (persons 1…trainees) and a session on now."""
    now = datetime.now(UTC)
    today = now.date()
    (class_id,) = conn.execute(
        "INSERT INTO training_classes (year, title, category, state, format, starts_on, ends_on, capacity, opens_at,"
        " closes_at, requires_member_unit, only_commissioning_unit, min_attendance_percent, pass_mark,"
        " checkin_grace_minutes, qr_window_seconds, is_referee_training, seats_taken, waitlist_issued, waitlist_left,"
        " has_unit_quotas, created_at, updated_at)"
        " VALUES (%s, '配电网运维技能提升培训班（基准）', 'skill_upgrade', 'running', 'in_person', %s, %s, %s, %s, %s,"
        " false, false, 80, 60, 15, %s, false, %s, 0, 0, false, %s, %s) RETURNING id",
        (today.year, today - timedelta(days=1), today + timedelta(days=1), trainees, now - timedelta(days=10),
         now - timedelta(days=2), QR_WINDOW_S, trainees, now, now)).fetchone()
    (session_id,) = conn.execute(
        "INSERT INTO course_sessions (class_id, title, kind, starts_at, ends_at, hours, place, created_at)"
        " VALUES (%s, '带电作业安全规程', 'lecture', %s, %s, 3, '培训中心201', %s) RETURNING id",
        (class_id, now - timedelta(minutes=10), now + timedelta(hours=3), now)).fetchone()
    with conn.cursor().copy("COPY enrolments (class_id, person_id, organisation_id, status, is_active, holds_seat,"
                            " counts_against_quota, channel, created_at, updated_at) FROM STDIN") as copy:
        for person_id in range(1, trainees + 1):
            copy.write_row((class_id, person_id, None, "enrolled", True, True, False, "self", now, now))
    return session_id


def prepare(database_url: str, scratch):
    env = server_env(database_url)
    migrate(env)
    run = _run_settings()
    warmup_tokens = math.ceil(run.warmup * CEILING_RPS)
    measure_tokens = math.ceil(run.duration * CEILING_RPS)
    with psycopg.connect(database_url) as conn:
        _event_id, api_tokens = create_world(conn, warmup_tokens + measure_tokens)
        session_id = _class_and_session(conn, len(api_tokens))
    (scratch / "tokens-warmup.txt").write_text("\n".join(api_tokens[:warmup_tokens]) + "\n")
    (scratch / "tokens-measure.txt").write_text("\n".join(api_tokens[warmup_tokens:]) + "\n")
    # The screen's code, signed with the server's key as the screen would sign it.
    qr = tokens.sign(tokens.TokenKind(PURPOSE, max_age_s=QR_WINDOW_S), {"s": session_id}, secret=env["SECRET_KEY"])
    return Prepared(server_env=env, lua_params={"tokens_dir": str(scratch), "threads": str(run.threads),
                                                "session_id": str(session_id), "qr_token": qr})


def verify(conn: psycopg.Connection, figures: Figures) -> dict[str, object]:
    """Every measured response a 2xx; one attendance per trainee, all by QR, for the one session;
    at least as many as the 201s measured (the warm-up's are there too)."""
    (rows, people, sessions, by_qr) = conn.execute(
        "SELECT count(*), count(DISTINCT person_id), count(DISTINCT session_id),"
        " count(*) FILTER (WHERE method = 'qr') FROM attendances").fetchone()
    facts = {"attendances": rows, "trainees": people, "sessions": sessions, "ok_2xx_measured": figures.ok_2xx}
    if figures.non_2xx:
        raise InvariantBroken(f"{figures.non_2xx} non-2xx responses: {figures.status_counts}")
    if rows != people or sessions > 1 or by_qr != rows:
        raise InvariantBroken(f"{rows} attendances for {people} trainees in {sessions} sessions, {by_qr} by QR")
    if rows < figures.ok_2xx:
        raise InvariantBroken(f"{figures.ok_2xx} responses were 2xx but only {rows} attendances exist")
    return facts


benchmark = Benchmark(
    name="attendance",
    description="POST /api/v1/trainings/sessions/<id>/check-ins: a distinct trainee per request, the QR code's token",
    wsgi_target="wsgi:app",
    lua_script="attendance.lua",
    prepare=prepare,
    verify=verify,
    targets={"p99_ms_max": 200, "floor_ratio_min": 0.8},
    floor="api_floor",
)
