"""Places with shared places (1, 1, 3) and an ordered, configurable tie-break list.

Each contestant brings the value of every key: first the ranking key (the total), then the
tie-breaks in the scheme's order (e.g. shorter completion time, then higher practical, then
higher theory — cn_competition_rules.json). Each key says whether higher or lower is better;
a missing value (None) is the worst. Contestants equal on every key share a place and the next
place skips (1, 1, 3); within a shared place they keep the order they came in (stable).
Values may be Decimals or tuples of Decimals (the next-best attempts). Pure: only `decimal`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Hashable, Sequence


@dataclass(frozen=True)
class Key:
    name: str
    higher_is_better: bool = True


@dataclass(frozen=True)
class Entry:
    id: Hashable
    values: tuple[Any, ...]  # one a key, in the keys' order


@dataclass(frozen=True)
class Placed:
    id: Hashable
    place: int
    shared: bool
    decided_by: str | None   # the key that set this contestant apart from the one above (None: first or shared)


def _sort_value(value: Any, key: Key):
    if value is None:
        return (1, 0)
    if isinstance(value, tuple):
        return (0, tuple(v if not key.higher_is_better else -v for v in value))
    return (0, -value if key.higher_is_better else value)


def rank(entries: Sequence[Entry], keys: Sequence[Key]) -> list[Placed]:
    """Every entry's place, best first."""
    def order(entry: Entry):
        return tuple(_sort_value(v, k) for v, k in zip(entry.values, keys))
    ordered = sorted(entries, key=order)  # sorted() is stable: ties keep their input order
    placed: list[Placed] = []
    for position, entry in enumerate(ordered):
        if position and order(entry) == order(ordered[position - 1]):
            above = placed[-1]
            if not above.shared:
                placed[-1] = Placed(above.id, above.place, True, above.decided_by)
            placed.append(Placed(entry.id, above.place, True, None))
            continue
        decided_by = None
        if position:
            previous = order(ordered[position - 1])
            decided_by = next(k.name for k, a, b in zip(keys, order(entry), previous) if a != b)
        placed.append(Placed(entry.id, position + 1, False, decided_by))
    return placed
