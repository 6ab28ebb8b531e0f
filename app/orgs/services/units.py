"""Member units: validating, creating, changing, and who may see which."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.core import identifiers
from app.core import audit
from app.core.errors import Conflict, InvalidInput, Problems
from app.core.permissions import Grant, Role, Scope, ScopeType, require, scopes_with
from app.core.transaction import flush_or_refuse
from app.core.validation import check_credit_code
from app.extensions import db
from app.orgs.models import Organisation, OrgType

log = logging.getLogger(__name__)


@dataclass
class OrgFields:
    """What a form, an API call or an import row says about a unit."""

    name: str
    credit_code: str
    province: str
    org_type: OrgType | None
    city: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    address: str | None = None


def _text(value: str | None, limit: int) -> str | None:
    value = " ".join((value or "").split())
    return value[:limit] or None


def clean(data: OrgFields) -> OrgFields:
    """Validated, normalised fields; raises InvalidInput naming every bad field at once."""
    problems = Problems()
    name = _text(data.name, 1000)
    if not name:
        problems.add(_("Please enter the unit's name."), "name")
    elif len(name) > 128:
        problems.add(_("The name is too long (at most 128 characters)."), "name")
    province = _text(data.province, 1000)
    if not province:
        problems.add(_("Please enter the province."), "province")
    elif len(province) > 32:
        problems.add(_("The province is too long (at most 32 characters)."), "province")
    if data.org_type is None:
        problems.add(_("Please choose the type of unit."), "org_type")
    phone = email = credit_code = city = contact_name = address = None
    if data.contact_phone and data.contact_phone.strip():
        try:
            phone = identifiers.normalise_phone(data.contact_phone)
        except identifiers.IdentifierError:
            problems.add(_("Please enter a valid mobile phone number."), "contact_phone")
    if data.contact_email and data.contact_email.strip():
        try:
            email = identifiers.normalise_email(data.contact_email)
        except identifiers.IdentifierError:
            problems.add(_("Please enter a valid e-mail address."), "contact_email")
    with problems.check():
        city = _limited(data.city, 32, "city")
    with problems.check():
        contact_name = _limited(data.contact_name, 64, "contact_name")
    with problems.check():
        address = _limited(data.address, 255, "address")
    with problems.check():
        credit_code = check_credit_code(data.credit_code or "")
    problems.raise_any()
    return OrgFields(name=name, credit_code=credit_code, province=province,
                     org_type=data.org_type, city=city, contact_name=contact_name,
                     contact_phone=phone, contact_email=email, address=address)


def _limited(value: str | None, limit: int, field: str) -> str | None:
    """The trimmed text, or InvalidInput when it is longer than the column holds (never cut)."""
    text = _text(value, 100000)
    if text is not None and len(text) > limit:
        raise InvalidInput(_("At most %(n)d characters.", n=limit), field=field)
    return text


def duplicate_of(data: OrgFields, except_id: int | None = None) -> str | None:
    """The field ("name" or "credit_code") that another unit already has, if any."""
    for field in ("credit_code", "name"):
        holder = db.session.scalar(select(Organisation.id).where(getattr(Organisation, field) == getattr(data, field)))
        if holder is not None and holder != except_id:
            return field
    return None


def _refuse_duplicate(data: OrgFields, except_id: int | None = None) -> None:
    field = duplicate_of(data, except_id)
    if field == "credit_code":
        raise Conflict(_("A unit with this credit code already exists."), field="credit_code")
    if field == "name":
        raise Conflict(_("A unit with this name already exists."), field="name")


def check_organisation(data: OrgFields, except_id: int | None = None) -> None:
    """Raises InvalidInput naming every problem of `data` at once, or Conflict when another
    unit (not `except_id`) has its name or credit code; changes nothing."""
    _refuse_duplicate(clean(data), except_id)


def _flush() -> None:
    # A unique column may lose a race with another writer after _refuse_duplicate looked.
    flush_or_refuse(Conflict(_("A unit with this name or credit code already exists.")))


def _apply(org: Organisation, data: OrgFields) -> None:
    for name in Organisation.AUDITED:
        setattr(org, name, getattr(data, name))


def create_organisation(data: OrgFields, *, actor) -> Organisation:
    """Add a member unit; raises InvalidInput for a bad field, Conflict for a duplicate."""
    require(actor, "orgs.manage")
    cleaned = clean(data)
    _refuse_duplicate(cleaned)
    org = Organisation()
    _apply(org, cleaned)
    db.session.add(org)
    _flush()
    audit.record("organisation.created", org, actor=actor, after=audit.snapshot(org, Organisation.AUDITED))
    log.info("organisation %s created", org.id)
    return org


def update_organisation(org: Organisation, data: OrgFields, *, actor) -> Organisation:
    """Change a unit: staff any unit, a liaison their own. Audited with before/after."""
    require(actor, "orgs.edit", org_scope(org.id))
    cleaned = clean(data)
    _refuse_duplicate(cleaned, except_id=org.id)
    before = audit.snapshot(org, Organisation.AUDITED)
    _apply(org, cleaned)
    _flush()
    audit.record("organisation.updated", org, actor=actor, before=before,
                 after=audit.snapshot(org, Organisation.AUDITED))
    log.info("organisation %s updated", org.id)
    return org


def org_scope(org_id: int) -> Scope:
    return Scope.of(ScopeType.ORGANISATION, org_id)


def scope_of_org_id(view_args: dict) -> Scope:
    """Access-rule resolver: the unit named in the URL (404 if none)."""
    org = db.get_or_404(Organisation, view_args.get("org_id"))
    return org_scope(org.id)


def visible_organisations(user, search: str | None = None, province: str | None = None):
    """A query of the units `user` may see: all for staff, their own for a liaison."""
    query = select(Organisation).order_by(Organisation.name)
    org_ids = scopes_with(user, "orgs.view", ScopeType.ORGANISATION)
    if org_ids is not None:
        query = query.where(Organisation.id.in_(org_ids))
    if search:
        term = search.strip()
        query = query.where(or_(Organisation.name.contains(term, autoescape=True), Organisation.credit_code == term.upper()))
    if province:
        query = query.where(Organisation.province == province)
    return query


def liaison_user_ids(org: Organisation) -> list[int]:
    """The users who are liaisons of `org`."""
    return list(db.session.scalars(select(Grant.user_id).where(
        Grant.role == Role.LIAISON, Grant.scope_type == ScopeType.ORGANISATION, Grant.scope_id == org.id)))
