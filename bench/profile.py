"""Profile the app's own Python on one kind of request, in one process, with py-spy.

    python -m bench.profile registration --requests 2000 --out bench/results/profile-registration.txt
    python -m bench.profile me --requests 4000 --out …

Prepares a world as the benchmarks do (a fresh database, migrated, one open event, contestants
with tokens), then answers the requests one after another in this process through Flask's test
client, under `py-spy record` (requirements-dev.txt) attached to it. Writes a short summary:
py-spy's samples per request, and the functions that hold the most samples (inclusive), so that
profiles before and after a change can be read side by side. No load generator, no server:
the figure is CPU per request, which a busy machine changes less than throughput.
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench.harness import ADMIN_URL, fresh_database
from bench.world import create_world, migrate, server_env


def answer(kind: str, requests: int, event_id: int, tokens: list[str]) -> None:
    from app import create_app

    app = create_app()
    client = app.test_client()
    for n in range(requests):
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
        if kind == "me":
            response = client.get("/api/v1/me", headers=headers)
        else:
            response = client.post(f"/api/v1/events/{event_id}/registrations", json={}, headers=headers)
        if response.status_code >= 300:
            raise RuntimeError(f"{response.status_code}: {response.get_data(as_text=True)}")
        response.close()


def summary(raw: Path, requests: int, top: int = 25) -> str:
    """Samples per request, and the `top` functions by inclusive samples (own code, libraries)."""
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        count = int(count)
        total += count
        for frame in set(stack.split(";")):
            name, _, where = frame.partition(" (")
            where = where.rstrip(")")
            inclusive[f"{name} ({where.split('site-packages/')[-1].split('/wt/cost/')[-1]})"] += count
    lines = [f"samples: {total} for {requests} requests = {total / requests:.2f} per request", "",
             "| inclusive samples per request | function (file:line) |", "|--:|---|"]
    for frame, count in inclusive.most_common(top):
        lines.append(f"| {count / requests:.2f} | {frame} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("kind", choices=["me", "registration"])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy")
    parser.add_argument("--answer", nargs=2, help=argparse.SUPPRESS)  # the profiled child: URL, tokens file
    args = parser.parse_args()
    if args.answer:
        url, tokens_file = args.answer
        lines = Path(tokens_file).read_text().split()
        answer(args.kind, args.requests, int(lines[0]), lines[1:])
        return
    with tempfile.TemporaryDirectory() as scratch, fresh_database(ADMIN_URL) as url:
        env = server_env(url)
        migrate(env)
        with psycopg.connect(url) as conn:
            event_id, tokens = create_world(conn, args.requests if args.kind == "registration" else 200)
        tokens_file = Path(scratch) / "tokens.txt"
        tokens_file.write_text("\n".join([str(event_id), *tokens]) + "\n")
        raw = Path(scratch) / "raw.txt"
        started = time.monotonic()
        subprocess.run([args.py_spy, "record", "--nonblocking", "--rate", "100", "--format", "raw", "--output", str(raw), "--",
                        sys.executable, "-m", "bench.profile", args.kind, "--requests", str(args.requests),
                        "--out", str(args.out), "--answer", url, str(tokens_file)],
                       env={**os.environ, **env}, check=True, capture_output=True)
        elapsed = time.monotonic() - started
        args.out.write_text(f"# py-spy: {args.kind}, {args.requests} requests in one process "
                            f"({elapsed:.0f} s, load average {os.getloadavg()[0]:.1f})\n\n"
                            + summary(raw, args.requests))
    print(args.out.read_text())


if __name__ == "__main__":
    main()
