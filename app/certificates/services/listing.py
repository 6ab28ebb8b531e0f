"""What the certificate pages list: issued certificates found by serial or name, the judge
pool's qualifications with their certificates, a certificate's history, a holder's own."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.certificates.models import Certificate, Kind, State
from app.certificates.sources import JUDGE_POOL
from app.core.errors import NotFound
from app.core.permissions import has_permission
from app.extensions import db
from app.judges.models import Qualification


def search(term: str | None):
    """Certificates newest first; with `term`, those whose serial or holder's name contains it."""
    query = select(Certificate).order_by(Certificate.id.desc())
    term = (term or "").strip()
    if term:
        like = f"%{term.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Certificate.serial.ilike(like), Certificate.holder_name.ilike(like)))
    return query


@dataclass(frozen=True)
class QualificationRow:
    qualification: Qualification
    certificate: Certificate | None


def judge_qualifications(today: date) -> list[QualificationRow]:
    """Every current qualification in the pool, with its certificate in force if issued."""
    qualifications = JUDGE_POOL.current(today)
    keys = [JUDGE_POOL.subject_key(q.id) for q in qualifications]
    issued = {(c.holder_id, c.subject_key): c for c in db.session.scalars(
        select(Certificate).where(Certificate.kind == Kind.JUDGE, Certificate.subject_key.in_(keys),
                                  Certificate.state != State.SUPERSEDED))} if keys else {}
    return [QualificationRow(q, issued.get((q.profile.person_id, JUDGE_POOL.subject_key(q.id))))
            for q in qualifications]


def history(certificate: Certificate) -> list[Certificate]:
    """The certificate and those it superseded or that supersede it, oldest first."""
    first = certificate
    while first.supersedes is not None:
        first = first.supersedes
    chain = [first]
    while chain[-1].superseded_by is not None:
        chain.append(chain[-1].superseded_by)
    return chain


def mine_query(person_id: int | None):
    """A person's certificates, newest first (superseded ones too: they say what replaced them)."""
    return (select(Certificate).where(Certificate.holder_id == (person_id if person_id is not None else -1))
            .order_by(Certificate.issued_on.desc(), Certificate.id.desc()))


def mine(person_id: int | None) -> list[Certificate]:
    """A person's certificates, as mine_query orders them."""
    return list(db.session.scalars(mine_query(person_id)))


def downloadable(certificate: Certificate, user) -> Certificate:
    """The certificate when `user` holds it or manages certificates; raises NotFound otherwise
    (someone else's answers as if it did not exist)."""
    if user is not None and getattr(user, "is_authenticated", False):
        if certificate.holder_id == user.person_id or has_permission(user, "certificates.manage"):
            return certificate
    raise NotFound(_("The page or record was not found."))
