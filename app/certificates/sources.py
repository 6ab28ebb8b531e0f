"""Where certificates come from: a source says who holds one, about what, and what it prints.

Issuing (services/issuing.py) knows nothing of competitions, classes or judges: it takes an
`Issuable` — the holder, a subject key, the kind, the subject in words and the facts to
print — from a source, and the same rules apply to every kind. A source is an object with a
`name`, a `label` and `issuables(ref)`: what it would issue for `ref` (one qualification, a
results snapshot, a closed class …; None: everything it has to issue now). Sources register
themselves in SOURCES by name; results (scoring) and closed classes (trainings) join them.

The subject key makes issuing idempotent: one certificate in force per holder, subject key
and kind (a unique index), so a source asked twice issues nothing twice.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Protocol

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.certificates.models import Certificate, Kind, State
from app.core.time import local_today
from app.extensions import db
from app.judges.models import JudgeProfile, Qualification

MAX_FACTS = 8


@dataclass(frozen=True)
class Issuable:
    """One certificate a source would issue: to person `holder_id`, about `subject_key`."""

    source: str
    holder_id: int
    kind: Kind
    subject_key: str
    subject: str                                  # what was certified, one line
    facts: tuple[tuple[str, str], ...] = ()       # (label, value) pairs as printed


class Source(Protocol):
    name: str
    label: str

    def issuables(self, ref: object | None) -> Iterable[Issuable]: ...


SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add a source under its name (once)."""
    if source.name in SOURCES:
        raise ValueError(f"the certificate source {source.name!r} is registered already")
    SOURCES[source.name] = source
    return source


# --- staff, one by hand -----------------------------------------------------------------------

class ManualSource:
    """Staff issue one certificate by hand: they type the subject and the facts."""

    name = "manual"
    label = "人工签发 / Issued by hand"

    def issuables(self, ref: object | None) -> Iterable[Issuable]:
        return [ref] if isinstance(ref, Issuable) else []

    def issuable(self, holder_id: int, kind: Kind, subject: str, facts: list[tuple[str, str]]) -> Issuable:
        """The certificate staff described; its subject key is the subject's words, so the
        same subject for the same person and kind is issued once."""
        digest = hashlib.sha256(" ".join(subject.split()).casefold().encode()).hexdigest()[:40]
        return Issuable(self.name, holder_id, kind, f"manual:{digest}", subject, tuple(facts))


# --- the judge pool -----------------------------------------------------------------------------

class JudgePoolSource:
    """A judge's qualification (裁判员资格) in the pool: level, trades, number and validity."""

    name = "judges"
    label = "裁判员库 / Judge pool"

    @staticmethod
    def subject_key(qualification_id: int) -> str:
        return f"judges:qualification:{qualification_id}"

    def issuable(self, qualification: Qualification) -> Issuable:
        profile = qualification.profile
        level = profile.level
        trades = "、".join(s.name for s in profile.specialities) or "—"
        until = qualification.expires_on.isoformat() if qualification.expires_on else "长期 / no expiry"
        facts = (("等级 / Level", level.name), ("工种 / Trades", trades),
                 ("资格证号 / Qualification no.", qualification.number),
                 ("有效期 / Valid", f"{qualification.issued_on.isoformat()} – {until}"))
        return Issuable(self.name, profile.person_id, Kind.JUDGE, self.subject_key(qualification.id),
                        f"{level.name}裁判员资格 / Judge qualification, {level.name_en or level.name}", facts)

    def current(self, today: date) -> list[Qualification]:
        """Qualifications of active judges still valid `today`, newest first."""
        return list(db.session.scalars(
            select(Qualification).join(JudgeProfile)
            .where(JudgeProfile.is_active.is_(True),
                   (Qualification.expires_on.is_(None)) | (Qualification.expires_on >= today))
            .order_by(Qualification.issued_on.desc(), Qualification.id.desc())
            .options(selectinload(Qualification.profile).selectinload(JudgeProfile.person),
                     selectinload(Qualification.profile).selectinload(JudgeProfile.specialities))))

    def issuables(self, ref: object | None) -> Iterable[Issuable]:
        """One qualification (`ref` its id), or every current one not yet certified."""
        if ref is not None:
            qualification = db.session.get(Qualification, ref) if isinstance(ref, int) else None
            return [] if qualification is None else [self.issuable(qualification)]
        issued = issued_subjects(Kind.JUDGE)
        return [self.issuable(q) for q in self.current(local_today())
                if (q.profile.person_id, self.subject_key(q.id)) not in issued]


def issued_subjects(kind: Kind) -> set[tuple[int, str]]:
    """(holder, subject key) of every certificate of `kind` in force (valid or revoked)."""
    rows = db.session.execute(select(Certificate.holder_id, Certificate.subject_key)
                              .where(Certificate.kind == kind, Certificate.state != State.SUPERSEDED))
    return {(holder, key) for holder, key in rows}


MANUAL = register(ManualSource())
JUDGE_POOL = register(JudgePoolSource())
