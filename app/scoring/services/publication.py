"""Publishing results (成绩发布): a scheme's live results frozen as snapshot v1, v2 …; what
changed between two versions; what the public sees.

Publishing needs every score sheet of the marked version locked and nothing open on it: no
spread flag, nor anything a later slice registers (`register_blocker`, e.g. an open
correction request). It freezes a `ResultSnapshot` with the canonical inputs, their hash, every
figure and who each contestant was; the row is never changed after.

v1 needs no reason; v2 and later do, and only when something changed: publishing inputs with
the hash of the latest snapshot (the same scheme version and marks) answers that snapshot and
writes nothing. So two publications at once make one version: each takes the scheme's row
lock first (the owning row, app/core/locks.py) and the second, once the first has committed,
finds the same inputs already published.

Every contestant in the field is told (notification kind `scoring.results`, keyed by the
snapshot, so telling twice tells once).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Person
from app.accounts.services.notification_recipients import tell
from app.competitions.models import Registration
from app.core import audit
from app.core.errors import Conflict, InvalidInput
from app.core.locks import hold_row
from app.core.time import utcnow
from app.extensions import db
from app.scoring.models import MarkingScheme, SchemeVersion, ScoreSheet, SheetStatus, SpreadFlag
from app.scoring.result_models import ResultSnapshot
from app.scoring.services import standings

MAX_REASON = 1000
NOTICE_KIND = "scoring.results"

# Further reasons a version cannot be published yet: each takes the version and answers a
# sentence for staff, or None. The corrections slice registers "a correction is open".
_BLOCKERS: list[Callable[[SchemeVersion], str | None]] = []


def register_blocker(check: Callable[[SchemeVersion], str | None]) -> None:
    if check not in _BLOCKERS:
        _BLOCKERS.append(check)


def blockers(version: SchemeVersion) -> list[str]:
    """Why the version's results cannot be published now (empty: they can)."""
    found = []
    states = dict(db.session.execute(select(ScoreSheet.status, func.count()).where(
        ScoreSheet.version_id == version.id).group_by(ScoreSheet.status)).all())
    if not states:
        found.append(_("No judge has a score sheet on this scheme yet."))
    unlocked = sum(n for status, n in states.items() if status != SheetStatus.LOCKED)
    if unlocked:
        found.append(_("%(n)d score sheets are not locked yet.", n=unlocked))
    flags = db.session.scalar(select(func.count()).select_from(SpreadFlag).where(
        SpreadFlag.version_id == version.id, SpreadFlag.resolved_at.is_(None)))
    if flags:
        found.append(_("%(n)d marks are flagged: the judges are too far apart.", n=flags))
    found += [reason for reason in (check(version) for check in _BLOCKERS) if reason]
    return found


def snapshots_of(scheme: MarkingScheme) -> list[ResultSnapshot]:
    """The scheme's snapshots, the newest first."""
    return list(db.session.scalars(select(ResultSnapshot).where(ResultSnapshot.scheme_id == scheme.id)
                                   .order_by(ResultSnapshot.number.desc())))


def latest(scheme_id: int) -> ResultSnapshot | None:
    return db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.scheme_id == scheme_id)
                             .order_by(ResultSnapshot.number.desc()).limit(1))


def snapshot_of(scheme: MarkingScheme, number: int) -> ResultSnapshot | None:
    return db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.scheme_id == scheme.id,
                                                          ResultSnapshot.number == number))


def check_reason(reason: str | None, needed: bool) -> str | None:
    reason = (reason or "").strip() or None
    if needed and reason is None:
        raise InvalidInput(_("Results were published before: please say why they are published again."), "reason")
    if reason and len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason is at most %(most)d characters.", most=MAX_REASON), "reason")
    return reason


def publish(scheme: MarkingScheme, *, actor, reason: str | None = None) -> tuple[ResultSnapshot, bool]:
    """Freeze the scheme's results now: (the snapshot, True) when a version was made, (the
    latest, False) when these very inputs were published already."""
    hold_row(MarkingScheme, scheme.id)
    db.session.expire_all()   # read every row again under the lock
    before = latest(scheme.id)
    reason = check_reason(reason, False)
    live = standings.live(scheme)
    if before is not None and before.inputs_hash == live.inputs_hash:
        return before, False
    problems = blockers(live.version)
    if problems:
        raise Conflict(_("The results cannot be published yet: %(why)s", why=" ".join(problems)))
    check_reason(reason, before is not None)
    snapshot = ResultSnapshot(
        scheme_id=scheme.id, event_id=scheme.event_id, stage_id=scheme.stage_id,
        number=(before.number + 1) if before else 1, version_id=live.version.id,
        inputs_hash=live.inputs_hash, inputs=live.inputs, outputs=live.outputs,
        labels={str(k): v for k, v in live.labels.items()}, reason=reason,
        published_by_id=getattr(actor, "id", None), published_at=utcnow())
    db.session.add(snapshot)
    db.session.flush()
    audit.record("scoring.results_published", scheme, actor=actor,
                 after={"version": snapshot.number, "reason": reason})
    _tell_contestants(scheme, snapshot)
    return snapshot, True


def _tell_contestants(scheme: MarkingScheme, snapshot: ResultSnapshot) -> int:
    ids = [int(c["id"]) for c in snapshot.outputs["contestants"]]
    people = db.session.scalars(select(Person).join(Registration, Registration.person_id == Person.id)
                                .where(Registration.id.in_(ids))).all() if ids else []
    context = {"event": scheme.event.name, "version": snapshot.number}
    return sum(tell(person, NOTICE_KIND, key=f"{NOTICE_KIND}:{snapshot.id}:{person.id}", context=context,
                    link=f"/results/{scheme.id}") for person in people)


# ---- the difference between two versions --------------------------------------------------------

@dataclass(frozen=True)
class Change:
    registration_id: int
    name: str
    before: dict | None      # place, total, standardised, award (None: not in that version)
    after: dict | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _summary(contestant: dict) -> dict:
    return {"place": contestant.get("place"), "total": (contestant.get("totals") or {}).get("total"),
            "standardised": contestant.get("standardised"), "award": contestant.get("award")}


def diff(older: ResultSnapshot, newer: ResultSnapshot) -> list[Change]:
    """Per contestant, their place, total, standardised score and award in both versions; the
    changed ones first, each group in the newer version's order."""
    before = {c["id"]: _summary(c) for c in older.outputs["contestants"]}
    after = {c["id"]: _summary(c) for c in newer.outputs["contestants"]}
    order = list(after) + [id_ for id_ in before if id_ not in after]
    labels = {**older.labels, **newer.labels}
    changes = [Change(int(id_), (labels.get(str(id_)) or {}).get("name") or "?", before.get(id_), after.get(id_))
               for id_ in order]
    return [c for c in changes if c.changed] + [c for c in changes if not c.changed]


def public_rows(snapshot: ResultSnapshot) -> list[dict]:
    """What the public page shows of a snapshot: place, name, unit, total, award."""
    rows = []
    for contestant in snapshot.outputs["contestants"]:
        label = snapshot.labels.get(str(contestant["id"])) or {}
        summary = _summary(contestant)
        rows.append({"id": contestant["id"], "name": label.get("name") or "?", "unit": label.get("unit"),
                     "number": label.get("number"), "shared": contestant.get("shared"),
                     "decided_by": contestant.get("decided_by"), **summary})
    return rows


def published_schemes() -> list[tuple[MarkingScheme, ResultSnapshot]]:
    """Every scheme with published results and its current (latest) snapshot, the newest first."""
    newest = (select(ResultSnapshot.scheme_id, func.max(ResultSnapshot.number).label("number"))
              .group_by(ResultSnapshot.scheme_id).subquery())
    rows = db.session.execute(
        select(MarkingScheme, ResultSnapshot).join(ResultSnapshot, ResultSnapshot.scheme_id == MarkingScheme.id)
        .join(newest, (newest.c.scheme_id == ResultSnapshot.scheme_id) & (newest.c.number == ResultSnapshot.number))
        .where(MarkingScheme.deleted_at.is_(None)).order_by(ResultSnapshot.published_at.desc()).limit(500)).all()
    return [(scheme, snapshot) for scheme, snapshot in rows]
