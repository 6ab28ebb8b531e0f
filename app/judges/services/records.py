"""A judge's records: qualification certificates, the dates they are available, and the
conflicts they declared.

Staff who may change the pool keep all of them. The judge themself adds and removes their
own availability, and declares conflicts — and removes only the ones they declared: a
conflict staff recorded stays until staff remove it. Every change is audited.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.accounts.services import people
from app.core import audit, ids
from app.core.errors import Conflict, InvalidInput, PermissionDenied, Problems
from app.core.transaction import flush_or_refuse
from app.core.validation import check_id_document
from app.extensions import db
from app.judges.models import Availability, DeclaredConflict, JudgeProfile, Qualification
from app.judges.services.pool import is_own, may_manage, name_key, require_manager
from app.orgs.models import Organisation

log = logging.getLogger(__name__)

# Dates outside these years are typing errors (or junk), not certificates or plans.
EARLIEST = date(1950, 1, 1)
LATEST = date(2099, 12, 31)
MAX_AVAILABILITY_DAYS = 366
MAX_REASON = 1000


def _text(raw: str | None, limit: int, field: str, *, required_message: str | None = None) -> str | None:
    text = " ".join(unicodedata.normalize("NFKC", raw or "").split()) or None
    if text is None and required_message:
        raise InvalidInput(required_message, field=field)
    if text is not None and len(text) > limit:
        raise InvalidInput(_("At most %(n)d characters.", n=limit), field=field)
    return text


def _sane(day: date | None, field: str) -> date | None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise InvalidInput(_("Please enter a date between %(first)s and %(last)s.", first=EARLIEST.isoformat(),
                             last=LATEST.isoformat()), field=field)
    return day


def _require_self_or_manager(profile: JudgeProfile, actor) -> None:
    if not is_own(profile, actor) and not may_manage(actor):
        raise PermissionDenied(_("You do not have permission to do this."))


# --- qualifications ------------------------------------------------------------------------------

@dataclass
class QualificationFields:
    number: str | None
    issuer: str | None
    issued_on: date | None
    expires_on: date | None = None


def clean_qualification(data: QualificationFields, today: date) -> QualificationFields:
    """The fields normalised; raises InvalidInput naming every bad one at once."""
    problems = Problems()
    number = issuer = issued_on = expires_on = None
    with problems.check():
        number = _text(data.number, 64, "number", required_message=_("Please enter the certificate number."))
    with problems.check():
        issuer = _text(data.issuer, 200, "issuer", required_message=_("Please enter who issued the certificate."))
    if data.issued_on is None:
        problems.add(_("Please enter the date of issue."), "issued_on")
    else:
        with problems.check():
            issued_on = _sane(data.issued_on, "issued_on")
            if issued_on > today:
                raise InvalidInput(_("The date of issue cannot be in the future."), field="issued_on")
    with problems.check():
        expires_on = _sane(data.expires_on, "expires_on")
        if expires_on is not None and issued_on is not None and expires_on < issued_on:
            raise InvalidInput(_("The certificate cannot expire before it was issued."), field="expires_on")
    problems.raise_any()
    return QualificationFields(number, issuer, issued_on, expires_on)


def check_qualification(profile: JudgeProfile, data: QualificationFields, today: date,
                        except_id: int | None = None) -> None:
    """Raises InvalidInput naming every problem of a certificate at once (Conflict when a
    number the judge has, other than `except_id`'s, is the only one); changes nothing."""
    problems = Problems()
    with problems.check():
        clean_qualification(data, today)
    number = _text(data.number, 10**6, "number")
    if number and len(number) <= 64 and _number_taken(profile, number, except_id):
        with problems.check():
            raise Conflict(_number_taken_message(), field="number")
    problems.raise_any()


def _number_taken(profile: JudgeProfile, number: str, except_id: int | None = None) -> bool:
    query = select(Qualification.id).where(Qualification.profile_id == profile.id, Qualification.number == number)
    if except_id is not None:
        query = query.where(Qualification.id != except_id)
    return db.session.scalar(query) is not None


def _number_taken_message() -> str:
    return _("This judge already has a certificate with this number.")


def _flush_qualification() -> None:
    # The (judge, number) index may lose a race after _number_taken looked.
    flush_or_refuse(Conflict(_number_taken_message(), field="number"))


def add_qualification(profile: JudgeProfile, data: QualificationFields, *, actor, today: date) -> Qualification:
    """Record a certificate; raises InvalidInput for a bad field, Conflict for a number the judge has."""
    require_manager(actor)
    clean = clean_qualification(data, today)
    if _number_taken(profile, clean.number):
        raise Conflict(_number_taken_message(), field="number")
    qualification = Qualification(profile=profile, number=clean.number, issuer=clean.issuer,
                                  issued_on=clean.issued_on, expires_on=clean.expires_on)
    db.session.add(qualification)
    _flush_qualification()
    audit.record("judge.qualification_added", qualification, actor=actor,
                 after=audit.snapshot(qualification, Qualification.AUDITED) | {"profile_id": profile.id})
    return qualification


def update_qualification(qualification: Qualification, data: QualificationFields, *, actor,
                         today: date) -> Qualification:
    """Correct or renew a certificate's details."""
    require_manager(actor)
    clean = clean_qualification(data, today)
    if _number_taken(qualification.profile, clean.number, except_id=qualification.id):
        raise Conflict(_number_taken_message(), field="number")
    before = audit.snapshot(qualification, Qualification.AUDITED)
    qualification.number, qualification.issuer = clean.number, clean.issuer
    qualification.issued_on, qualification.expires_on = clean.issued_on, clean.expires_on
    _flush_qualification()
    audit.record("judge.qualification_updated", qualification, actor=actor, before=before,
                 after=audit.snapshot(qualification, Qualification.AUDITED))
    return qualification


def remove_qualification(qualification: Qualification, *, actor) -> None:
    """Delete a certificate recorded by mistake (the audit log keeps what it said)."""
    require_manager(actor)
    audit.record("judge.qualification_removed", qualification, actor=actor,
                 before=audit.snapshot(qualification, Qualification.AUDITED) | {"profile_id": qualification.profile_id})
    db.session.delete(qualification)


# --- availability --------------------------------------------------------------------------------

def add_availability(profile: JudgeProfile, starts_on: date | None, ends_on: date | None, note: str | None, *,
                     actor, today: date) -> Availability:
    """Declare dates the judge is available (inclusive). Ranges that overlap or touch one
    already declared are merged with it, so a panel across both is covered by one range.

    Raises InvalidInput for missing, reversed or past dates, or a range over a year.
    """
    _require_self_or_manager(profile, actor)
    check_availability(starts_on, ends_on, note, today)
    note = _text(note, 200, "note")
    touching = [a for a in profile.availability
                if a.starts_on <= ends_on + timedelta(days=1) and starts_on <= a.ends_on + timedelta(days=1)]
    merged_away = [audit.snapshot(a, Availability.AUDITED) for a in touching]
    starts_on = min([starts_on, *(a.starts_on for a in touching)])
    ends_on = max([ends_on, *(a.ends_on for a in touching)])
    notes = [n for n in [*(a.note for a in touching), note] if n]
    for old in touching:
        profile.availability.remove(old)
    db.session.flush()
    availability = Availability(profile=profile, starts_on=starts_on, ends_on=ends_on,
                                note="；".join(dict.fromkeys(notes))[:200] or None)
    db.session.add(availability)
    audit.record("judge.availability_added", availability, actor=actor,
                 after=audit.snapshot(availability, Availability.AUDITED) | {"profile_id": profile.id},
                 before={"merged": merged_away} if merged_away else None)
    return availability


def check_availability(starts_on: date | None, ends_on: date | None, note: str | None, today: date) -> None:
    """Raises InvalidInput naming every problem of declared dates at once: missing, reversed
    or past dates, a range over a year, a long note; changes nothing."""
    problems = Problems()
    if starts_on is None:
        problems.add(_("Please enter the first day."), "starts_on")
    if ends_on is None:
        problems.add(_("Please enter the last day."), "ends_on")
    with problems.check():
        _sane(starts_on, "starts_on")
    with problems.check():
        _sane(ends_on, "ends_on")
    if starts_on is not None and ends_on is not None and not problems.errors:
        if ends_on < starts_on:
            problems.add(_("The last day cannot be before the first day."), "ends_on")
        elif ends_on < today:
            problems.add(_("These dates are over already."), "ends_on")
        elif (ends_on - starts_on).days + 1 > MAX_AVAILABILITY_DAYS:
            problems.add(_("Declare at most a year at a time."), "ends_on")
    with problems.check():
        _text(note, 200, "note")
    problems.raise_any()


def remove_availability(availability: Availability, *, actor) -> None:
    """Withdraw declared dates (the judge, or staff)."""
    _require_self_or_manager(availability.profile, actor)
    audit.record("judge.availability_removed", availability, actor=actor,
                 before=audit.snapshot(availability, Availability.AUDITED) | {"profile_id": availability.profile_id})
    db.session.delete(availability)


# --- declared conflicts --------------------------------------------------------------------------

@dataclass
class ConflictFields:
    """A conflict with a unit, or with a person found by id (staff, API) or by name and ID number."""

    reason: str | None
    organisation_id: int | None = None
    person_id: int | None = None
    person_name: str | None = None
    person_id_type: ids.IdType | None = None
    person_id_number: str | None = None


def _conflict_party(profile: JudgeProfile, data: ConflictFields) -> tuple[Person | None, Organisation | None]:
    by_document = bool(data.person_id_number)
    named = sum(1 for given in (data.organisation_id is not None, data.person_id is not None, by_document) if given)
    if named == 0:
        raise InvalidInput(_("Please choose a unit or name a person."), field="organisation_id")
    if named > 1:
        raise InvalidInput(_("Name either a unit or a person, not both."), field="organisation_id")
    if data.organisation_id is not None:
        organisation = db.session.get(Organisation, data.organisation_id)
        if organisation is None:
            raise InvalidInput(_("No such member unit."), field="organisation_id")
        return None, organisation
    if data.person_id is not None:
        person = db.session.get(Person, data.person_id)
        if person is None:
            raise InvalidInput(_("No such person."), field="person_id")
    else:
        number = check_id_document(data.person_id_type or ids.IdType.RESIDENT_ID, data.person_id_number,
                                   field="person_id_number")
        person = people.find_by_id_number(data.person_id_type or ids.IdType.RESIDENT_ID, number)
        # One answer for "nobody" and "someone else": the ID number alone tells nothing.
        if person is None or name_key(person.full_name) != name_key(data.person_name or ""):
            raise InvalidInput(_("Nobody with this name and ID number is in the system."),
                               field="person_id_number")
    if person.id == profile.person_id:
        raise InvalidInput(_("A judge cannot declare a conflict with themself."), field="person_id_number")
    return person, None


def check_conflict(profile: JudgeProfile, data: ConflictFields) -> None:
    """Raises InvalidInput naming every problem of a declared conflict at once: the reason,
    the party (Conflict when it is declared already and nothing else is wrong); changes nothing."""
    problems = Problems()
    reason = (data.reason or "").strip()
    if not reason:
        problems.add(_("Please give the reason."), "reason")
    elif len(reason) > MAX_REASON:
        problems.add(_("At most %(n)d characters.", n=MAX_REASON), "reason")
    with problems.check():
        person, organisation = _conflict_party(profile, data)
        for existing in profile.conflicts:
            if (person is not None and existing.person_id == person.id) or (
                    organisation is not None and existing.organisation_id == organisation.id):
                raise Conflict(_("This conflict is declared already."), field="reason")
    problems.raise_any()


def declare_conflict(profile: JudgeProfile, data: ConflictFields, *, actor) -> DeclaredConflict:
    """Record that the judge must not mark a person's or a unit's contestants, with the reason.

    By the judge themself or by staff. Raises InvalidInput for a missing reason or party,
    Conflict when the same relation is declared already.
    """
    _require_self_or_manager(profile, actor)
    check_conflict(profile, data)
    reason = (data.reason or "").strip()
    person, organisation = _conflict_party(profile, data)
    conflict = DeclaredConflict(profile=profile, person=person, organisation=organisation, reason=reason,
                                declared_by_id=getattr(actor, "id", None))
    db.session.add(conflict)
    audit.record("judge.conflict_declared", conflict, actor=actor,
                 after=audit.snapshot(conflict, DeclaredConflict.AUDITED) | {"profile_id": profile.id})
    log.info("conflict %s declared for judge %s", conflict.id, profile.id)
    return conflict


def may_remove_conflict(conflict: DeclaredConflict, user) -> bool:
    """Staff may remove any declared conflict; the judge only one they declared themself."""
    if may_manage(user):
        return True
    return is_own(conflict.profile, user) and conflict.declared_by_id is not None and conflict.declared_by_id == user.id


def remove_conflict(conflict: DeclaredConflict, *, actor) -> None:
    """Withdraw a declared conflict; raises PermissionDenied for a judge removing one staff declared."""
    if not may_remove_conflict(conflict, actor):
        raise PermissionDenied(_("Only the association's staff can remove a conflict they recorded."))
    audit.record("judge.conflict_removed", conflict, actor=actor,
                 before=audit.snapshot(conflict, DeclaredConflict.AUDITED) | {"profile_id": conflict.profile_id})
    db.session.delete(conflict)
