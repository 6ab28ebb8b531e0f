"""Judges entering marks through the API: 50 judges at once — five events of 80 approved entries,
each with a scheme of 30 judgement aspects (six criteria of five) and a panel of ten judges —
each request one judge's screen (one contestant, one criterion: five marks with client ids) to
POST /api/v1/scoring/panels/<id>/sheets/<id>/marks, with that judge's API token.

Every request goes the whole way: token, the panel.member relation, the sheet (own only), who
the judge may see, every mark checked against its scale, the version's and the sheet's row
locks, the marks and their receipts. The measured run enters new marks only (bench/lua/
score_submit.lua); its reference is the API floor (GET /api/v1/me with the judges' tokens)
measured on the same server just before it, so the ratio is of the same minutes: the target is
at least 0.8 of the floor's throughput and a p99 of at most 150 ms. Afterwards every 2xx
response's five marks have a receipt, and no mark was stored twice.
"""

import json
import os
import tempfile
from pathlib import Path

import psycopg

from bench.benchmarks.results import run_module
from bench.harness import run_wrk, running_server
from bench.outcome import Run
from bench.registry import Benchmark, Prepared
from bench.world import migrate, server_env

EVENTS, CONTESTANTS, ASPECTS, JUDGES = 5, 80, 30, 10
FLOOR_RATIO_MIN = 0.8
# Screens the measured run starts after, per judge: past what the warm-up can reach.
OFFSET = 100


def prepare(database_url: str, scratch: Path) -> Prepared:
    env = server_env(database_url)
    migrate(env)
    spec = {"events": EVENTS, "contestants": CONTESTANTS, "aspects": ASPECTS, "judges": JUDGES, "marks": False}
    run_module("bench.scoring_world", [json.dumps(spec), str(scratch / "world.json")], env)
    world = json.loads((scratch / "world.json").read_text())
    lines, tokens = [], []
    for event in world["events"]:
        contestants = ",".join(map(str, event["registrations"]))
        criteria = ";".join(",".join(map(str, c)) for c in event["criteria"])
        for judge in event["judges"]:
            lines.append(f"{event['panel_id']} {judge['sheet_id']} {judge['token']} {contestants} {criteria}")
            tokens.append(judge["token"])
    (scratch / "judges.txt").write_text("\n".join(lines) + "\n")
    (scratch / "tokens.txt").write_text("\n".join(tokens) + "\n")
    return Prepared(server_env=env, lua_params={"tokens_dir": str(scratch), "offset": str(OFFSET)})


def measure(database_url: str, prepared: Prepared, settings) -> Run:
    params = {**prepared.lua_params, "threads": str(settings.threads)}
    with tempfile.TemporaryDirectory(prefix="jiyi-bench-score-submit-") as scratch:
        with running_server("wsgi:app", prepared.server_env, Path(scratch) / "gunicorn.log") as base_url:
            run_wrk(base_url, "api_floor.lua", settings, settings.warmup_s, {**params, "run": "warmup"})
            floor = run_wrk(base_url, "api_floor.lua", settings, settings.duration_s, {**params, "run": "floor"})
            warmup = run_wrk(base_url, "score_submit.lua", settings, settings.warmup_s, {**params, "run": "warmup"})
            figures = run_wrk(base_url, "score_submit.lua", settings, settings.duration_s, {**params, "run": "measure"})
    ratio = figures.throughput / floor.throughput
    facts = {"api_floor": floor.as_dict(), "throughput_over_api_floor": round(ratio, 3),
             "load_average": [round(load, 2) for load in os.getloadavg()]}
    failures = []
    if ratio < FLOOR_RATIO_MIN:
        failures.append(f"throughput {ratio:.2f} of the API floor measured beside it (target ≥ {FLOOR_RATIO_MIN})")
    with psycopg.connect(database_url, autocommit=True) as conn:
        (marks, receipts, distinct) = conn.execute(
            "SELECT (SELECT count(*) FROM marks), (SELECT count(*) FROM mark_receipts),"
            " (SELECT count(DISTINCT (sheet_id, aspect_id, registration_id, attempt)) FROM marks)").fetchone()
    facts |= {"marks": marks, "receipts": receipts, "ok_2xx_measured": figures.ok_2xx,
              "ok_2xx_warmup": warmup.ok_2xx}
    if figures.non_2xx or warmup.non_2xx:
        failures.append(f"non-2xx responses: {figures.status_counts} (warm-up {warmup.status_counts})")
    if receipts < 5 * (figures.ok_2xx + warmup.ok_2xx) or distinct != marks:
        failures.append(f"{receipts} receipts for {figures.ok_2xx + warmup.ok_2xx} answered screens; "
                        f"{marks} marks in {distinct} cells")
    return Run(figures=figures, warmup=warmup, facts=facts, verify_failure="; ".join(failures) or None)


benchmark = Benchmark(
    name="score_submit",
    description="POST /api/v1/scoring/panels/<id>/sheets/<id>/marks: 50 judges, a screen of five marks per request",
    wsgi_target="wsgi:app",
    lua_script="score_submit.lua",
    prepare=prepare,
    measure=measure,
    targets={"p99_ms_max": 150},
)
