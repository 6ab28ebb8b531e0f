"""The station draw (抽签): which session and which station (工位) each contestant takes, as a
pure function of a seed, the rules and a snapshot of the sessions and the entries.

Read from top to bottom, a draw is:

1. `canonical` — the snapshot sorted (sessions by start and id, stations by number, entries
   by registration id, a team's members by person id), so the input order never matters;
2. checks — a person in two entries, a team larger than every session, more contestants
   than places, an entry blocked from every session with room for it (one of its people
   is booked elsewhere then): `Infeasible` with the numbers, before anything is placed;
3. sessions — teams first, largest first, then individuals, each in the seed's line
   (core.seeded_draw's HMAC rank). Each entry goes to a session with room for it and not
   blocked for it, choosing
   the one with the fewest contestants of its unit (the spread rule, `Rules.spread_units`),
   then the least full (by share of its places), then the seed's choice. Teams are packed
   by a bounded search that tries sessions in that same preference, so the first packing
   found is the greedy one whenever the greedy one fits;
4. stations — in each session the entries sit in the seed's line, one after another from
   the first station in service, a team's members on consecutive stations.

"Adjacent" means consecutive in the session's list of stations in service, ordered by
number: the snapshot holds only stations in service, so a team with station 4 out of
service between them sits at 3 and 5, as people sit around an empty desk.

Why the spread rule holds: individuals are placed after every team, each into a session
with the fewest of its unit among those open to it. So when a unit has individuals in
session A who could have sat in session B, and B still has room at the end, the last of
them found no more of its unit in A than in B: A exceeds B by at most one, beyond the
unit's teams and those blocked from B (`spread_violations` checks exactly this).

No Flask, no database, no clock and no `random`. `ALGORITHM` is stored with every draw and
hashed into every place in line; a change of the rules or the line needs a new version.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.core import seeded_draw

ALGORITHM = "station-draw/v1"
SEARCH_LIMIT = 20_000    # team packings tried before the draw gives up and says so


@dataclass(frozen=True)
class SessionSlot:
    """A session as the draw sees it: its id, when it starts (ISO text, for the order only)
    and its stations in service as (station id, number)."""

    session_id: int
    starts_at: str
    stations: tuple[tuple[int, int], ...]

    @property
    def capacity(self) -> int:
        return len(self.stations)


@dataclass(frozen=True)
class Entry:
    """An approved entry: its registration, its unit (None: no unit), its contestants (one
    person, or a team's members) and the sessions it cannot take (`blocked`: one of them is
    booked elsewhere at that time)."""

    registration_id: int
    unit_id: int | None
    person_ids: tuple[int, ...]
    blocked: frozenset[int] = frozenset()

    @property
    def size(self) -> int:
        return len(self.person_ids)


@dataclass(frozen=True)
class Rules:
    """What the draw honours besides capacity and team adjacency (which always hold)."""

    spread_units: bool = True   # a unit's contestants spread across sessions as evenly as places allow


@dataclass(frozen=True)
class Seat:
    session_id: int
    station_id: int
    station_number: int
    registration_id: int
    person_id: int


@dataclass(frozen=True)
class DrawResult:
    seats: tuple[Seat, ...]   # by session (in canonical order), then station number


class Infeasible(Exception):
    """The entries cannot be seated. `code` and `params`:
    "person_twice" {person_id}; "team_too_large" {size, largest} (places in the largest
    session); "capacity" {needed, places}; "teams" {needed, places, teams} (enough places,
    but the teams cannot each sit together in one session); "blocked" {registration_id}
    (every session with room for the entry is blocked for it)."""

    def __init__(self, code: str, params: dict):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        p = self.params
        if self.code == "person_twice":
            return f"person {p['person_id']} is in two entries"
        if self.code == "team_too_large":
            return f"a team of {p['size']} but the largest session has {p['largest']} places"
        if self.code == "capacity":
            return f"{p['needed']} contestants but only {p['places']} places"
        if self.code == "blocked":
            return f"entry {p['registration_id']} has no free session it is not booked elsewhere in"
        return (f"{p['teams']} teams cannot each sit together in one session "
                f"({p['needed']} contestants, {p['places']} places)")


# --- 1. The snapshot in one order ------------------------------------------------------------

def canonical(sessions: Iterable[SessionSlot], entries: Iterable[Entry]) -> tuple[list[SessionSlot], list[Entry]]:
    """Sessions by (start, id) with stations by (number, id); entries by registration id with
    members by person id. Raises ValueError for a session, station, entry or member given twice,
    or an entry without contestants."""
    slots = sorted((SessionSlot(s.session_id, s.starts_at, tuple(sorted(s.stations, key=lambda st: (st[1], st[0]))))
                    for s in sessions), key=lambda s: (s.starts_at, s.session_id))
    _unique((s.session_id for s in slots), "session")
    for slot in slots:
        _unique((station_id for station_id, _number in slot.stations), f"station of session {slot.session_id}")
        _unique((number for _station_id, number in slot.stations), f"station number of session {slot.session_id}")
    ordered = sorted((Entry(e.registration_id, e.unit_id, tuple(sorted(e.person_ids)), frozenset(e.blocked))
                      for e in entries), key=lambda e: e.registration_id)
    _unique((e.registration_id for e in ordered), "entry")
    for entry in ordered:
        if not entry.person_ids:
            raise ValueError(f"entry {entry.registration_id} has no contestants")
        _unique(entry.person_ids, f"member of entry {entry.registration_id}")
    return slots, ordered


def _unique(values: Iterable, what: str) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value} given twice")
        seen.add(value)


# --- 2. Whether it can fit -------------------------------------------------------------------

def check_fits(sessions: Sequence[SessionSlot], entries: Sequence[Entry]) -> None:
    """Raises Infeasible for a person in two entries, a team no session can hold, or more
    contestants than places."""
    people = Counter(person for entry in entries for person in entry.person_ids)
    twice = sorted(person for person, count in people.items() if count > 1)
    if twice:
        raise Infeasible("person_twice", {"person_id": twice[0]})
    largest = max((s.capacity for s in sessions), default=0)
    teams = sorted((e.size for e in entries if e.size > 1), reverse=True)
    if teams and teams[0] > largest:
        raise Infeasible("team_too_large", {"size": teams[0], "largest": largest})
    needed, places = sum(e.size for e in entries), sum(s.capacity for s in sessions)
    if needed > places:
        raise Infeasible("capacity", {"needed": needed, "places": places})
    for entry in entries:
        if all(s.session_id in entry.blocked or s.capacity < entry.size for s in sessions):
            raise Infeasible("blocked", {"registration_id": entry.registration_id})


# --- 3. Which session ------------------------------------------------------------------------

def _rank(seed: str, what: str) -> bytes:
    return seeded_draw.rank_key(seed, what, ALGORITHM)


class _Sessions:
    """Places taken so far: per session, the contestants seated and each unit's count."""

    def __init__(self, slots: Sequence[SessionSlot]):
        self.slots = list(slots)
        self.used = {s.session_id: 0 for s in slots}
        self.by_unit: dict[int, Counter] = {s.session_id: Counter() for s in slots}
        self.entries: dict[int, list[Entry]] = {s.session_id: [] for s in slots}

    def free(self, slot: SessionSlot) -> int:
        return slot.capacity - self.used[slot.session_id]

    def preference(self, entry: Entry, seed: str, rules: Rules) -> list[SessionSlot]:
        """Sessions with room for the entry and not blocked for it, best first: fewest of its
        unit, least full, the seed."""
        def key(slot: SessionSlot):
            spread = self.by_unit[slot.session_id][entry.unit_id] if rules.spread_units else 0
            return (spread, Fraction(self.used[slot.session_id], slot.capacity),
                    _rank(seed, f"session:{entry.registration_id}:{slot.session_id}"), slot.session_id)
        return sorted((slot for slot in self.slots
                       if self.free(slot) >= entry.size and slot.session_id not in entry.blocked), key=key)

    def put(self, slot: SessionSlot, entry: Entry) -> None:
        self.used[slot.session_id] += entry.size
        self.by_unit[slot.session_id][entry.unit_id] += entry.size
        self.entries[slot.session_id].append(entry)

    def take_back(self, slot: SessionSlot, entry: Entry) -> None:
        self.used[slot.session_id] -= entry.size
        self.by_unit[slot.session_id][entry.unit_id] -= entry.size
        self.entries[slot.session_id].remove(entry)


def _place_teams(state: _Sessions, teams: Sequence[Entry], seed: str, rules: Rules) -> bool:
    """Every team into a session, by depth-first search in preference order; False when no
    packing was found within SEARCH_LIMIT tries."""
    tries = 0

    def place(index: int) -> bool:
        nonlocal tries
        if index == len(teams):
            return True
        team = teams[index]
        for slot in state.preference(team, seed, rules):
            tries += 1
            if tries > SEARCH_LIMIT:
                return False
            state.put(slot, team)
            if place(index + 1):
                return True
            state.take_back(slot, team)
        return False

    return place(0)


# --- 4. The draw -----------------------------------------------------------------------------

def draw(sessions: Iterable[SessionSlot], entries: Iterable[Entry], seed: str, rules: Rules = Rules()) -> DrawResult:
    """Seat every entry: a session each, a station for each contestant, a team on adjacent
    stations. Raises Infeasible (with the numbers) when they cannot all be seated, ValueError
    for an empty seed or a malformed snapshot."""
    if not isinstance(seed, str) or not seed:
        raise ValueError("the seed is empty")
    slots, ordered = canonical(sessions, entries)
    check_fits(slots, ordered)
    slots = [slot for slot in slots if slot.capacity > 0]
    state = _Sessions(slots)
    teams = sorted((e for e in ordered if e.size > 1),
                   key=lambda e: (-e.size, _rank(seed, f"entry:{e.registration_id}"), e.registration_id))
    if not _place_teams(state, teams, seed, rules):
        raise Infeasible("teams", {"needed": sum(e.size for e in ordered), "places": sum(s.capacity for s in slots),
                                   "teams": len(teams)})
    singles = seeded_draw.seeded_order((e for e in ordered if e.size == 1), seed,
                                       lambda e: f"entry:{e.registration_id}", ALGORITHM)
    for entry in singles:
        choices = state.preference(entry, seed, rules)
        if not choices:   # the sessions open to them are full
            raise Infeasible("blocked", {"registration_id": entry.registration_id})
        state.put(choices[0], entry)
    seats: list[Seat] = []
    for slot in slots:
        line = seeded_draw.seeded_order(state.entries[slot.session_id], seed,
                                        lambda e: f"station:{e.registration_id}", ALGORITHM)
        stations = iter(slot.stations)
        for entry in line:
            for person_id in entry.person_ids:
                station_id, number = next(stations)
                seats.append(Seat(slot.session_id, station_id, number, entry.registration_id, person_id))
    return DrawResult(tuple(seats))


# --- 5. After the draw: an entry approved late ------------------------------------------------

def late_place(sessions: Iterable[SessionSlot], taken: set[tuple[int, int]],
               unit_counts: Counter, entry: Entry) -> tuple[int, tuple[int, ...], bool] | None:
    """The next free place for an entry approved after the draw: (session id, station ids
    in the order of its members, whether they are adjacent), or None when no session has
    enough free stations. `taken` holds (session id, station id) of every seat;
    `unit_counts` the contestants per (session id, unit id). Sessions with adjacent free
    stations come first, then the fewest of the entry's unit, the most room, the earliest;
    in a session, the first free run of stations (else its first free ones)."""
    slots, _entries = canonical(sessions, [])
    best = None
    for order, slot in enumerate(slots):
        free = [i for i, (station_id, _n) in enumerate(slot.stations) if (slot.session_id, station_id) not in taken]
        if len(free) < entry.size:
            continue
        run = next((free[k:k + entry.size] for k in range(len(free) - entry.size + 1)
                    if free[k + entry.size - 1] - free[k] == entry.size - 1), None)
        chosen = run if run is not None else free[:entry.size]
        key = (run is None, unit_counts.get((slot.session_id, entry.unit_id), 0), -len(free), order)
        if best is None or key < best[0]:
            best = (key, slot.session_id, tuple(slot.stations[i][0] for i in chosen), run is not None)
    return None if best is None else best[1:]


# --- Checking a result against the rules (the tests and `verify` read these) -----------------

def spread_violations(sessions: Iterable[SessionSlot], entries: Iterable[Entry], result: DrawResult) -> list[str]:
    """Where the spread rule is broken. For a unit, sessions A and B, with B not full: let k
    be the unit's individuals in A who could have sat in B (B not blocked for them); then
    its team members in A plus k - 1 must not exceed its contestants in B (the last of
    those k chose A over B, so A had no more of the unit than B then). [] when it holds."""
    slots, ordered = canonical(sessions, entries)
    by_id = {e.registration_id: e for e in ordered}
    used: Counter = Counter()
    counts: dict[int | None, Counter] = defaultdict(Counter)
    team_counts: dict[int | None, Counter] = defaultdict(Counter)
    singles: dict[tuple[int | None, int], list[Entry]] = defaultdict(list)
    for seat in result.seats:
        entry = by_id[seat.registration_id]
        used[seat.session_id] += 1
        counts[entry.unit_id][seat.session_id] += 1
        if entry.size == 1:
            singles[(entry.unit_id, seat.session_id)].append(entry)
        else:
            team_counts[entry.unit_id][seat.session_id] += 1
    problems = []
    for (unit, a), in_a in sorted(singles.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        for b in slots:
            if b.session_id == a or used[b.session_id] >= b.capacity:
                continue
            movable = sum(1 for e in in_a if b.session_id not in e.blocked)
            if movable and team_counts[unit][a] + movable - 1 > counts[unit][b.session_id]:
                problems.append(f"unit {unit}: {counts[unit][a]} in session {a}, "
                                f"{counts[unit][b.session_id]} in session {b.session_id} with room")
    return problems


def rule_violations(sessions: Iterable[SessionSlot], entries: Iterable[Entry], result: DrawResult,
                    rules: Rules = Rules()) -> list[str]:
    """Every rule the result breaks: a contestant not seated or seated twice, a station not in
    service in its session or given twice, a team split or not on adjacent stations, and the
    spread rule when `rules.spread_units`. [] when it honours them all."""
    slots, ordered = canonical(sessions, entries)
    positions = {s.session_id: {station_id: i for i, (station_id, _n) in enumerate(s.stations)} for s in slots}
    problems = []
    taken = Counter((seat.session_id, seat.station_id) for seat in result.seats)
    problems += [f"station {station} of session {session} given {n} times" for (session, station), n in taken.items()
                 if n > 1]
    problems += [f"station {seat.station_id} is not in service in session {seat.session_id}"
                 for seat in result.seats if seat.station_id not in positions.get(seat.session_id, {})]
    seated = Counter(seat.person_id for seat in result.seats)
    expected = {(e.registration_id, p) for e in ordered for p in e.person_ids}
    got = {(seat.registration_id, seat.person_id) for seat in result.seats}
    problems += [f"person {p} of entry {r} is not seated" for r, p in sorted(expected - got)]
    problems += [f"person {p} seated for entry {r}, which is not theirs" for r, p in sorted(got - expected)]
    problems += [f"person {p} seated {n} times" for p, n in seated.items() if n > 1]
    by_registration = {e.registration_id: e for e in ordered}
    problems += [f"entry {seat.registration_id} seated in session {seat.session_id}, which is blocked for it"
                 for seat in result.seats if seat.registration_id in by_registration
                 and seat.session_id in by_registration[seat.registration_id].blocked]
    by_entry: dict[int, list[Seat]] = defaultdict(list)
    for seat in result.seats:
        by_entry[seat.registration_id].append(seat)
    for registration_id, seats in by_entry.items():
        if len({seat.session_id for seat in seats}) > 1:
            problems.append(f"entry {registration_id} is split across sessions")
            continue
        places = sorted(positions.get(seats[0].session_id, {}).get(seat.station_id, -1) for seat in seats)
        if places != list(range(places[0], places[0] + len(places))):
            problems.append(f"entry {registration_id} is not on adjacent stations")
    if rules.spread_units and not problems:
        problems += spread_violations(slots, ordered, result)
    return problems
