"""The baseline: one INSERT … RETURNING behind a bare Flask view (bench/baseline_app.py).

Every run of `python -m bench` measures it first; other benchmarks report their ratio to it.
"""

from pathlib import Path

import psycopg

from bench.figures import Figures
from bench.registry import Benchmark, InvariantBroken, Prepared


def prepare(database_url: str, scratch: Path) -> Prepared:
    with psycopg.connect(database_url) as conn:
        conn.execute(
            """
            CREATE TABLE bench_rows (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                ext_id text NOT NULL UNIQUE,
                payload text NOT NULL
            )
            """
        )
    return Prepared(server_env={"BENCH_DATABASE_URL": database_url})


def verify(conn: psycopg.Connection, figures: Figures) -> dict[str, object]:
    """Every 2xx of the measured run is a row; raises InvariantBroken otherwise.

    A request still in flight when wrk stops is served but not counted by wrk, so there may be
    up to one more row than 2xx responses per connection.
    """
    (rows,) = conn.execute("SELECT count(*) FROM bench_rows WHERE ext_id LIKE 'measure-%'").fetchone()
    facts = {"rows": rows, "ok_2xx": figures.ok_2xx, "served_after_wrk_stopped": rows - figures.ok_2xx}
    if figures.non_2xx:
        raise InvariantBroken(f"{figures.non_2xx} non-2xx responses: {figures.status_counts}")
    if rows < figures.ok_2xx:
        raise InvariantBroken(f"{figures.ok_2xx} responses were 2xx but only {rows} rows were inserted")
    return facts


benchmark = Benchmark(
    name="baseline",
    description="bare Flask view, one INSERT … RETURNING through a psycopg pool",
    wsgi_target="bench.baseline_app:app",
    lua_script="baseline.lua",
    prepare=prepare,
    verify=verify,
)
