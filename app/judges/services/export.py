"""The pool exported to Excel: one row per judge with the certificate that gives their
standing, and a sheet with every certificate. ID numbers are masked; every cell goes
through app.core.excel.safe_cell, so no spreadsheet runs a formula someone typed."""
from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.orm import selectinload

from app.core import excel
from app.extensions import db
from app.judges import validity
from app.judges.models import JudgeProfile
from app.judges.services import pool
from app.judges.services.excel_io import (CERT_ISSUER, CERT_NUMBER, EMAIL, EXPIRES_ON, ISSUED_ON, KIND,
                                          KIND_LABELS, LEVEL, PHONE, REGION, SHEET_TITLE, SPECIALITIES,
                                          STATE_LABELS, UNIT_CODE)

log = logging.getLogger(__name__)

CERTIFICATES_TITLE = "资格证书"

EXPORT_HEADERS = ["姓名", "证件号码（已脱敏）", PHONE, EMAIL, "单位", UNIT_CODE, KIND, LEVEL, SPECIALITIES, REGION,
                  "在库状态", "资格状态", CERT_NUMBER, CERT_ISSUER, ISSUED_ON, EXPIRES_ON]
CERTIFICATE_HEADERS = ["姓名", "证件号码（已脱敏）", CERT_NUMBER, CERT_ISSUER, ISSUED_ON, EXPIRES_ON, "状态"]


def export_pool(flt: pool.PoolFilter, *, today: date) -> bytes:
    """The judges matching `flt`, one row each with the certificate that gives their standing
    (the latest to expire), and a second sheet with every certificate. ID numbers masked."""
    profiles = db.session.scalars(pool.pool_query(flt, today).options(
        selectinload(JudgeProfile.qualifications), selectinload(JudgeProfile.specialities))).all()
    rows, certificates = [], []
    for profile in profiles:
        person, unit = profile.person, profile.person.organisation
        ordered = sorted(profile.qualifications, key=lambda q: (q.expires_on or date.max, q.issued_on), reverse=True)
        best = ordered[0] if ordered else None
        standing = validity.judge_state([(q.issued_on, q.expires_on) for q in ordered], today)
        rows.append([person.full_name, person.id_masked, person.phone, person.email, unit.name if unit else None,
                     unit.credit_code if unit else None, KIND_LABELS[profile.kind], profile.level.name,
                     "、".join(s.name for s in profile.specialities), profile.region,
                     "在库" if profile.is_active else "停用", STATE_LABELS[standing],
                     best.number if best else None, best.issuer if best else None,
                     best.issued_on if best else None, best.expires_on if best else None])
        for q in ordered:
            certificates.append([person.full_name, person.id_masked, q.number, q.issuer, q.issued_on, q.expires_on,
                                 STATE_LABELS[validity.qualification_state(q.issued_on, q.expires_on, today)]])
    log.info("%d judges exported", len(rows))
    return excel.write_workbook(EXPORT_HEADERS, rows, SHEET_TITLE, text_columns=[CERT_NUMBER, UNIT_CODE, PHONE],
                                extra_sheets=[(CERTIFICATES_TITLE, [CERTIFICATE_HEADERS, *certificates])])
