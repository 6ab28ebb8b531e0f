"""What a benchmark declares, and finding every benchmark module under bench/benchmarks/."""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench import benchmarks
from bench.figures import Figures
from bench.outcome import TARGETS

BASELINE = "baseline"


@dataclass(frozen=True)
class Prepared:
    """What `prepare` hands to the run once the database is ready."""

    server_env: dict[str, str]
    """Added to the environment of gunicorn, e.g. {"DATABASE_URL": ...}."""

    lua_params: dict[str, str] = field(default_factory=dict)
    """Read in the Lua script with bench.param(name), e.g. {"tokens_file": ...}."""


@dataclass(frozen=True)
class Benchmark:
    name: str
    description: str
    wsgi_target: str
    """Passed to gunicorn, run from the repository root: "wsgi:app"."""

    lua_script: str
    """A file name under bench/lua/."""

    prepare: Callable[[str, Path], Prepared]
    """Called with the fresh database's URL and a scratch directory, before the server starts.
    May do anything: create tables, run `flask db upgrade` in a subprocess, write a tokens file."""

    verify: Callable[[psycopg.Connection, Figures], dict[str, object]] | None = None
    """Called after the server has stopped, with a connection to the benchmark's database and
    the measured run's figures; returns the facts it checked, raises InvariantBroken."""

    targets: dict[str, float] = field(default_factory=dict)
    """Bounds the run must meet, named from bench.outcome.TARGETS: {"throughput_ratio_min": 0.5}."""

    measure: "Callable[[str, Prepared, object], object] | None" = None
    """Instead of gunicorn and wrk: called with the database's URL, what `prepare` returned and
    the run's Settings, returns the bench.outcome.Run (an in-process timing, or a run that needs
    two loads on one server). `wsgi_target` and `lua_script` are then unused."""

    floor: str | None = None
    """The benchmark that bounds this one from above (the same statements with nothing of the
    app around them): run before it in the same invocation, and its throughput read as a
    share of the floor's too (`floor_ratio_min`)."""

    def __post_init__(self) -> None:
        unknown = set(self.targets) - set(TARGETS)
        if unknown:
            raise ValueError(f"{self.name}: unknown targets {sorted(unknown)}, known: {sorted(TARGETS)}")


class InvariantBroken(Exception):
    """Raised by a benchmark's verify when the database contradicts what the run reported."""


def all_benchmarks() -> dict[str, Benchmark]:
    """Every benchmark, by name: each module under bench/benchmarks/ defines `benchmark`."""
    found = {}
    for module_info in pkgutil.iter_modules(benchmarks.__path__):
        module = importlib.import_module(f"{benchmarks.__name__}.{module_info.name}")
        benchmark = module.benchmark
        if benchmark.name in found:
            raise ValueError(f"two benchmarks named {benchmark.name!r}")
        found[benchmark.name] = benchmark
    return found
