"""Judge qualifications granted by a training (裁判员培训): what a package above judges calls
when someone completes a referee-training class (DESIGN.md: the higher one calls the lower
one's service).

`grant` puts the person in the pool when they are not in it (a judge, at the class's level,
in its trades), raises their level when the class's is higher, adds the class's trades, and
records the certificate under `number`, or renews the one with that number (a second close
of the same class changes its dates, never adds a second). `withdraw` removes a certificate
a training granted (a reopened class whose trainee no longer completes it). The caller has
checked its own permission (an organiser of the class need not manage the pool); every
change is audited as the pool's own changes are.
"""
from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select

from app.accounts.models import Person
from app.core import audit
from app.extensions import db
from app.judges.models import JudgeKind, JudgeLevel, JudgeProfile, Qualification, Speciality
from app.orgs.models import Organisation

log = logging.getLogger(__name__)


def _snapshot(profile: JudgeProfile) -> dict:
    return audit.snapshot(profile, JudgeProfile.AUDITED) | {
        "speciality_codes": [speciality.code for speciality in profile.specialities]}


def _profile_for(person: Person, level: JudgeLevel, trades: list[Speciality], *, actor) -> JudgeProfile:
    profile = db.session.scalar(select(JudgeProfile).where(JudgeProfile.person_id == person.id))
    if profile is None:
        region = None
        if person.organisation_id is not None:
            region = db.session.get(Organisation, person.organisation_id).province
        profile = JudgeProfile(person=person, kind=JudgeKind.JUDGE, level=level, region=region,
                               specialities=list(trades))
        db.session.add(profile)
        db.session.flush()
        audit.record("judge.created", profile, actor=actor, after=_snapshot(profile))
        log.info("judge profile %s created by a training for person %s", profile.id, person.id)
        return profile
    before = _snapshot(profile)
    if level.rank > profile.level.rank:
        profile.level = level
    missing = [trade for trade in trades if trade not in profile.specialities]
    profile.specialities = list(profile.specialities) + missing
    after = _snapshot(profile)
    if after != before:
        db.session.flush()
        audit.record("judge.updated", profile, actor=actor, before=before, after=after)
    return profile


def grant(person: Person, *, level: JudgeLevel, trades: list[Speciality], number: str, issuer: str,
          issued_on: date, expires_on: date | None, actor) -> Qualification:
    """The person's qualification from a training, added or renewed (see the module docstring)."""
    profile = _profile_for(person, level, trades, actor=actor)
    qualification = db.session.scalar(select(Qualification).where(Qualification.profile_id == profile.id,
                                                                   Qualification.number == number))
    if qualification is None:
        qualification = Qualification(profile=profile, number=number, issuer=issuer[:200], issued_on=issued_on,
                                      expires_on=expires_on)
        db.session.add(qualification)
        db.session.flush()
        audit.record("judge.qualification_added", qualification, actor=actor,
                     after=audit.snapshot(qualification, Qualification.AUDITED) | {"profile_id": profile.id})
        return qualification
    before = audit.snapshot(qualification, Qualification.AUDITED)
    qualification.issuer, qualification.issued_on, qualification.expires_on = issuer[:200], issued_on, expires_on
    db.session.flush()
    audit.record("judge.qualification_updated", qualification, actor=actor, before=before,
                 after=audit.snapshot(qualification, Qualification.AUDITED))
    return qualification


def withdraw(qualification: Qualification, *, actor) -> None:
    """Remove a certificate a training granted (the audit log keeps what it said)."""
    audit.record("judge.qualification_removed", qualification, actor=actor,
                 before=audit.snapshot(qualification, Qualification.AUDITED) | {"profile_id": qualification.profile_id})
    db.session.delete(qualification)
    db.session.flush()

