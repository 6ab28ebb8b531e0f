"""The floor under `api_floor`: the API's token lookup, the app's own statement captured from it
(bench/capture.py), sent through psycopg from a bare Flask view (bench/floor_app.py).

No target: `api_floor` is read as a share of it. What is left between the two is the
framework and the app's Python around that one statement.
"""

from pathlib import Path

from bench.benchmarks import api_floor
from bench.registry import Benchmark, Prepared
from bench.world import capture_statements


def prepare(database_url: str, scratch: Path) -> Prepared:
    prepared = api_floor.prepare(database_url, scratch)
    return Prepared(server_env={"BENCH_DATABASE_URL": database_url,
                                "BENCH_CAPTURED": str(capture_statements(scratch))},
                    lua_params={**prepared.lua_params, "path": "/floor/me"})


benchmark = Benchmark(
    name="token_floor",
    description="GET /floor/me: the app's token lookup (token, user, person, grants) through psycopg, bare view",
    wsgi_target="bench.floor_app:app",
    lua_script="api_floor.lua",
    prepare=prepare,
    verify=api_floor.verify,
)
