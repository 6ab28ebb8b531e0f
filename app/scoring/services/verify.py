"""Verifying published results: every snapshot recomputed from the raw marks and its scheme
version, bit for bit (`flask --app wsgi results verify [EVENT]`).

For each snapshot: the canonical inputs are rebuilt from the marks as they stood at its
publication (standings.load_marks with `as_of`: later changes undone from their MarkChange
history) and from its scheme version as stored now; their hash must be the snapshot's, the
stored inputs must still have that hash, and every figure computed again must equal the stored
outputs. Any difference is named; nothing is changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.competitions.models import Event
from app.extensions import db
from app.scoring.models import MarkingScheme
from app.scoring.result_models import ResultSnapshot
from app.scoring.services import standings


@dataclass
class Verification:
    checked: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _contestant_differences(stored: dict, again: dict) -> list[str]:
    before = {c["id"]: c for c in stored.get("contestants", [])}
    after = {c["id"]: c for c in again.get("contestants", [])}
    found = [str(id_) for id_ in sorted(set(before) | set(after), key=str) if before.get(id_) != after.get(id_)]
    return found


def check(snapshot: ResultSnapshot) -> list[str]:
    """What differs between the snapshot and its recomputation (empty: nothing)."""
    scheme = db.session.get(MarkingScheme, snapshot.scheme_id)
    where = f"{scheme.event.name} · {scheme.name} · v{snapshot.number}"
    found = []
    if standings.hash_of(snapshot.inputs) != snapshot.inputs_hash:
        found.append(f"{where}: the stored inputs no longer have the published hash")
    inputs = standings.inputs_of(snapshot.version, as_of=snapshot.published_at)
    if standings.hash_of(inputs) != snapshot.inputs_hash:
        stored = {tuple(row[:3]): row for row in snapshot.inputs.get("marks", [])}
        now = {tuple(row[:3]): row for row in inputs["marks"]}
        cells = sorted((k for k in set(stored) | set(now) if stored.get(k) != now.get(k)), key=str)
        what = ", ".join(f"entry {r} {a} attempt {n}" for r, a, n in cells[:10])
        if inputs["scheme"] != snapshot.inputs.get("scheme") or inputs["version"] != snapshot.inputs.get("version"):
            found.append(f"{where}: the scheme version differs from the one published")
        if cells:
            found.append(f"{where}: {len(cells)} marks differ from those published ({what})")
        if not cells and inputs["scheme"] == snapshot.inputs.get("scheme"):
            found.append(f"{where}: the inputs' hash differs from the published one")
    again, _problems = standings.compute_inputs(inputs)
    outputs = standings.outputs_of(again)
    if outputs != snapshot.outputs:
        who = _contestant_differences(snapshot.outputs, outputs)
        found.append(f"{where}: the recomputed figures differ"
                     + (f" for entries {', '.join(who[:10])}" if who else ""))
    return found


def verify(event: Event | None = None) -> Verification:
    """Every published snapshot (of one event, or all), checked."""
    query = select(ResultSnapshot).order_by(ResultSnapshot.event_id, ResultSnapshot.scheme_id, ResultSnapshot.number)
    if event is not None:
        query = query.where(ResultSnapshot.event_id == event.id)
    result = Verification()
    for snapshot in db.session.scalars(query):
        result.checked += 1
        result.differences += check(snapshot)
    return result
