"""The station draw as a pure function: every result honours every rule, the seed alone decides
it (never the order the snapshot comes in), and refusals say how many places are missing."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.competitions import station_draw as sd
from app.competitions import station_draw_record as draw_record
from app.competitions.station_draw import Entry, Infeasible, Rules, SessionSlot


@st.composite
def worlds(draw, max_sessions: int = 5, max_entries: int = 25):
    """Sessions with stations in service (numbers with gaps: out-of-service ones are absent)
    and entries of individuals and teams from a few units, every person in one entry."""
    n_sessions = draw(st.integers(1, max_sessions))
    sessions, station_id = [], 1
    for index in range(n_sessions):
        numbers = sorted(draw(st.sets(st.integers(1, 30), min_size=0, max_size=12)))
        stations = []
        for number in numbers:
            stations.append((station_id, number))
            station_id += 1
        sessions.append(SessionSlot(100 + index, f"2026-05-0{1 + draw(st.integers(0, 3))}T0{index}:00:00+00:00",
                                    tuple(stations)))
    sizes = draw(st.lists(st.sampled_from([1, 1, 1, 1, 2, 3]), max_size=max_entries))
    entries, person = [], 1000
    session_ids = [s.session_id for s in sessions]
    for index, size in enumerate(sizes):
        unit = draw(st.sampled_from([None, 1, 2, 3, 4]))
        blocked = draw(st.frozensets(st.sampled_from(session_ids), max_size=len(session_ids))) \
            if draw(st.integers(0, 4)) == 0 else frozenset()
        entries.append(Entry(500 + index, unit, tuple(range(person, person + size)), blocked))
        person += size
    return sessions, entries


seeds = st.text(min_size=1, max_size=20)


def _draw_or_none(sessions, entries, seed, rules=Rules()):
    try:
        return sd.draw(sessions, entries, seed, rules)
    except Infeasible:
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), seeds, st.booleans())
def test_every_result_honours_every_rule(world, seed, spread):
    sessions, entries = world
    rules = Rules(spread_units=spread)
    try:
        result = sd.draw(sessions, entries, seed, rules)
    except Infeasible as refusal:
        needed = sum(e.size for e in entries)
        places = sum(s.capacity for s in sessions)
        largest_team = max((e.size for e in entries if e.size > 1), default=0)
        # A refusal is true: too many people, a team too big, or teams that would not pack.
        assert (needed > places or largest_team > max(s.capacity for s in sessions)
                or refusal.code in ("teams", "blocked")), refusal
        if refusal.code == "blocked":   # only when some entry is blocked somewhere
            assert any(e.blocked for e in entries)
        return
    assert sd.rule_violations(sessions, entries, result, rules) == []
    # Never more contestants in a session than its stations, and each person in one session.
    per_session = {}
    for seat in result.seats:
        per_session[seat.session_id] = per_session.get(seat.session_id, 0) + 1
    capacity = {s.session_id: s.capacity for s in sessions}
    assert all(n <= capacity[sid] for sid, n in per_session.items())
    assert len({seat.person_id for seat in result.seats}) == len(result.seats)


@settings(max_examples=200, deadline=None)
@given(worlds(), seeds, st.randoms(use_true_random=False))
def test_same_seed_same_result_whatever_the_input_order(world, seed, rnd):
    sessions, entries = world
    first = _draw_or_none(sessions, entries, seed)
    shuffled_sessions = [SessionSlot(s.session_id, s.starts_at, tuple(rnd.sample(s.stations, len(s.stations))))
                         for s in rnd.sample(sessions, len(sessions))]
    shuffled_entries = [Entry(e.registration_id, e.unit_id, tuple(rnd.sample(e.person_ids, len(e.person_ids))),
                              e.blocked) for e in rnd.sample(entries, len(entries))]
    assert _draw_or_none(shuffled_sessions, shuffled_entries, seed) == first


def test_different_seeds_typically_differ():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", tuple((10 + n, n) for n in range(1, 21))),
                SessionSlot(2, "2026-05-01T05:00:00+00:00", tuple((40 + n, n) for n in range(1, 21)))]
    entries = [Entry(100 + i, i % 4, (1000 + i,)) for i in range(30)]
    results = {sd.draw(sessions, entries, f"seed-{i}") for i in range(20)}
    assert len(results) >= 19


def test_a_team_sits_on_adjacent_stations_around_one_out_of_service():
    # Station 2 is out of service (absent): 1 and 3 are adjacent for the draw.
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1), (13, 3)))]
    result = sd.draw(sessions, [Entry(7, 1, (71, 72))], "s")
    assert {(seat.station_number, seat.person_id) for seat in result.seats} == {(1, 71), (3, 72)}


def test_a_unit_spreads_evenly_over_sessions():
    sessions = [SessionSlot(i, f"2026-05-01T0{i}:00:00+00:00", tuple((10 * i + n, n) for n in range(1, 9)))
                for i in range(1, 4)]
    entries = [Entry(100 + i, 1, (1000 + i,)) for i in range(9)]
    result = sd.draw(sessions, entries, "any seed")
    counts = sorted(sum(1 for seat in result.seats if seat.session_id == i) for i in range(1, 4))
    assert counts == [3, 3, 3]


def test_too_many_contestants_are_refused_with_the_numbers():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1), (12, 2)))]
    with pytest.raises(Infeasible) as refused:
        sd.draw(sessions, [Entry(1, None, (1,)), Entry(2, None, (2,)), Entry(3, None, (3,))], "s")
    assert refused.value.code == "capacity"
    assert refused.value.params == {"needed": 3, "places": 2}


def test_a_team_larger_than_every_session_is_refused():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1), (12, 2))),
                SessionSlot(2, "2026-05-01T02:00:00+00:00", ((21, 1), (22, 2)))]
    with pytest.raises(Infeasible) as refused:
        sd.draw(sessions, [Entry(1, None, (1, 2, 3))], "s")
    assert (refused.value.code, refused.value.params) == ("team_too_large", {"size": 3, "largest": 2})


def test_teams_that_cannot_each_sit_together_are_refused():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1), (12, 2), (13, 3))),
                SessionSlot(2, "2026-05-01T02:00:00+00:00", ((21, 1), (22, 2), (23, 3)))]
    with pytest.raises(Infeasible) as refused:
        sd.draw(sessions, [Entry(1, None, (1, 2)), Entry(2, None, (3, 4)), Entry(3, None, (5, 6))], "s")
    assert refused.value.code == "teams"


def test_teams_are_packed_when_the_greedy_choice_would_not_fit():
    # Sessions of 5 and 3 places; teams of 3, 3 and 2 fit only as 3+2 | 3.
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", tuple((10 + n, n) for n in range(1, 6))),
                SessionSlot(2, "2026-05-01T02:00:00+00:00", tuple((20 + n, n) for n in range(1, 4)))]
    entries = [Entry(1, 1, (1, 2, 3)), Entry(2, 2, (4, 5, 6)), Entry(3, 1, (7, 8))]
    for seed in ("a", "b", "c", "d"):
        result = sd.draw(sessions, entries, seed)
        assert sd.rule_violations(sessions, entries, result) == []


def test_a_person_in_two_entries_is_refused():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1), (12, 2), (13, 3)))]
    with pytest.raises(Infeasible) as refused:
        sd.draw(sessions, [Entry(1, None, (5,)), Entry(2, None, (5, 6))], "s")
    assert (refused.value.code, refused.value.params) == ("person_twice", {"person_id": 5})


def test_a_malformed_snapshot_is_a_value_error():
    session = SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1),))
    with pytest.raises(ValueError):
        sd.draw([session, session], [], "s")
    with pytest.raises(ValueError):
        sd.draw([session], [Entry(1, None, ())], "s")
    with pytest.raises(ValueError):
        sd.draw([session], [], "")


@settings(max_examples=100, deadline=None)
@given(worlds(), seeds)
def test_the_snapshot_survives_its_json(world, seed):
    sessions, entries = world
    data = draw_record.snapshot_to_json(sessions, entries)
    again_sessions, again_entries = draw_record.snapshot_from_json(data)
    assert _draw_or_none(again_sessions, again_entries, seed) == _draw_or_none(sessions, entries, seed)
    assert draw_record.rules_from_json(draw_record.rules_to_json(Rules(False))) == Rules(False)


def test_the_checker_finds_a_broken_result():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1), (12, 2), (13, 3)))]
    entries = [Entry(1, None, (1, 2))]
    split = sd.DrawResult((sd.Seat(1, 11, 1, 1, 1), sd.Seat(1, 13, 3, 1, 2)))
    assert sd.rule_violations(sessions, entries, split) == ["entry 1 is not on adjacent stations"]


def test_a_late_team_takes_adjacent_free_stations_where_a_session_has_them():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1), (12, 2), (13, 3), (14, 4))),
                SessionSlot(2, "2026-05-01T02:00:00+00:00", ((21, 1), (22, 2), (23, 3)))]
    taken = {(1, 12), (1, 14), (2, 21)}   # session 1 has 11 and 13 free, not adjacent
    place = sd.late_place(sessions, taken, Counter(), Entry(9, 1, (91, 92)))
    assert place == (2, (22, 23), True)


def test_a_late_team_sits_apart_when_no_session_has_adjacent_room_and_nowhere_when_none_has_room():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1), (12, 2), (13, 3)))]
    assert sd.late_place(sessions, {(1, 12)}, Counter(), Entry(9, 1, (91, 92))) == (1, (11, 13), False)
    assert sd.late_place(sessions, {(1, 12), (1, 13)}, Counter(), Entry(9, 1, (91, 92))) is None


def test_a_late_contestant_goes_where_their_unit_has_fewest():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1), (12, 2))),
                SessionSlot(2, "2026-05-01T02:00:00+00:00", ((21, 1), (22, 2)))]
    place = sd.late_place(sessions, {(1, 11), (2, 21)}, Counter({(1, 7): 1, (2, 8): 1}), Entry(9, 7, (91,)))
    assert place == (2, (22,), True)


def test_a_contestant_booked_elsewhere_is_placed_in_a_session_open_to_them():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1), (12, 2))),
                SessionSlot(2, "2026-05-01T05:00:00+00:00", ((21, 1), (22, 2)))]
    for seed in ("a", "b", "c", "d", "e"):
        result = sd.draw(sessions, [Entry(1, None, (1,), frozenset({1})), Entry(2, None, (2,))], seed)
        assert {seat.person_id: seat.session_id for seat in result.seats}[1] == 2


def test_an_entry_blocked_from_every_session_with_room_is_refused_naming_it():
    sessions = [SessionSlot(1, "2026-05-01T01:00:00+00:00", ((11, 1),)),
                SessionSlot(2, "2026-05-01T05:00:00+00:00", ((21, 1),))]
    with pytest.raises(Infeasible) as refused:
        sd.draw(sessions, [Entry(1, None, (1,), frozenset({1, 2}))], "s")
    assert (refused.value.code, refused.value.params) == ("blocked", {"registration_id": 1})
