"""A draw's record in JSON: the candidate snapshot it was drawn from, its constraints and what
it gave, written losslessly (dates in ISO form, sets as sorted lists) so that
`flask judges verify-draw` can recompute the draw from the record years later. Malformed
records raise ValueError.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime

from app.judges.draw import Candidate, Constraints, DrawResult, Exclusion


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None, *, optional: bool = False) -> date | None:
    if text is None and optional:
        return None
    if not isinstance(text, str):
        raise ValueError(f"not an ISO date: {text!r}")
    return date.fromisoformat(text)


def _moment(text) -> datetime:
    if not isinstance(text, str):
        raise ValueError(f"not an ISO date and time: {text!r}")
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"a time without its zone: {text!r}")
    return value


def _spans(spans, *, open_end: bool = False) -> tuple:
    return tuple((_day(start), _day(end, optional=open_end)) for start, end in spans)


def _int(value, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not an integer: {value!r}")
    return value


def _ints(values) -> frozenset[int]:
    return frozenset(_int(v) for v in values)


def _malformed_raises_value_error(function):
    @functools.wraps(function)
    def wrapper(data):
        try:
            return function(data)
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"{function.__name__}: malformed JSON ({error!r})") from None
    return wrapper


# Written only when present, so records of panels without a session keep their first shape.
def _with_busy_at(record: dict, c: Candidate) -> dict:
    if c.busy_at:
        record["busy_at"] = [[a.isoformat(), b.isoformat()] for a, b in c.busy_at]
    return record


def candidates_to_json(candidates: Iterable[Candidate]) -> list[dict]:
    return [_with_busy_at({"profile_id": c.profile_id, "person_id": c.person_id, "organisation_id": c.organisation_id,
             "region": c.region, "level_rank": c.level_rank, "speciality_ids": sorted(c.speciality_ids),
             "qualifications": [[_iso(a), _iso(b)] for a, b in c.qualifications],
             "available": [[_iso(a), _iso(b)] for a, b in c.available],
             "busy": [[_iso(a), _iso(b)] for a, b in c.busy],
             "conflict_unit_ids": sorted(c.conflict_unit_ids), "conflict_person_ids": sorted(c.conflict_person_ids)},
                          c)
            for c in candidates]


@_malformed_raises_value_error
def candidates_from_json(data: list[dict]) -> list[Candidate]:
    return [Candidate(profile_id=_int(d["profile_id"]), person_id=_int(d["person_id"]),
                      organisation_id=_int(d["organisation_id"], optional=True),
                      region=d["region"], level_rank=_int(d["level_rank"]),
                      speciality_ids=_ints(d["speciality_ids"]),
                      qualifications=_spans(d["qualifications"], open_end=True),
                      available=_spans(d["available"]), busy=_spans(d["busy"]),
                      conflict_unit_ids=_ints(d.get("conflict_unit_ids", ())),
                      conflict_person_ids=_ints(d.get("conflict_person_ids", ())),
                      busy_at=tuple((_moment(a), _moment(b)) for a, b in d.get("busy_at", ())))
            for d in data]


def constraints_to_json(c: Constraints) -> dict:
    record = {"speciality_id": c.speciality_id, "starts_on": _iso(c.starts_on), "ends_on": _iso(c.ends_on),
            "chiefs": c.chiefs, "judges": c.judges, "reserves": c.reserves, "min_level_rank": c.min_level_rank,
            "max_per_unit": c.max_per_unit, "max_per_region": c.max_per_region,
            "contestant_unit_ids": sorted(c.contestant_unit_ids),
            "contestant_person_ids": sorted(c.contestant_person_ids),
            "exclude_compatriots": c.exclude_compatriots}
    if c.has_session:  # only then: records of panels without a session keep their first shape
        record["starts_at"], record["ends_at"] = c.starts_at.isoformat(), c.ends_at.isoformat()
    return record


@_malformed_raises_value_error
def constraints_from_json(d: dict) -> Constraints:
    if not isinstance(d["exclude_compatriots"], bool):
        raise ValueError("exclude_compatriots must be true or false")
    interval = {}
    if "starts_at" in d or "ends_at" in d:
        interval = {"starts_at": _moment(d["starts_at"]), "ends_at": _moment(d["ends_at"])}
    return Constraints(**interval,speciality_id=_int(d["speciality_id"]), starts_on=_day(d["starts_on"]),
                       ends_on=_day(d["ends_on"]), chiefs=_int(d["chiefs"]), judges=_int(d["judges"]),
                       reserves=_int(d["reserves"]), min_level_rank=_int(d["min_level_rank"], optional=True),
                       max_per_unit=_int(d["max_per_unit"], optional=True),
                       max_per_region=_int(d["max_per_region"], optional=True),
                       contestant_unit_ids=_ints(d["contestant_unit_ids"]),
                       contestant_person_ids=_ints(d["contestant_person_ids"]),
                       exclude_compatriots=d["exclude_compatriots"])


def result_to_json(r: DrawResult) -> dict:
    return {"chiefs": list(r.chiefs), "judges": list(r.judges), "reserves": list(r.reserves),
            "reserves_short": r.reserves_short, "passed_over": list(r.passed_over),
            "excluded": {str(pid): [{"code": e.code, "params": e.params} for e in reasons]
                         for pid, reasons in sorted(r.excluded.items(), key=lambda item: item[0])}}


@_malformed_raises_value_error
def result_from_json(d: dict) -> DrawResult:
    return DrawResult(chiefs=tuple(_int(p) for p in d["chiefs"]), judges=tuple(_int(p) for p in d["judges"]),
                      reserves=tuple(_int(p) for p in d["reserves"]), reserves_short=_int(d.get("reserves_short", 0)),
                      passed_over=tuple(_int(p) for p in d.get("passed_over", ())),
                      excluded={int(pid): tuple(Exclusion(str(e["code"]), dict(e["params"])) for e in reasons)
                                for pid, reasons in d["excluded"].items()})
