"""People: creating and changing them, their ID documents, and who may see whom."""
from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.accounts.models import Gender, Person, SkillLevel
from app.core import audit, crypto, identifiers, ids
from app.core.errors import Conflict, InvalidInput, Problems
from app.core.permissions import Scope, ScopeType, require, scopes_with
from app.core.transaction import flush_or_refuse
from app.core.validation import check_id_document
from app.extensions import db
from app.orgs.models import Organisation

log = logging.getLogger(__name__)


@dataclass
class PersonFields:
    """What a form, an API call or an import row says about a person."""

    full_name: str
    id_type: ids.IdType | None = None
    id_number: str | None = None        # as typed; validated and normalised here
    gender: Gender | None = None
    birth_date: date | None = None
    phone: str | None = None
    email: str | None = None
    organisation_id: int | None = None
    job_title: str | None = None
    skill_level: SkillLevel | None = None


def person_scope(person: Person) -> Scope:
    """A person sits in their member unit's scope (a liaison of that unit may manage them)."""
    if person.organisation_id is None:
        return Scope()
    return Scope.of(ScopeType.ORGANISATION, person.organisation_id)


def visible_persons(user, search: str | None = None):
    """A query of the people `user` may see: all for staff, their unit's for a liaison."""
    query = select(Person).order_by(Person.id.desc())
    org_ids = scopes_with(user, "persons.view", ScopeType.ORGANISATION)
    if org_ids is not None:
        query = query.where(Person.organisation_id.in_(org_ids))
    if search:
        term = search.strip()
        conditions = [Person.full_name.contains(term, autoescape=True), Person.phone.contains(term, autoescape=True)]
        try:  # a whole ID number finds its person by the keyed hash, never by plaintext
            number = ids.validate_document(ids.IdType.RESIDENT_ID, term)
            conditions.append(Person.id_hash == crypto.keyed_hash(ids.IdType.RESIDENT_ID.value, number))
        except ids.IdNumberError:
            pass
        query = query.where(or_(*conditions))
    return query


def find_by_id_number(id_type: ids.IdType, number: str) -> Person | None:
    """The person holding this document, if any (`number` already normalised)."""
    return db.session.scalar(select(Person).where(Person.id_hash == crypto.keyed_hash(id_type.value, number)))


def _clean(data: PersonFields) -> PersonFields:
    """Validate and normalise every field; raises InvalidInput naming every bad field at once."""
    problems = Problems()
    name = " ".join((data.full_name or "").split())
    if not name:
        problems.add(_("Please enter the name."), "full_name")
    elif len(name) > 64:
        problems.add(_("The name is too long (at most 64 characters)."), "full_name")
    phone = email = None
    if data.phone:
        try:
            phone = identifiers.normalise_phone(data.phone)
        except identifiers.IdentifierError:
            problems.add(_("Please enter a valid mobile phone number."), "phone")
    if data.email:
        try:
            email = identifiers.normalise_email(data.email)
        except identifiers.IdentifierError:
            problems.add(_("Please enter a valid e-mail address."), "email")
    if data.birth_date is not None and not ids.is_plausible_birth_date(data.birth_date):
        problems.add(_("The birth date must be between %(first)s and today.",
                       first=ids.EARLIEST_BIRTH_DATE.isoformat()), "birth_date")
    cleaned = PersonFields(**{f.name: getattr(data, f.name) for f in fields(PersonFields)})
    cleaned.full_name, cleaned.phone, cleaned.email = name, phone, email
    cleaned.job_title = (data.job_title or "").strip()[:64] or None
    if data.organisation_id is not None and db.session.get(Organisation, data.organisation_id) is None:
        problems.add(_("No such member unit."), "organisation_id")
    if data.id_number and not data.id_type:
        problems.add(_("Please choose the type of ID document."), "id_type")
    if data.id_type and not data.id_number:
        problems.add(_("Please enter the ID number."), "id_number")
    elif data.id_type:
        with problems.check():
            cleaned.id_number = check_id_document(data.id_type, data.id_number)
            if data.id_type == ids.IdType.RESIDENT_ID:
                _cross_check_resident_id(cleaned, problems)
    problems.raise_any()
    return cleaned


def _cross_check_resident_id(data: PersonFields, problems: Problems) -> None:
    """Gender and birth date come from the ID number; what was typed must agree with it."""
    resident = ids.parse_resident_id(data.id_number)
    derived_gender = Gender(resident.gender)
    if data.gender is not None and data.gender != derived_gender:
        problems.add(_("The gender does not match the ID number."), "gender")
    if data.birth_date is not None and data.birth_date != resident.birth_date:
        problems.add(_("The birth date does not match the ID number."), "birth_date")
    data.gender, data.birth_date = derived_gender, resident.birth_date


def check_person(data: PersonFields, person: Person | None = None) -> None:
    """Raises InvalidInput naming every problem of `data` at once (for `person` when it is
    changed), Conflict when an ID number another person holds is the only one; changes nothing."""
    problems = Problems()
    data = _keeping_stored_id(person, data) if person is not None else data
    cleaned = None
    with problems.check():
        cleaned = _clean(data)
    number = cleaned.id_number if cleaned else _usable_number(data)
    holder = find_by_id_number(data.id_type, number) if number else None
    if holder is not None and (person is None or holder.id != person.id):
        with problems.check():
            raise Conflict(_("A person with this ID number is already registered."), field="id_number")
    problems.raise_any()


def _usable_number(data: PersonFields) -> str | None:
    """The ID number in normal form when it is valid, else None (_clean names that problem)."""
    if not (data.id_type and data.id_number):
        return None
    try:
        return check_id_document(data.id_type, data.id_number)
    except InvalidInput:
        return None


def _keeping_stored_id(person: Person, data: PersonFields) -> PersonFields:
    """`data` with the stored ID document when it leaves the number blank (which keeps it),
    so that the gender and birth date it brings are still checked against that number."""
    if data.id_number or person.id_number_encrypted is None:
        return data
    return replace(data, id_type=person.id_type, id_number=crypto.decrypt(person.id_number_encrypted))


def _apply(person: Person, data: PersonFields) -> None:
    for name in ("full_name", "gender", "birth_date", "phone", "email", "organisation_id",
                 "job_title", "skill_level"):
        setattr(person, name, getattr(data, name))
    if data.id_type and data.id_number:
        id_hash = crypto.keyed_hash(data.id_type.value, data.id_number)
        if id_hash != person.id_hash:
            holder = db.session.scalar(select(Person.id).where(Person.id_hash == id_hash))
            if holder is not None and holder != person.id:
                raise Conflict(_("A person with this ID number is already registered."), field="id_number")
        person.id_type = data.id_type
        person.id_number_encrypted = crypto.encrypt(data.id_number)
        person.id_hash = id_hash
        person.id_masked = ids.mask_id_number(data.id_number)


def _flush_person() -> None:
    # The unique hash may lose a race with another writer after _apply's check.
    flush_or_refuse(Conflict(_("A person with this ID number is already registered."), field="id_number"))


def may_add_people(user) -> bool:
    """Whether `user` can add anyone: staff everywhere, or a liaison (into their units).
    A committee's staff see people but cannot add one (a person belongs to a unit, not a
    committee), so their pages offer no "add"."""
    return scopes_with(user, "persons.manage", ScopeType.ORGANISATION) != set()


def create_person(data: PersonFields, *, actor) -> Person:
    """Create a person; raises InvalidInput for a bad field, Conflict for a known ID number,
    PermissionDenied unless `actor` may manage people (in the person's unit, if one is given)."""
    if data.organisation_id is not None:
        require(actor, "persons.manage", Scope.of(ScopeType.ORGANISATION, data.organisation_id))
    else:
        require(actor, "persons.manage")
    cleaned = _clean(data)
    person = Person()
    _apply(person, cleaned)
    db.session.add(person)
    _flush_person()
    audit.record("person.created", person, actor=actor, after=audit.snapshot(person, Person.AUDITED))
    log.info("person %s created", person.id)
    return person


def update_person(person: Person, data: PersonFields, *, actor) -> Person:
    """Change a person's details; the same checks as creating one. Audited with before/after."""
    require(actor, "persons.manage", person_scope(person))
    if data.organisation_id is not None and data.organisation_id != person.organisation_id:
        require(actor, "persons.manage", Scope.of(ScopeType.ORGANISATION, data.organisation_id))
    cleaned = _clean(_keeping_stored_id(person, data))
    before = audit.snapshot(person, Person.AUDITED)
    _apply(person, cleaned)
    _flush_person()
    audit.record("person.updated", person, actor=actor, before=before,
                 after=audit.snapshot(person, Person.AUDITED))
    log.info("person %s updated", person.id)
    return person


def reveal_id_number(person: Person, *, actor, reason: str) -> str:
    """The full ID number, for staff holding persons.reveal_id; every look is audited.

    Only of people the actor may see at all: the id viewer role holds everywhere, and must
    not open other units' people to a liaison who also has it."""
    require(actor, "persons.reveal_id")
    require(actor, "persons.view", person_scope(person))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Please give the reason for viewing the full ID number."), field="reason")
    if person.id_number_encrypted is None:
        raise InvalidInput(_("This person has no ID number on file."))
    audit.record("person.id_revealed", person, actor=actor, reason=reason[:500])
    return crypto.decrypt(person.id_number_encrypted)


def update_own_profile(user, data: PersonFields) -> Person:
    """A signed-in person fills in or corrects their own profile."""
    person = user.person
    cleaned = _clean(_keeping_stored_id(person, data))
    before = audit.snapshot(person, Person.AUDITED)
    _apply(person, cleaned)
    _flush_person()
    audit.record("person.updated", person, actor=user, before=before,
                 after=audit.snapshot(person, Person.AUDITED))
    return person


def scope_of_person_id(view_args: dict) -> Scope:
    """Access-rule resolver: the scope of the person named in the URL (404 if none)."""
    person = db.get_or_404(Person, view_args.get("person_id"))
    return person_scope(person)
