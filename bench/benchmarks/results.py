"""Live results of a big field, in the app itself: 2,000 contestants × 30 aspects × 5 judges
(300,000 handed-in marks) on PostgreSQL, against the bare SQL aggregate over the same marks
measured alternately in the same process (bench/live_results.py).

Not a load test: no server and no wrk. Its figures are seconds per run: "req/s" in the table
is runs per second of the live results, p50 their median, p99 their slowest. The targets, in
its verify line: the median live run takes at most 5× the median bare aggregate; resident
memory is flat from run to run (a leak would grow it); and both give every contestant the same
total (the aggregate rounds each aspect's trimmed mean to 2 places, as the scheme does).
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.figures import Figures
from bench.harness import REPO_ROOT
from bench.outcome import Run
from bench.registry import Benchmark, Prepared
from bench.world import migrate, server_env

CONTESTANTS, ASPECTS, JUDGES = 2000, 30, 5
RUNS = 5
RATIO_MAX = 5.0
GROWTH_MAX_MB = 16.0    # resident memory from the first measured run to the last


def run_module(module: str, args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO_ROOT, env={**os.environ, **env},
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{module} exited with status {done.returncode}:\n{done.stderr[-3000:]}")


def prepare(database_url: str, scratch: Path) -> Prepared:
    env = server_env(database_url)
    migrate(env)
    spec = {"events": 1, "contestants": CONTESTANTS, "aspects": ASPECTS, "judges": JUDGES, "marks": True}
    run_module("bench.scoring_world", [json.dumps(spec), str(scratch / "world.json")], env)
    return Prepared(server_env=env, lua_params={"world": str(scratch / "world.json")})


def _figures(seconds: list[float]) -> Figures:
    ms = sorted(s * 1000 for s in seconds)
    return Figures(requests=len(ms), duration_s=sum(seconds), ok_2xx=len(ms), non_2xx=0, status_counts={},
                   errors={}, latency_ms={"p50": statistics.median(ms), "p95": ms[-1], "p99": ms[-1], "max": ms[-1]})


def measure(database_url: str, prepared: Prepared, settings) -> Run:
    world = prepared.lua_params["world"]
    out = str(Path(world).with_name("timings.json"))
    run_module("bench.live_results", [world, str(RUNS), out], prepared.server_env)
    with open(out) as source:
        timings = json.load(source)
    live, bare = statistics.median(timings["live_s"]), statistics.median(timings["aggregate_s"])
    memory = timings["resident_mb"]
    facts = {"contestants": timings["contestants"], "marks": timings["marks"],
             "live_median_s": round(live, 3), "aggregate_median_s": round(bare, 3),
             "live_over_aggregate": round(live / bare, 2), "live_s": [round(s, 3) for s in timings["live_s"]],
             "aggregate_s": [round(s, 3) for s in timings["aggregate_s"]], "resident_mb": memory,
             "peak_resident_mb": timings["peak_resident_mb"], "totals_agree": timings["totals_agree"],
             "load_average": [round(load, 2) for load in os.getloadavg()]}
    failures = []
    if live / bare > RATIO_MAX:
        failures.append(f"live results took {live / bare:.2f}× the bare SQL aggregate (target ≤ {RATIO_MAX:g}×)")
    if memory[-1] - memory[0] > GROWTH_MAX_MB:
        failures.append(f"resident memory grew {memory[-1] - memory[0]:.0f} MB over {RUNS} runs: {memory}")
    if timings["marks"] != CONTESTANTS * ASPECTS * JUDGES or not timings["totals_agree"]:
        failures.append(f"{timings['marks']} marks read; totals agree with the aggregate: {timings['totals_agree']}")
    warmup = _figures([timings["warmup_live_s"]])
    return Run(figures=_figures(timings["live_s"]), warmup=warmup, facts=facts,
               verify_failure="; ".join(failures) or None)


benchmark = Benchmark(
    name="results",
    description="live results of 2,000 contestants × 30 aspects × 5 judges, in process, beside the bare SQL "
                "aggregate (figures: seconds per run)",
    wsgi_target="",
    lua_script="",
    prepare=prepare,
    measure=measure,
)
