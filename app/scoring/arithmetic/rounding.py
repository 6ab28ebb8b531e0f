"""Rounding, one rule and a number of places per step, written into the scheme and shown beside
every figure it shaped. Pure: only `decimal`."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import (ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP,
                     ROUND_UP, Decimal)

# The rule names a scheme stores, and the `decimal` rounding each one means.
RULES = {
    "half_up": ROUND_HALF_UP,        # 2.345 → 2.35 (四舍五入)
    "half_even": ROUND_HALF_EVEN,    # 2.345 → 2.34 (banker's)
    "half_down": ROUND_HALF_DOWN,
    "down": ROUND_DOWN,              # towards zero (truncate)
    "up": ROUND_UP,                  # away from zero
    "floor": ROUND_FLOOR,
    "ceiling": ROUND_CEILING,
}
MAX_PLACES = 6
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(MAX_PLACES + 1)}   # 1, 0.1, 0.01 …


@dataclass(frozen=True)
class Rounding:
    """Round to `places` decimals by `rule` (a key of RULES)."""
    rule: str = "half_up"
    places: int = 2

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(f"unknown rounding rule {self.rule!r}")
        if not 0 <= self.places <= MAX_PLACES:
            raise ValueError(f"places must lie in 0..{MAX_PLACES}")

    def apply(self, value: Decimal) -> Decimal:
        return value.quantize(_QUANTA[self.places], rounding=RULES[self.rule])

    def describe(self) -> str:
        return f"{self.rule}:{self.places}"


def round_count(value: Decimal, rule: str) -> int:
    """A count (how many contestants a share gives) rounded to a whole number by `rule`."""
    return int(Rounding(rule, 0).apply(value))
