"""Fifty PostgreSQL connections issue certificates at the same moment: every serial is unique
and together they run 1..50 without a gap (the named serial's row lock orders them)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.certificates.models import Certificate, CertificateTemplate, Kind
from app.certificates.services import issuing
from app.certificates.sources import MANUAL
from app.extensions import db
from tests import factories as f
from tests.certificates.support import make_template
from tests.competitions.test_registration_races import race

pytestmark = pytest.mark.postgres_only
RACERS = 50


def test_fifty_connections_issuing_at_once_get_unique_gap_free_serials(app):
    staff = f.staff()
    template = make_template(actor=staff)
    holders = [f.PersonFactory().id for _ in range(RACERS)]
    template_id, staff_id = template.id, staff.id

    def racer(holder_id):
        def job():
            certificate = issuing.issue(MANUAL.issuable(holder_id, Kind.AWARD, "2026年全国职工职业技能大赛", []),
                                        db.session.get(CertificateTemplate, template_id),
                                        actor=db.session.get(User, staff_id))
            return certificate.serial
        return job

    serials = race(app, [racer(holder_id) for holder_id in holders])
    assert all(isinstance(serial, str) for serial in serials), serials
    numbers = sorted(int(serial.rsplit("-", 1)[1]) for serial in serials)
    assert numbers == list(range(1, RACERS + 1))
    stored = db.session.scalars(select(Certificate.serial)).all()
    assert sorted(stored) == sorted(serials) and len(set(stored)) == RACERS
