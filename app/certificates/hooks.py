"""What certificates add to the shared pages (app/core/registry.py): the permission to issue
and revoke, the menu, and how certificates and templates read in the audit log.

Certificates are the association's: staff holding certificates.manage everywhere issue and
revoke them (a committee's staff will be given their own subjects' certificates when the
results and training sources scope them)."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.certificates.models import Certificate, CertificateBatch, CertificateTemplate
from app.core import audit_log
from app.core.permissions import Role
from app.core.registry import EVERYWHERE, Registry
from app.extensions import db


def _certificate_names(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Certificate.id, Certificate.serial, Certificate.holder_name)
                              .where(Certificate.id.in_(ids)))
    return {id_: f"{serial} · {name}" for id_, serial, name in rows}


def _template_names(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(CertificateTemplate.id, CertificateTemplate.name)
                                   .where(CertificateTemplate.id.in_(ids))).all())


def _batch_names(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(CertificateBatch.id, CertificateBatch.title)
                                   .where(CertificateBatch.id.in_(ids))).all())


def register(registry: Registry) -> None:
    registry.permissions({"certificates.manage": (Role.STAFF,)})
    registry.menu_group("certificates", _l("Certificates"), order=40)
    registry.menu_entry("certificates.index", _l("Issued certificates"), group="certificates", order=10,
                        permission="certificates.manage", held=EVERYWHERE)
    registry.menu_entry("certificates.templates_list", _l("Certificate templates"), group="certificates", order=20,
                        permission="certificates.manage", held=EVERYWHERE)
    registry.menu_entry("certificates.batches_list", _l("Certificate batches"), group="certificates", order=25,
                        permission="certificates.manage", held=EVERYWHERE)
    registry.menu_entry("certificates.mine", _l("My certificates"), group="certificates", order=30,
                        testid="my-certificates")
    registry.menu_entry("certificates.lookup", _l("Verify a certificate"), group="certificates", order=40,
                        public=True)
    audit_log.register_object_type("certificates", audit_log.ObjectType(
        _l("Certificate"), _certificate_names, lambda id_: url_for("certificates.certificate", certificate_id=id_)))
    audit_log.register_object_type("certificate_templates", audit_log.ObjectType(
        _l("Certificate template"), _template_names, lambda id_: url_for("certificates.template", template_id=id_)))
    audit_log.register_object_type("certificate_batches", audit_log.ObjectType(
        _l("Certificate batch"), _batch_names, lambda id_: url_for("certificates.batch", batch_id=id_)))
    audit_log.register_actions({
        "certificates.batch_created": _l("Certificate batch asked for"),
        "certificates.issued": _l("Certificate issued"), "certificates.corrected": _l("Certificate corrected"),
        "certificates.revoked": _l("Certificate revoked"),
        "certificates.template_created": _l("Certificate template added"),
        "certificates.template_changed": _l("Certificate template changed"),
        "certificates.template_background": _l("Certificate template background changed"),
    })
    audit_log.register_fields({"serial": _l("Serial number"), "holder": _l("Holder"), "title": _l("Title"),
                               "issuer": _l("Issuer"), "background": _l("Background image")})
