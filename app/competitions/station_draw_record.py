"""The station draw's record: its snapshot, rules and result as JSON, losslessly, so that
`flask --app wsgi schedule verify-draw ID` can recompute a stored draw (app.competitions.station_draw
is the draw itself). Reading refuses anything malformed with ValueError, never guesses."""
from __future__ import annotations

from collections.abc import Iterable

from app.competitions.station_draw import DrawResult, Entry, Rules, SessionSlot, canonical

def snapshot_to_json(sessions: Iterable[SessionSlot], entries: Iterable[Entry]) -> dict:
    slots, ordered = canonical(sessions, entries)
    return {"sessions": [{"session_id": s.session_id, "starts_at": s.starts_at,
                          "stations": [[station_id, number] for station_id, number in s.stations]} for s in slots],
            "entries": [{"registration_id": e.registration_id, "unit_id": e.unit_id, "person_ids": list(e.person_ids),
                         "blocked_session_ids": sorted(e.blocked)} for e in ordered]}


def snapshot_from_json(data: dict) -> tuple[list[SessionSlot], list[Entry]]:
    """Raises ValueError for a malformed snapshot."""
    try:
        sessions = [SessionSlot(_int(s["session_id"]), str(s["starts_at"]),
                                tuple((_int(station), _int(number)) for station, number in s["stations"]))
                    for s in data["sessions"]]
        entries = [Entry(_int(e["registration_id"]), _int(e["unit_id"], optional=True),
                         tuple(_int(p) for p in e["person_ids"]),
                         frozenset(_int(s) for s in e.get("blocked_session_ids", ()))) for e in data["entries"]]
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"malformed snapshot ({error!r})") from None
    return sessions, entries


def rules_to_json(rules: Rules) -> dict:
    return {"spread_units": rules.spread_units}


def rules_from_json(data: dict) -> Rules:
    """Raises ValueError for malformed rules."""
    if not isinstance(data, dict) or not isinstance(data.get("spread_units"), bool) or set(data) != {"spread_units"}:
        raise ValueError(f"malformed rules: {data!r}")
    return Rules(spread_units=data["spread_units"])


def result_to_json(result: DrawResult) -> dict:
    return {"seats": [[s.session_id, s.station_id, s.station_number, s.registration_id, s.person_id]
                      for s in result.seats]}


def _int(value, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not an integer: {value!r}")
    return value
