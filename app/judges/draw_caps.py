"""The unit and region caps of a panel ("at most N from one unit, M from one region"), for
app.judges.draw: whether a seated set keeps them, and how many more of a pool could still
sit within them — an exact answer from a maximum flow, never a greedy guess.

A candidate without a unit (or region) is a group of one: no cap can bind them to others.
"""
from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.judges.draw import Candidate, Constraints


def _unit(candidate: Candidate) -> tuple:
    return ("unit", candidate.organisation_id) if candidate.organisation_id is not None else ("alone", candidate.profile_id)


def _region(candidate: Candidate) -> tuple:
    return ("region", candidate.region) if candidate.region is not None else ("alone", candidate.profile_id)


def fits(seated: Sequence[Candidate], constraints: Constraints) -> bool:
    for group, cap in ((_unit, constraints.max_per_unit), (_region, constraints.max_per_region)):
        if cap is not None and any(n > cap for n in Counter(group(c) for c in seated).values()):
            return False
    return True


def fits_caps(profile_ids: Iterable[int], candidates_by_id: Mapping[int, Candidate], constraints: Constraints) -> bool:
    """Whether the unit and region caps hold with these profiles seated (each id must be in candidates_by_id)."""
    return fits([candidates_by_id[pid] for pid in profile_ids], constraints)


def max_seats(pool: Sequence[Candidate], constraints: Constraints, seated: Sequence[Candidate] = (),
               limit: int | None = None) -> int:
    """How many of `pool` could sit beside `seated` within the caps (counting up to `limit`).

    A maximum flow from source to sink: source → each unit, carrying what the unit cap
    leaves; unit → region, carrying how many candidates of the pool are of that unit and
    region; region → sink, carrying what the region cap leaves.
    """
    limit = len(pool) if limit is None else limit
    if constraints.max_per_unit is None and constraints.max_per_region is None:
        return min(len(pool), limit)
    capacity: dict = {"source": {("u", u): n for u, n in _room(pool, seated, _unit, constraints.max_per_unit).items()}}
    for region, n in _room(pool, seated, _region, constraints.max_per_region).items():
        capacity[("r", region)] = {"sink": n}
    for candidate in pool:
        edges = capacity.setdefault(("u", _unit(candidate)), {})
        edges[("r", _region(candidate))] = edges.get(("r", _region(candidate)), 0) + 1
    return _max_flow(capacity, "source", "sink", limit)


def _room(pool: Sequence[Candidate], seated: Sequence[Candidate], group, cap: int | None) -> dict:
    """For each unit (or region) of the pool, how many more seats its cap allows (no cap: all of the pool)."""
    groups = {group(c) for c in pool}
    if cap is None:
        return dict.fromkeys(groups, len(pool))
    used = Counter(group(c) for c in seated)
    return {g: max(0, cap - used[g]) for g in groups}


def _max_flow(capacity: dict, source, sink, limit: int) -> int:
    """Edmonds–Karp on a dict of dicts of capacities, stopping once the flow reaches `limit`."""
    residual: dict = {u: dict(edges) for u, edges in capacity.items()}
    for u, edges in capacity.items():
        for v in edges:
            residual.setdefault(v, {}).setdefault(u, 0)
    flow = 0
    while flow < limit:
        parent = {source: None}
        queue = deque([source])
        while queue and sink not in parent:
            u = queue.popleft()
            for v, room in residual[u].items():
                if room > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            break
        path, v = [], sink
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(limit - flow, *(residual[u][v] for u, v in path))
        for u, v in path:
            residual[u][v] -= push
            residual[v][u] += push
        flow += push
    return flow
