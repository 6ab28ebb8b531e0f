"""Issuing through the one service every source uses: serials from the pattern, a random code
unrelated to them, the PDF's hash kept, one certificate per holder, subject and kind; a
correction supersedes with a new serial; revoking keeps the record; nothing is deleted."""
from __future__ import annotations

import hashlib

import pytest

from app.certificates.models import Certificate, CertificateDocument, CertificateTemplate, Kind, State
from app.certificates.services import issuing
from app.certificates.sources import JUDGE_POOL, MANUAL
from app.core.errors import Conflict, InvalidInput
from tests import factories as f
from tests.certificates.pdf_support import drawable_characters
from tests.certificates.support import issue_by_hand, make_template
from tests.judges.factories import QualificationFactory
from tests.support import need_cjk_font


def test_a_rare_character_in_the_holder_name_is_drawn_by_the_embedded_font(db):
    need_cjk_font()
    holder = f.PersonFactory(full_name="张䶮明")
    certificate = issue_by_hand(holder)
    pdf = db.session.get(CertificateDocument, certificate.id).pdf
    assert set("张䶮明") <= drawable_characters(pdf)
    assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256


def test_a_character_no_font_can_print_is_refused_before_a_serial_is_spent(db):
    need_cjk_font()
    template = make_template()
    holder = f.PersonFactory(full_name="王𠀀")   # CJK extension B: beyond WenQuanYi Zen Hei
    with pytest.raises(InvalidInput):
        issuing.issue(MANUAL.issuable(holder.id, Kind.AWARD, "某赛项", []), template, actor=f.staff())
    db.session.rollback()
    other = issue_by_hand(f.PersonFactory(), template=template)
    assert other.serial.endswith("-AW-000001")


def test_serials_count_per_year_and_kind_and_codes_are_random(db, app):
    staff = f.staff()
    award, judge = make_template(Kind.AWARD), make_template(Kind.JUDGE, title="裁判员证书")
    first = issue_by_hand(f.PersonFactory(), template=award, actor=staff)
    second = issue_by_hand(f.PersonFactory(), template=award, actor=staff)
    qualification = QualificationFactory()
    judged = issuing.issue(JUDGE_POOL.issuable(qualification), judge, actor=staff)
    year = first.issued_on.year
    assert [first.serial, second.serial, judged.serial] == [f"{year}-AW-000001", f"{year}-AW-000002",
                                                            f"{year}-JQ-000001"]
    assert len({first.code, second.code, judged.code}) == 3
    assert all(len(c.code) >= 22 and c.serial not in c.code for c in (first, second, judged))  # 128 bits
    assert dict(judged.facts)["资格证号 / Qualification no."] == qualification.number


def test_the_same_subject_is_issued_once_and_a_judge_pool_batch_skips_it(db):
    holder = f.PersonFactory()
    template = make_template()
    issue_by_hand(holder, template=template)
    with pytest.raises(Conflict):
        issue_by_hand(holder, template=template, subject=" 2026年全国职工职业技能大赛 ")
    db.session.rollback()
    qualification = QualificationFactory()
    assert [i.subject_key for i in JUDGE_POOL.issuables(None)] == [JUDGE_POOL.subject_key(qualification.id)]
    issuing.issue(JUDGE_POOL.issuable(qualification), make_template(Kind.JUDGE), actor=f.staff())
    assert list(JUDGE_POOL.issuables(None)) == []


def test_a_correction_supersedes_with_a_new_serial_and_revoking_keeps_the_record(db):
    staff = f.staff()
    holder = f.PersonFactory()
    old = issue_by_hand(holder, actor=staff)
    old_pdf = db.session.get(CertificateDocument, old.id).pdf
    correction = issuing.Correction("2026年全国职工职业技能大赛（更正）", (("奖项 / Award", "二等奖"),), "奖项录入有误")
    new = issuing.correct(old, correction, db.session.get(CertificateTemplate, old.template_id), actor=staff)
    db.session.commit()
    assert (old.state, old.superseded_by_id, new.supersedes_id) == (State.SUPERSEDED, new.id, old.id)
    assert new.serial != old.serial and new.code != old.code
    assert db.session.get(CertificateDocument, old.id).pdf == old_pdf   # the old PDF is as issued
    with pytest.raises(Conflict):
        issuing.revoke(old, "再次", actor=staff)
    with pytest.raises(InvalidInput):
        issuing.revoke(new, "  ", actor=staff)
    issuing.revoke(new, "证书持有人作弊", actor=staff)
    db.session.commit()
    assert new.state == State.REVOKED and new.revoked_reason == "证书持有人作弊" and new.revoked_at
    assert db.session.query(Certificate).count() == 2
