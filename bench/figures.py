"""The figures of one wrk run, read from the JSON line printed by bench/lua/common.lua."""

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Figures:
    requests: int
    """Responses received, whatever their status."""
    duration_s: float
    ok_2xx: int
    non_2xx: int
    status_counts: dict[str, int]
    """Responses by HTTP status, e.g. {"201": 10480, "409": 3}."""
    errors: dict[str, int]
    """Socket errors by kind (connect, read, write, timeout) and `status`: responses >= 400."""
    latency_ms: dict[str, float]
    """p50, p95, p99 and max."""

    @property
    def throughput(self) -> float:
        """Responses per second."""
        return self.requests / self.duration_s

    @property
    def socket_errors(self) -> int:
        """Connect, read, write and timeout errors; `status` is left out, it is counted in non_2xx."""
        return sum(n for kind, n in self.errors.items() if kind != "status")

    @classmethod
    def from_wrk_output(cls, stdout: str) -> "Figures":
        """Parse the last JSON line of wrk's output; raises ValueError when there is none."""
        lines = [line for line in stdout.splitlines() if line.startswith("{")]
        if not lines:
            raise ValueError("no JSON line in wrk's output")
        raw = json.loads(lines[-1])
        return cls(
            requests=raw["requests"],
            duration_s=raw["duration_us"] / 1e6,
            ok_2xx=raw["ok_2xx"],
            non_2xx=raw["non_2xx"],
            status_counts=raw["status_counts"],
            errors=raw["errors"],
            latency_ms={name: us / 1000 for name, us in raw["latency_us"].items()},
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "duration_s": self.duration_s,
            "throughput": round(self.throughput, 1),
            "ok_2xx": self.ok_2xx,
            "non_2xx": self.non_2xx,
            "status_counts": self.status_counts,
            "errors": self.errors,
            "latency_ms": self.latency_ms,
        }
