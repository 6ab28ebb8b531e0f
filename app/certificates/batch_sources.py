"""The sources a batch issues from: a published results snapshot (its award winners, or all
its ranked contestants for participation) and a closed training class (its passed trainees).

They read what was frozen, never recompute: a snapshot's stored `outputs` (award, place) and
`labels`, a class's CompletionRecords (hours, result, dates). `ref` is the snapshot's or the
class's id. Subject keys are per scheme (`results:scheme:<id>`) and per class
(`trainings:class:<id>`), so a later snapshot of the same scheme issues nothing twice.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select

from app.certificates.models import Kind
from app.certificates.sources import Issuable, register
from app.competitions.models import Event, Registration
from app.extensions import db
from app.scoring.result_models import ResultSnapshot
from app.trainings.models import ClassState, CompletionRecord, TrainingClass


def _number(value) -> str:
    """A Decimal as stored (string or number), without trailing zeros: "32.0" → "32"."""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


class ResultsSource:
    """A published results snapshot: one award certificate per contestant with an award."""

    name = "results"
    label = "成绩发布 / Published results"
    kind = Kind.AWARD

    @staticmethod
    def subject_key(snapshot: ResultSnapshot) -> str:
        return f"results:scheme:{snapshot.scheme_id}"

    def snapshot(self, ref: object | None) -> ResultSnapshot | None:
        return db.session.get(ResultSnapshot, ref) if isinstance(ref, int) else None

    def wanted(self, contestant: dict) -> bool:
        return bool(contestant.get("award"))

    def facts(self, event: Event, contestant: dict) -> tuple[tuple[str, str], ...]:
        facts = [("赛项 / Event", event.name)]
        if contestant.get("award"):
            facts.append(("奖项 / Award", str(contestant["award"])))
        if contestant.get("place") is not None:
            facts.append(("名次 / Rank", str(contestant["place"])))
        return tuple(facts)

    def statement(self, event: Event, contestant: dict) -> str:
        return f"{event.name} {contestant.get('award')}"

    def issuables(self, ref: object | None) -> Iterable[Issuable]:
        snapshot = self.snapshot(ref)
        if snapshot is None:
            return []
        event = db.session.get(Event, snapshot.event_id)
        chosen = [c for c in snapshot.outputs.get("contestants", []) if self.wanted(c)]
        ids = [int(c["id"]) for c in chosen]
        persons = dict(db.session.execute(select(Registration.id, Registration.person_id)
                                          .where(Registration.id.in_(ids))).all()) if ids else {}
        key = self.subject_key(snapshot)
        return [Issuable(self.name, persons[int(c["id"])], self.kind, key, self.statement(event, c)[:300],
                         self.facts(event, c))
                for c in chosen if int(c["id"]) in persons]


class ParticipationSource(ResultsSource):
    """A published results snapshot: one participation certificate per ranked contestant."""

    name = "participation"
    label = "参赛证明 / Participation"
    kind = Kind.PARTICIPATION

    def wanted(self, contestant: dict) -> bool:
        return contestant.get("place") is not None

    def facts(self, event: Event, contestant: dict) -> tuple[tuple[str, str], ...]:
        return (("赛项 / Event", event.name),)

    def statement(self, event: Event, contestant: dict) -> str:
        return f"参加{event.name} / Took part in {event.name}"


class ClassSource:
    """A closed training class: one completion certificate per trainee who passed."""

    name = "trainings"
    label = "结班 / Closed training class"
    kind = Kind.COMPLETION

    @staticmethod
    def subject_key(training_class: TrainingClass) -> str:
        return f"trainings:class:{training_class.id}"

    def issuables(self, ref: object | None) -> Iterable[Issuable]:
        training_class = db.session.get(TrainingClass, ref) if isinstance(ref, int) else None
        if training_class is None or training_class.state != ClassState.CLOSED:
            return []
        records = db.session.scalars(select(CompletionRecord).where(
            CompletionRecord.class_id == training_class.id, CompletionRecord.passed.is_(True))
            .order_by(CompletionRecord.person_id))
        key = self.subject_key(training_class)
        return [Issuable(self.name, r.person_id, self.kind, key,
                         f"{training_class.title} 结业 / Completed {training_class.title}"[:300],
                         self.facts(training_class, r)) for r in records]

    @staticmethod
    def facts(training_class: TrainingClass, record: CompletionRecord) -> tuple[tuple[str, str], ...]:
        facts = [("培训班 / Class", training_class.title[:200]),
                 ("学时 / Hours", f"{_number(record.hours_attended)} / {_number(record.hours_total)}"),
                 ("日期 / Dates", f"{record.starts_on.isoformat()} – {record.ends_on.isoformat()}")]
        if record.result is not None:
            facts.append(("成绩 / Result", _number(record.result)))
        return tuple(facts)


RESULTS = register(ResultsSource())
PARTICIPATION = register(ParticipationSource())
CLASSES = register(ClassSource())
BATCH_SOURCES = {source.name: source for source in (RESULTS, PARTICIPATION, CLASSES)}
