"""`python -m bench [names...]`: run the baseline, then the named benchmarks (all when none is named).

Exits with status 1 when a benchmark crashes, fails its verify or misses one of its targets.
"""

import argparse
import shutil
import sys
import traceback
from datetime import UTC, datetime

from bench.harness import Settings, run_benchmark
from bench.outcome import Comparison, Outcome
from bench.registry import BASELINE, all_benchmarks
from bench.report import one_line, table, write_results


def main(argv: list[str] | None = None) -> int:
    benchmarks = all_benchmarks()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="name", help=f"among: {', '.join(sorted(benchmarks))}")
    parser.add_argument("--duration", type=int, default=15, help="seconds measured per benchmark (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before measuring (default 3)")
    parser.add_argument("--connections", type=int, default=64, help="open connections (default 64)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2, one per core)")
    args = parser.parse_args(argv)

    unknown = [name for name in args.names if name not in benchmarks]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(sorted(benchmarks))}")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian package `wrk`)")
    # The baseline first, always: every other figure is read as a ratio to it. Then the floors
    # of the benchmarks asked for (each is read as a share of its floor too), then the rest.
    asked = [name for name in (args.names or sorted(benchmarks)) if name != BASELINE]
    floors = sorted({benchmarks[name].floor for name in asked if benchmarks[name].floor} | {
        name for name in asked if any(b.floor == name for b in benchmarks.values())},
        key=lambda name: (_depth(benchmarks, name), name))   # a floor's own floor before it
    names = [BASELINE] + floors + [name for name in asked if name not in floors]
    settings = Settings(
        duration_s=args.duration, warmup_s=args.warmup, connections=args.connections, threads=args.threads
    )

    started_at = datetime.now(UTC)
    outcomes: list[Outcome] = []
    baseline = None
    measured = {}
    for name in names:
        benchmark = benchmarks[name]
        print(f"{name}: {args.warmup} s warm-up, then {args.duration} s at {args.connections} connections…", flush=True)
        try:
            run = run_benchmark(benchmark, settings)
        except Exception as e:
            if name == BASELINE:
                raise  # without the baseline no figure can be read
            traceback.print_exc()
            crash = f"crashed: {type(e).__name__}: {e}"
            outcomes.append(Outcome(name, benchmark.description, run=None, comparison=None, failures=[crash]))
            print(one_line(outcomes[-1]), flush=True)
            continue
        baseline = baseline or run.figures
        measured[name] = run.figures
        floor = (benchmark.floor, measured[benchmark.floor]) if benchmark.floor in measured else None
        comparison = Comparison.with_baseline(run.figures, baseline, floor)
        failures = [f"verify: {run.verify_failure}"] if run.verify_failure else []
        failures += [f"target {missed}" for missed in comparison.missed(benchmark.targets)]
        outcomes.append(Outcome(name, benchmark.description, run, comparison, failures))
        print(one_line(outcomes[-1]), flush=True)
        for failure in failures:
            print(f"  FAIL {failure}", flush=True)

    json_path = write_results(outcomes, settings, started_at)
    print(f"\n{table(outcomes)}\n\nWritten: {json_path.relative_to(json_path.parents[2])} and bench/results/latest.md")
    failed = [outcome.name for outcome in outcomes if outcome.failures]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _depth(benchmarks: dict, name: str) -> int:
    """How many floors lie under `name` (api_floor over token_floor: 1)."""
    floor = benchmarks[name].floor
    return 0 if floor is None else 1 + _depth(benchmarks, floor)


if __name__ == "__main__":
    sys.exit(main())
