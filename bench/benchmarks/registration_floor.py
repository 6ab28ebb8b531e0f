"""The floor under `registration`: the registration's own statements, captured from the app
(bench/capture.py), sent one after the other through psycopg in one transaction, with the same
locks, from a bare Flask view (bench/floor_app.py): the token lookup, the event, the entrant's
e-mail choice, the entry's id, the claim, the entry, its audit line, inbox message and e-mail.

The same world, the same requests and the same verify as `registration`: exactly 1,000 seats,
a gap-free waiting list, one audit line and one e-mail per entry. No target: `registration`
is read as a share of it.
"""

from pathlib import Path

from bench.benchmarks import registration
from bench.registry import Benchmark, Prepared
from bench.world import capture_statements


def prepare(database_url: str, scratch: Path) -> Prepared:
    prepared = registration.prepare(database_url, scratch)
    return Prepared(server_env={"BENCH_DATABASE_URL": database_url,
                                "BENCH_CAPTURED": str(capture_statements(scratch))},
                    lua_params={**prepared.lua_params, "prefix": "/floor"})


benchmark = Benchmark(
    name="registration_floor",
    description="the registration's captured statements through psycopg, one transaction, same locks, bare view",
    wsgi_target="bench.floor_app:app",
    lua_script="registration.lua",
    prepare=prepare,
    verify=registration.verify,
)
