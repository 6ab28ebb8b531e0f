"""Showing outcomes: a line per benchmark as it finishes, a table, and the files in bench/results/."""

import json
import os
import platform
import subprocess
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import psycopg

from bench.harness import ADMIN_URL, REPO_ROOT, Settings
from bench.outcome import Outcome

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def one_line(outcome: Outcome) -> str:
    if outcome.run is None:
        return f"{outcome.name}: {outcome.failures[0]}"
    f, c = outcome.run.figures, outcome.comparison
    latency = f.latency_ms
    floor = f", × {c.floor}: {c.floor_ratio:.2f}" if c.floor_ratio is not None else ""
    return (
        f"{outcome.name}: {f.throughput:,.0f} req/s, "
        f"p50 {latency['p50']:.1f} / p95 {latency['p95']:.1f} / p99 {latency['p99']:.1f} ms, "
        f"errors {f.socket_errors}, non-2xx {f.non_2xx}, "
        f"× baseline: throughput {c.throughput_ratio:.2f}, p99 {c.p99_ratio:.2f}{floor}; "
        f"load at start {outcome.run.load_at_start[0]:.2f}"
    )


def table(outcomes: list[Outcome]) -> str:
    """A markdown table of every outcome."""
    rows = [
        "| benchmark | load at start | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx "
        "| req/s ÷ baseline | req/s ÷ floor | p99 ÷ baseline | result |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for outcome in outcomes:
        result = "ok" if not outcome.failures else "FAIL: " + "; ".join(outcome.failures)
        if outcome.run is None:
            rows.append(f"| {outcome.name} | | | | | | | | | | | {result} |")
            continue
        f, c = outcome.run.figures, outcome.comparison
        latency = f.latency_ms
        floor = f"{c.floor_ratio:.2f} ({c.floor})" if c.floor_ratio is not None else ""
        rows.append(
            f"| {outcome.name} | {outcome.run.load_at_start[0]:.2f} | {f.throughput:,.0f} | {latency['p50']:.1f} "
            f"| {latency['p95']:.1f} | {latency['p99']:.1f} | {f.socket_errors} | {f.non_2xx} "
            f"| {c.throughput_ratio:.2f} | {floor} | {c.p99_ratio:.2f} | {result} |"
        )
    return "\n".join(rows)


def write_results(outcomes: list[Outcome], settings: Settings, started_at: datetime) -> Path:
    """Write bench/results/<UTC timestamp>.json and rewrite bench/results/latest.md; return the JSON's path."""
    stamp = started_at.strftime("%Y%m%dT%H%M%SZ")
    machine = machine_facts()
    document = {
        "started_at": started_at.isoformat(),
        "settings": settings.as_dict(),
        "machine": machine,
        "benchmarks": [as_dict(outcome) for outcome in outcomes],
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    json_path = RESULTS_DIR / f"{stamp}.json"
    json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    (RESULTS_DIR / "latest.md").write_text(
        f"# Latest benchmark run: {started_at:%Y-%m-%d %H:%M} UTC\n\n"
        f"Commit `{machine['git_commit'] or 'none yet'}`{' (uncommitted changes)' if machine['git_dirty'] else ''}, "
        f"{machine['nproc']} cores, {machine['wrk_version']}; load average (1 min) as each benchmark's load began "
        f"in the table; "
        f"{settings.connections} connections, {settings.threads} wrk threads, "
        f"{settings.duration_s} s after {settings.warmup_s} s of warm-up, "
        f"gunicorn {settings.as_dict()['gunicorn_workers']} sync workers. "
        f"All figures: [{json_path.name}]({json_path.name}).\n\n"
        f"{table(outcomes)}\n"
    )
    return json_path


def as_dict(outcome: Outcome) -> dict[str, object]:
    document: dict[str, object] = {"name": outcome.name, "description": outcome.description}
    if outcome.run is not None:
        document |= {
            "figures": outcome.run.figures.as_dict(),
            "warmup": outcome.run.warmup.as_dict(),
            "comparison_with_baseline": asdict(outcome.comparison),
            "load_average_at_start": list(outcome.run.load_at_start),
            "verified": outcome.run.facts,
        }
    return document | {"failures": outcome.failures}


def machine_facts() -> dict[str, object]:
    with psycopg.connect(ADMIN_URL) as conn:
        (postgres_version,) = conn.execute("SHOW server_version").fetchone()
    return {
        "nproc": os.cpu_count(),
        "load_average_when_written": [round(load, 2) for load in os.getloadavg()],
        "python": platform.python_version(),
        "postgres": postgres_version,
        "wrk_version": wrk_version(),
        "git_commit": command_output(["git", "rev-parse", "HEAD"]).strip() or None,
        "git_dirty": bool(command_output(["git", "status", "--porcelain", "--untracked-files=no"]).strip()),
    }


def wrk_version() -> str:
    # `wrk --version` prints its version, then its usage, and exits with status 1.
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return done.stdout.split(" Copyright")[0]


def command_output(command: list[str]) -> str:
    """Standard output of `command` run from the repository root, or "" when it fails."""
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else ""
