"""The baseline: a bare Flask view that inserts one row, the ceiling the real app is measured against.

Run by bench/benchmarks/baseline.py as `bench.baseline_app:app`; reads the database URL from
BENCH_DATABASE_URL. The table `bench_rows` is created by that benchmark's `prepare`.
"""

import os

from flask import Flask, request
from psycopg_pool import ConnectionPool

app = Flask(__name__)

_pool: ConnectionPool | None = None


def pool() -> ConnectionPool:
    """This worker's connection pool, opened on first use so that it is never shared across a fork."""
    global _pool
    if _pool is None:
        _pool = ConnectionPool(os.environ["BENCH_DATABASE_URL"], min_size=2, max_size=4, open=True)
    return _pool


@app.post("/insert")
def insert():
    """Insert one row from the JSON body {ext_id, payload} and return its id."""
    body = request.get_json()
    with pool().connection() as conn:
        (row_id,) = conn.execute(
            "INSERT INTO bench_rows (ext_id, payload) VALUES (%s, %s) RETURNING id",
            (body["ext_id"], body["payload"]),
        ).fetchone()
    return {"id": row_id}, 201
