"""What running a benchmark produced, its comparison with the baseline, and its targets."""

from dataclasses import dataclass, field

from bench.figures import Figures

# Each target bounds one Comparison field from below (…_min) or from above (…_max).
TARGETS = {
    "throughput_ratio_min": "throughput_ratio",
    "floor_ratio_min": "floor_ratio",
    "p99_ratio_max": "p99_ratio",
    "p99_ms_max": "p99_ms",
    "non_2xx_max": "non_2xx",
    "floor_ratio_min": "floor_ratio",
}


@dataclass(frozen=True)
class Run:
    """What running one benchmark produced (see bench.harness.run_benchmark)."""

    figures: Figures
    warmup: Figures
    facts: dict[str, object]
    """What verify checked, e.g. {"rows": 10480, "ok_2xx": 10475}."""
    verify_failure: str | None
    load_at_start: tuple[float, float, float] = (0.0, 0.0, 0.0)
    """The machine's load average (1, 5, 15 minutes) as this benchmark's load began."""


@dataclass(frozen=True)
class Comparison:
    throughput_ratio: float
    """Throughput over the baseline's in the same invocation: 0.5 is half as fast."""
    p99_ratio: float
    """p99 over the baseline's: 2.0 is twice as slow."""
    p99_ms: float
    non_2xx: int
    floor: str | None = None
    """The benchmark whose throughput bounds this one's (Benchmark.floor), when it ran."""
    floor_ratio: float | None = None
    """Throughput over the floor's in the same invocation: 0.6 is 60 % of what its statements allow."""

    @classmethod
    def with_baseline(cls, figures: Figures, baseline: Figures, floor: tuple[str, Figures] | None = None
                      ) -> "Comparison":
        return cls(
            throughput_ratio=figures.throughput / baseline.throughput,
            p99_ratio=figures.latency_ms["p99"] / baseline.latency_ms["p99"],
            p99_ms=figures.latency_ms["p99"],
            non_2xx=figures.non_2xx,
            floor=floor[0] if floor else None,
            floor_ratio=figures.throughput / floor[1].throughput if floor else None,
        )

    def missed(self, targets: dict[str, float]) -> list[str]:
        """The targets not met, each as "name bound: measured value"."""
        missed = []
        for target, bound in targets.items():
            value = getattr(self, TARGETS[target])
            if value is None:
                missed.append(f"{target} {bound}: not measured (its floor did not run)")
                continue
            is_met = value >= bound if target.endswith("_min") else value <= bound
            if not is_met:
                missed.append(f"{target} {bound}: measured {value:.3g}")
        return missed


@dataclass(frozen=True)
class Outcome:
    name: str
    description: str
    run: Run | None
    """None when the benchmark crashed."""
    comparison: Comparison | None
    failures: list[str] = field(default_factory=list)
    """Why this benchmark fails `make bench`: a crash, verify, missed targets."""
