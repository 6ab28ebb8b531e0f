"""The floor under every call of the API: GET /api/v1/me with a contestant's token.

It says what the framework, the token lookup and the access rule cost before a view does any
work of its own (issue 16: at least 0.6 of the baseline), read as a share of `token_floor` too. A benchmark of an API that writes can only
be slower than this one, so its ratio to the baseline tells how much of a target is left for
the view itself.
"""

from pathlib import Path

import psycopg

from bench.figures import Figures
from bench.registry import Benchmark, InvariantBroken, Prepared
from bench.world import create_world, migrate, server_env

CONTESTANTS = 5000


def prepare(database_url: str, scratch: Path) -> Prepared:
    env = server_env(database_url)
    migrate(env)
    with psycopg.connect(database_url) as conn:
        _event_id, tokens = create_world(conn, CONTESTANTS)
    (scratch / "tokens.txt").write_text("\n".join(tokens) + "\n")
    return Prepared(server_env=env, lua_params={"tokens_dir": str(scratch)})


def verify(conn: psycopg.Connection, figures: Figures) -> dict[str, object]:
    if figures.non_2xx:
        raise InvariantBroken(f"{figures.non_2xx} non-2xx responses: {figures.status_counts}")
    return {"ok_2xx_measured": figures.ok_2xx}


benchmark = Benchmark(
    name="api_floor",
    description="GET /api/v1/me with a token: the framework, token lookup and access rule, no work of a view",
    wsgi_target="wsgi:app",
    lua_script="api_floor.lua",
    prepare=prepare,
    verify=verify,
    targets={"throughput_ratio_min": 0.6},  # issue 16
    floor="token_floor",
)
