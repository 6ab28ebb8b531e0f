"""Live results (实时成绩) of a marking scheme, from the stored marks — the path preview takes.

The version. A scheme's marks sit on the sheets of one version (the first mark froze it); live
results use the latest version that has sheets, else the current one.

The marks. Only handed-in marks count (submitted or locked); drafts never do. They are read
with one Core SELECT of plain tuples (registration, aspect, attempt, sheet, value) — no ORM
object per mark — and grouped into the arithmetic's `ContestantMarks`: per contestant, per
aspect, per attempt, the judges' values in the order of their sheets. On PostgreSQL the live
marks come grouped and in order from the database (array_agg … ORDER BY the sheet), a fifth
of the rows. The field gets one Decimal per distinct text, so the arithmetic computes marks
that repeat (they do, on a scale) once; the cyclic garbage collector is paused meanwhile. The scheme version
becomes a `SchemeSpec` through schemes.definition_of and schemes.spec_of, and
`arithmetic.results.compute` does the rest, exactly as the rehearsal does. Marks carry no
performance factor and no extra figures yet: every attempt's factor is 1.

Problems. A cell the arithmetic refuses (e.g. fewer marks than the scheme's judges, while a
judge has not handed in) is left out and named in `problems`; its contestant then lacks that
aspect and is listed unranked, never guessed.

The canonical inputs (what a snapshot's hash covers), as JSON:

    {"format": 1,
     "version": <scheme version number>,
     "scheme": <schemes.definition_of(version), Decimals as their exact text>,
     "marks": [[registration id, aspect key, attempt, factor, [value, …]], …]}

`marks` is sorted by registration id, aspect key, attempt; the values of one attempt stand in
the order of their sheets' ids; every number is a string (its stored exact text). The hash is
SHA-256 (hex) of `json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
encoded as UTF-8. `compute_inputs` recomputes every figure from these inputs alone.
"""
from __future__ import annotations

import gc
import hashlib
import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.accounts.models import Person
from app.competitions.models import Registration
from app.extensions import db
from app.orgs.models import Organisation
from app.scoring.arithmetic import results
from app.scoring.models import Mark, MarkChange, MarkingScheme, SchemeAspect, SchemeVersion, ScoreSheet, SheetStatus
from app.scoring.services import schemes

FORMAT = 1
COUNTED = (SheetStatus.SUBMITTED, SheetStatus.LOCKED)


@dataclass
class Standings:
    scheme: MarkingScheme
    version: SchemeVersion
    inputs: dict
    inputs_hash: str
    field: results.FieldResult
    problems: list[results.Problem]
    labels: dict[int, dict] = field(default_factory=dict)   # registration id → name, unit, number

    @property
    def outputs(self) -> dict:
        return outputs_of(self.field)


def marked_version(scheme: MarkingScheme) -> SchemeVersion:
    """The latest version of the scheme with sheets, else its current version."""
    version_id = db.session.scalar(select(func.max(ScoreSheet.version_id)).join(SchemeVersion).where(
        SchemeVersion.scheme_id == scheme.id))
    return db.session.get(SchemeVersion, version_id) if version_id else scheme.current


def plain_definition(version: SchemeVersion) -> dict:
    """The version's definition as JSON-ready values (Decimals as exact text)."""
    return results.plain(schemes.definition_of(version))


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def hash_of(inputs: dict) -> str:
    return hashlib.sha256(_canonical(inputs)).hexdigest()


def counted_marks(version: SchemeVersion, as_of: datetime | None = None):
    """The version's counted marks as plain tuples (registration id, aspect id, attempt, sheet id,
    value text), from one SELECT. `as_of` (a snapshot's publication): the marks as they stood
    then — those made by then, each with its value before the first change after then
    (MarkChange)."""
    value = type_coerce(Mark.value, String())   # the stored exact text, not converted per row
    query = (select(Mark.registration_id, Mark.aspect_id, Mark.attempt, Mark.sheet_id, value, Mark.id)
             .join(ScoreSheet, ScoreSheet.id == Mark.sheet_id)
             .where(ScoreSheet.version_id == version.id, Mark.status.in_(COUNTED)))
    if as_of is None:
        for registration_id, aspect_id, attempt, sheet_id, text, _mark_id in db.session.execute(query):
            yield registration_id, aspect_id, attempt, sheet_id, text
        return
    then = {}
    query = query.where(Mark.created_at <= as_of)
    for mark_id, old in db.session.execute(
            select(MarkChange.mark_id, type_coerce(MarkChange.old_value, String()))
            .join(Mark, Mark.id == MarkChange.mark_id).join(ScoreSheet, ScoreSheet.id == Mark.sheet_id)
            .where(ScoreSheet.version_id == version.id, MarkChange.changed_at > as_of)
            .order_by(MarkChange.changed_at.desc(), MarkChange.id.desc())):
        then[mark_id] = old   # the earliest change after as_of is written last
    for registration_id, aspect_id, attempt, sheet_id, text, mark_id in db.session.execute(query):
        yield registration_id, aspect_id, attempt, sheet_id, then.get(mark_id, text)


def load_marks(version: SchemeVersion, as_of: datetime | None = None) -> list[list]:
    """The version's counted marks as canonical rows (see the module docstring): one SELECT
    (counted_marks). The live marks on PostgreSQL: grouped and ordered by the database."""
    if as_of is None and db.session.get_bind().dialect.name == "postgresql":
        return _grouped_marks(version)
    keys = dict(db.session.execute(select(SchemeAspect.id, SchemeAspect.key).where(
        SchemeAspect.version_id == version.id)).all())
    cells: dict[tuple, list] = defaultdict(list)
    for registration_id, aspect_id, attempt, sheet_id, text in counted_marks(version, as_of):
        cells[(registration_id, keys[aspect_id], attempt)].append((sheet_id, text))
    return [[registration_id, key, attempt, "1", [text for _sheet, text in sorted(values)]]
            for (registration_id, key, attempt), values in sorted(cells.items())]


def _grouped_marks(version: SchemeVersion) -> list[list]:
    """load_marks in one SELECT that leaves the work to PostgreSQL: a row per contestant, aspect
    and attempt, its values in the order of their sheets (array_agg … ORDER BY), the rows in the
    canonical order (the aspect's key compared bytewise, as Python compares it)."""
    value = type_coerce(Mark.value, String())
    query = (select(Mark.registration_id, SchemeAspect.key, Mark.attempt,
                    func.array_agg(aggregate_order_by(value, Mark.sheet_id)))
             .join(ScoreSheet, ScoreSheet.id == Mark.sheet_id).join(SchemeAspect, SchemeAspect.id == Mark.aspect_id)
             .where(ScoreSheet.version_id == version.id, Mark.status.in_(COUNTED))
             .group_by(Mark.registration_id, SchemeAspect.key, Mark.attempt)
             .order_by(Mark.registration_id, SchemeAspect.key.collate("C"), Mark.attempt))
    return [[registration_id, key, attempt, "1", values]
            for registration_id, key, attempt, values in db.session.execute(query)]


def inputs_of(version: SchemeVersion, as_of: datetime | None = None) -> dict:
    return {"format": FORMAT, "version": version.number, "scheme": plain_definition(version),
            "marks": load_marks(version, as_of)}


def field_of(marks: list[list]) -> list[results.ContestantMarks]:
    """Canonical mark rows as the arithmetic's field, contestants by registration id. One Decimal
    per distinct text: marks on a scale repeat, and the arithmetic shares their figures."""
    attempts: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    decimals: dict[str, Decimal] = {}

    def number(text: str) -> Decimal:
        found = decimals.get(text)
        if found is None:
            found = decimals[text] = Decimal(text)
        return found

    made: dict[tuple, results.AttemptMarks] = {}   # the same texts: one (immutable) AttemptMarks
    for registration_id, key, attempt, factor, values in marks:
        same = (attempt, factor, *values)
        found = made.get(same)
        if found is None:
            found = made[same] = results.AttemptMarks(attempt, tuple(map(number, values)), number(factor))
        attempts[registration_id][key].append(found)
    return [results.ContestantMarks(registration_id, {k: tuple(v) for k, v in made.items()})
            for registration_id, made in attempts.items()]


def _without_problems(field_marks: list[results.ContestantMarks],
                      problems: list[results.Problem]) -> list[results.ContestantMarks]:
    bad = defaultdict(set)
    for problem in problems:
        bad[problem.contestant].add(problem.aspect)
    if not bad:
        return field_marks
    kept = []
    for contestant in field_marks:
        drop = bad.get(contestant.id, set())
        kept.append(results.ContestantMarks(
            contestant.id, {k: v for k, v in contestant.attempts.items() if k not in drop}, contestant.extras))
    return kept


def _number(text):
    return None if text is None else Decimal(text)


def definition_from_plain(plain: dict) -> dict:
    """A definition as `plain_definition` wrote it, with its Decimals back."""
    definition = json.loads(json.dumps(plain))
    for level in definition["award"].get("levels") or []:
        level["limit"] = _number(level["limit"])
    standard = definition["standardisation"]
    for key in ("mean", "spread", "benchmark"):
        standard[key] = _number(standard.get(key))
    for component in definition["components"]:
        component["weight"], component["scale_to"] = _number(component["weight"]), _number(component["scale_to"])
        for criterion in component["criteria"]:
            for aspect in criterion["aspects"]:
                aspect["maximum"], aspect["allowed_spread"] = (_number(aspect["maximum"]),
                                                               _number(aspect["allowed_spread"]))
                aspect["scale"] = {k: _number(v) for k, v in aspect["scale"].items()}
    return definition


@contextmanager
def _no_cycle_collection():
    """The cyclic garbage collector paused: a big field makes hundreds of thousands of small
    objects and no cycles, and the collections they set off took half the time (refcounting
    still frees everything)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def compute_inputs(inputs: dict) -> tuple[results.FieldResult, list[results.Problem]]:
    """Every figure from canonical inputs alone (a snapshot's, or the live marks'). Cells with
    problems are left out and returned beside the figures."""
    definition = definition_from_plain(inputs["scheme"])
    spec = schemes.spec_of(definition)
    with _no_cycle_collection():
        field_marks = field_of(inputs["marks"])
        problems = results.check(spec, field_marks)
        return results.compute(spec, _without_problems(field_marks, problems), checked=True), problems


def outputs_of(field_result: results.FieldResult) -> dict:
    """The figures as stored in a snapshot: plain JSON, read back as JSON reads it."""
    return json.loads(_canonical(results.plain(field_result)))


def labels_of(registration_ids) -> dict[int, dict]:
    """Each entry's name, unit and exam number, read in one query."""
    ids = list(registration_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Registration.id, Person.full_name, Organisation.name, Registration.exam_number)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Registration.organisation_id)
        .where(Registration.id.in_(ids))).all()
    return {id_: {"name": name, "unit": unit, "number": number} for id_, name, unit, number in rows}


def live(scheme: MarkingScheme) -> Standings:
    """The scheme's results now, from its handed-in marks."""
    version = marked_version(scheme)
    with _no_cycle_collection():
        inputs = inputs_of(version)
    field_result, problems = compute_inputs(inputs)
    return Standings(scheme, version, inputs, hash_of(inputs), field_result, problems,
                     labels_of(c.id for c in field_result.contestants))
