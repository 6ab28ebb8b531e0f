"""Running one benchmark: a fresh database, a gunicorn server on it, wrk against the server, verify.

The database is dropped and the server stopped whatever happens; only 127.0.0.1 is ever targeted.
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bench.figures import Figures
from bench.outcome import Run
from bench.registry import Benchmark

REPO_ROOT = Path(__file__).resolve().parent.parent
LUA_DIR = Path(__file__).resolve().parent / "lua"

ADMIN_URL = os.environ.get("JIYI_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
"""A URL (not a key=value string) of any database on the server; benchmark databases are created beside it."""

GUNICORN_WORKERS = 4
SERVER_START_TIMEOUT_S = 120  # four workers importing the app on a busy 2-core machine
SERVER_STOP_TIMEOUT_S = 30


@dataclass(frozen=True)
class Settings:
    duration_s: int
    warmup_s: int
    connections: int
    threads: int
    timeout_s: int = 2
    """wrk's own default: a slower response counts as a timeout error."""

    def as_dict(self) -> dict[str, object]:
        return {**self.__dict__, "gunicorn_workers": GUNICORN_WORKERS, "gunicorn_worker_class": "sync"}


def run_benchmark(benchmark: Benchmark, settings: Settings) -> Run:
    """Prepare a fresh database, serve `benchmark.wsgi_target` on it, warm up, measure, stop, verify."""
    with (
        tempfile.TemporaryDirectory(prefix=f"jiyi-bench-{benchmark.name}-") as scratch,
        fresh_database(ADMIN_URL) as database_url,
    ):
        prepared = benchmark.prepare(database_url, Path(scratch))
        if benchmark.measure is not None:   # its own way of measuring (bench/registry.py)
            load_at_start = tuple(round(value, 2) for value in os.getloadavg())
            return replace(benchmark.measure(database_url, prepared, settings), load_at_start=load_at_start)
        log_path = Path(scratch) / "gunicorn.log"
        with running_server(benchmark.wsgi_target, prepared.server_env, log_path) as base_url:

            def load(run: str, duration_s: int) -> Figures:
                # `run` goes into every request id: the two runs share one database.
                params = {**prepared.lua_params, "run": run}
                return run_wrk(base_url, benchmark.lua_script, settings, duration_s, params)

            # Read as the load begins, not when results are written: the others' load is the
            # one that bends this benchmark's figures.
            load_at_start = tuple(round(value, 2) for value in os.getloadavg())
            warmup = load("warmup", settings.warmup_s)
            figures = load("measure", settings.duration_s)
        facts, failure = {}, None
        if benchmark.verify is not None:
            # After the server has stopped, so every request it accepted has finished.
            with psycopg.connect(database_url, autocommit=True) as conn:
                try:
                    facts = benchmark.verify(conn, figures)
                except Exception as e:  # an assert in verify is as much a failure as InvariantBroken
                    failure = f"{type(e).__name__}: {e}"
    return Run(figures=figures, warmup=warmup, facts=facts, verify_failure=failure, load_at_start=load_at_start)


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """Create an empty database `jiyi_bench_<random>`, yield its URL, drop it afterwards."""
    name = f"jiyi_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def running_server(wsgi_target: str, env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Start gunicorn on `wsgi_target` from the repository root, yield its base URL once it answers, stop it."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(GUNICORN_WORKERS), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        # Else every gunicorn on the machine shares ~/.gunicorn/gunicorn.ctl.
        "--no-control-socket",
        wsgi_target,
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        # Its own session, so that a stuck server can be killed with its workers.
        server = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_answering(server, port)
        yield f"http://127.0.0.1:{port}"
    except Exception:
        print(f"--- last lines of gunicorn's log ---\n{tail(log_path)}", file=sys.stderr)
        raise
    finally:
        stop(server)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answering(server: subprocess.Popen, port: int) -> None:
    """Return once the server answers any HTTP request; raises RuntimeError if it exits or takes too long."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode} before answering")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/")
            conn.getresponse()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            conn.close()
    raise RuntimeError(f"gunicorn did not answer within {SERVER_START_TIMEOUT_S} s")


def stop(server: subprocess.Popen) -> None:
    """Stop gracefully (requests in flight finish), or kill the server's process group."""
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=SERVER_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def run_wrk(base_url: str, lua_script: str, settings: Settings, duration_s: int, params: dict[str, str]) -> Figures:
    """Run wrk with `lua_script`, passing `params` as JIYI_BENCH_LUA_<NAME>; raises RuntimeError if wrk fails."""
    command = [
        "wrk",
        "--threads", str(settings.threads),
        "--connections", str(settings.connections),
        "--duration", f"{duration_s}s",
        "--timeout", f"{settings.timeout_s}s",
        "--script", str(LUA_DIR / lua_script),
        base_url,
    ]  # fmt: skip
    env = {
        **os.environ,
        "LUA_PATH": f"{LUA_DIR}/?.lua;;",  # so that scripts can require("common")
        **{f"JIYI_BENCH_LUA_{name.upper()}": value for name, value in params.items()},
    }
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=duration_s + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited with status {done.returncode}:\n{done.stdout}{done.stderr}")
    try:
        return Figures.from_wrk_output(done.stdout)
    except ValueError:
        raise RuntimeError(f"wrk printed no figures:\n{done.stdout}{done.stderr}") from None
