"""Certificates: 4,000 completion certificates in one batch, in process (bench/certificate_batch.py),
beside 4,000 bare reportlab pages with the same background and one QR code, same run.

Not a load test: no server and no wrk. Targets, in its verify line: the batch takes at most
1.5× the bare pages; the peak resident memory of a 4,000 batch is at most that of a 400 batch
plus 50 MB (each in a process of its own). "req/s" in the table is certificates per second.
"""

import json
import os
from pathlib import Path

from bench.benchmarks.results import run_module
from bench.figures import Figures
from bench.outcome import Run
from bench.registry import Benchmark, Prepared
from bench.world import migrate, server_env

BIG, SMALL = 4000, 400
RATIO_MAX = 1.5
MEMORY_MARGIN_MB = 50.0


def prepare(database_url: str, scratch: Path) -> Prepared:
    env = server_env(database_url)
    migrate(env)
    return Prepared(server_env=env, lua_params={"scratch": str(scratch)})


def _figures(count: int, seconds: float) -> Figures:
    per = seconds * 1000 / count
    return Figures(requests=count, duration_s=seconds, ok_2xx=count, non_2xx=0, status_counts={}, errors={},
                   latency_ms={"p50": per, "p95": per, "p99": per, "max": per})


def _timed(mode: str, count: int, prepared: Prepared) -> dict:
    out = str(Path(prepared.lua_params["scratch"]) / f"{mode}-{count}.json")
    run_module("bench.certificate_batch", [mode, str(count), out], prepared.server_env)
    with open(out) as source:
        return json.load(source)


def measure(database_url: str, prepared: Prepared, settings) -> Run:
    small = _timed("batch", SMALL, prepared)
    bare = _timed("bare", BIG, prepared)
    big = _timed("batch", BIG, prepared)
    ratio = big["seconds"] / bare["seconds"]
    facts = {"batch_4000_s": round(big["seconds"], 2), "bare_4000_s": round(bare["seconds"], 2),
             "batch_over_bare": round(ratio, 2), "peak_mb_4000": round(big["peak_mb"], 1),
             "peak_mb_400": round(small["peak_mb"], 1), "bare_peak_mb": round(bare["peak_mb"], 1),
             "load_average": [round(load, 2) for load in os.getloadavg()]}
    failures = []
    if ratio > RATIO_MAX:
        failures.append(f"the batch took {ratio:.2f}× the bare pages (target ≤ {RATIO_MAX:g}×)")
    if big["peak_mb"] > small["peak_mb"] + MEMORY_MARGIN_MB:
        failures.append(f"peak memory {big['peak_mb']:.0f} MB for {BIG}, {small['peak_mb']:.0f} MB for {SMALL} "
                        f"(target ≤ +{MEMORY_MARGIN_MB:g} MB)")
    return Run(figures=_figures(BIG, big["seconds"]), warmup=_figures(SMALL, small["seconds"]), facts=facts,
               verify_failure="; ".join(failures) or None)


benchmark = Benchmark(
    name="certificates",
    description="4,000 completion certificates in one batch, in process, beside 4,000 bare reportlab pages "
                "with the same background and one QR code (figures: certificates per second)",
    wsgi_target="",
    lua_script="",
    prepare=prepare,
    measure=measure,
)
