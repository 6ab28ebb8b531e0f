"""How member units and committees read in the audit log (core.audit_log)."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import audit_log
from app.extensions import db
from app.orgs.labels import committee_name
from app.orgs.models import Committee, Organisation


def _organisations(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


def _committees(ids: list[int]) -> dict[int, str]:
    return {c.id: committee_name(c) for c in db.session.scalars(select(Committee).where(Committee.id.in_(ids)))}


def register() -> None:
    """Describe the orgs package's objects and actions to the audit log."""
    audit_log.register_object_type("organisations", audit_log.ObjectType(
        _l("Member unit"), _organisations, lambda id_: url_for("orgs.organisation", org_id=id_)))
    audit_log.register_object_type("committees", audit_log.ObjectType(
        _l("Committee"), _committees, in_committees=lambda ids: select(Committee.id).where(Committee.id.in_(ids))))
    audit_log.register_actions({
        "organisation.created": _l("Member unit added"), "organisation.updated": _l("Member unit changed"),
        "organisation.imported": _l("Member units imported from Excel"),
        "committee.created": _l("Committee added"),
    })
    audit_log.register_fields({
        "credit_code": _l("Unified social credit code"), "province": _l("Province"), "city": _l("City"),
        "org_type": _l("Type"), "contact_name": _l("Contact"), "contact_phone": _l("Contact phone"),
        "contact_email": _l("Contact e-mail"), "address": _l("Address"), "name_en": _l("English name"),
        "code": _l("Code"),
    })
