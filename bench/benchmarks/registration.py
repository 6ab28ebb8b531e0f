"""Registration through the real app and its API: 64 clients, each request a different contestant
with their own API token, into one event with 1,000 seats and a waiting list.

Every request goes the whole way: token lookup, access rule, eligibility, the seat or waiting-list
counter (one row lock on the event for everybody), the entry, its audit row, and the notification
mail rendered into the outbox. Afterwards exactly 1,000 seats are held, and the waiting list is
numbered 1…N without a gap.
"""

import argparse
import math
import sys
from pathlib import Path

import psycopg

from bench.figures import Figures
from bench.registry import Benchmark, InvariantBroken, Prepared
from bench.world import CAPACITY, create_world, migrate, server_env

CEILING_RPS = 2500
"""More than this app can serve on these machines (registration reaches a few hundred): the
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


def prepare(database_url: str, scratch: Path) -> Prepared:
    env = server_env(database_url)
    migrate(env)

    run = _run_settings()
    warmup_tokens = math.ceil(run.warmup * CEILING_RPS)
    measure_tokens = math.ceil(run.duration * CEILING_RPS)
    with psycopg.connect(database_url) as conn:
        event_id, tokens = create_world(conn, warmup_tokens + measure_tokens)
    # One file per wrk invocation, so that the measured run never reuses a warm-up contestant.
    (scratch / "tokens-warmup.txt").write_text("\n".join(tokens[:warmup_tokens]) + "\n")
    (scratch / "tokens-measure.txt").write_text("\n".join(tokens[warmup_tokens:]) + "\n")
    return Prepared(server_env=env, lua_params={
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
    # Issue 16: a share of the baseline, and of what the registration's own statements allow.
    targets={"throughput_ratio_min": 0.25, "floor_ratio_min": 0.6, "p99_ms_max": 300},
    floor="registration_floor",
)
