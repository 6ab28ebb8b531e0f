"""Certificate serial numbers (证书编号) from a pattern: pure functions, no Flask.

The pattern is a Python format string over `year`, `kind` (the kind's short code) and `seq`
(the number, counted per year and kind: app.core.counters.next_serial), e.g.
`{year}-{kind}-{seq:06}` → 2026-AW-000118. It must hold all three, so two certificates of
another year or kind can never print the same serial.
"""
from __future__ import annotations

import string

DEFAULT_PATTERN = "{year}-{kind}-{seq:06}"
KIND_CODES = {"award": "AW", "completion": "CP", "judge": "JQ", "participation": "PT"}
REQUIRED = {"year", "kind", "seq"}


class BadPattern(ValueError):
    """A serial pattern that is not a format over exactly year, kind and seq."""


def check_pattern(pattern: str) -> str:
    """`pattern` when it is usable; raises BadPattern with the reason otherwise."""
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}
    except ValueError as error:
        raise BadPattern(f"not a format string: {error}") from None
    if names != REQUIRED:
        raise BadPattern(f"a serial pattern uses exactly {{year}}, {{kind}} and {{seq}}, not {sorted(names)}")
    try:
        format_serial(pattern, 2026, "award", 1)
    except (ValueError, KeyError, IndexError) as error:
        raise BadPattern(f"the pattern does not format: {error}") from None
    return pattern


def counter_name(year: int, kind: str) -> str:
    """The named serial (app.core.counters) that numbers one year's certificates of one kind."""
    return f"certificate:{year}:{kind}"


def format_serial(pattern: str, year: int, kind: str, seq: int) -> str:
    """The serial printed for number `seq` of `kind` in `year`."""
    return pattern.format(year=year, kind=KIND_CODES.get(kind, kind.upper()), seq=seq)
