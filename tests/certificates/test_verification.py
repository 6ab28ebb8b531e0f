"""The done-when of issue 15: a rendered certificate's QR code, read off the page as a phone
reads it, opens the public verification page with the right facts; revoked says revoked, a
corrected one points to its successor, a changed code is not found; the lookup by serial and
name is the second way in; the page is rate-limited."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from app.certificates.models import CertificateDocument, CertificateTemplate
from app.certificates.services import issuing
from app.certificates.services.verification import mask_name
from tests import factories as f
from tests.certificates.support import issue_by_hand, qr_text


@pytest.fixture(autouse=True)
def _chinese(client):
    client.set_cookie("lang", "zh_CN")


def test_the_qr_code_opens_the_page_that_shows_what_was_certified(client, db, app, tmp_path):
    holder = f.PersonFactory(full_name="张䶮明")
    certificate = issue_by_hand(holder)
    url = qr_text(db.session.get(CertificateDocument, certificate.id).pdf, tmp_path)
    assert url == f"{app.config['BASE_URL']}/verify/{certificate.code}"
    page = client.get(urlsplit(url).path).get_data(as_text=True)
    assert 'data-state="valid"' in page
    for shown in ("张*明", holder.id_masked, certificate.serial, "网络安全管理员", "一等奖 / First prize",
                  "2026年全国职工职业技能大赛", "中国职工技术协会", certificate.issued_on.isoformat()):
        assert shown in page
    assert "张䶮明" not in page

    changed = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    missing = client.get(f"/verify/{changed}")
    assert missing.status_code == 404 and 'data-state="not-found"' in missing.get_data(as_text=True)
    assert certificate.serial not in missing.get_data(as_text=True)

    issuing.revoke(certificate, "成绩复核后取消", actor=f.staff())
    db.session.commit()
    revoked = client.get(urlsplit(url).path).get_data(as_text=True)
    assert 'data-state="revoked"' in revoked and "成绩复核后取消" in revoked


def test_a_corrected_certificate_points_to_its_successor_and_both_verify(client, db):
    old = issue_by_hand(f.PersonFactory(full_name="李四"))
    template = db.session.get(CertificateTemplate, old.template_id)
    new = issuing.correct(old, issuing.Correction("更正后的赛项", (), "赛项名称有误"), template, actor=f.staff())
    db.session.commit()
    page = client.get(f"/verify/{old.code}").get_data(as_text=True)
    assert 'data-state="superseded"' in page and f"/verify/{new.code}" in page and new.serial in page
    assert 'data-state="valid"' in client.get(f"/verify/{new.code}").get_data(as_text=True)


def test_the_lookup_by_serial_and_full_name_finds_it_and_a_wrong_name_finds_nothing(client, db):
    certificate = issue_by_hand(f.PersonFactory(full_name="王小明"))
    client.get("/verify")
    found = client.post("/verify", data={"serial": certificate.serial, "holder_name": " 王小明 "})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/verify/{certificate.code}")
    wrong = client.post("/verify", data={"serial": certificate.serial, "holder_name": "王小"})
    assert wrong.status_code == 404 and certificate.code not in wrong.get_data(as_text=True)


def test_names_are_masked_in_the_middle():
    assert [mask_name(n) for n in ("张", "张三", "张小明", "欧阳小明", "Li Lei")] == \
        ["*", "张*", "张*明", "欧**明", "L****i"]


def test_verification_is_rate_limited_per_address(client, db, app):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    try:
        answers = [client.get("/verify/aaaaaaaaaaaaaaaaaaaaaa").status_code for _ in range(4)]
        api = [client.get("/api/v1/verify/aaaaaaaaaaaaaaaaaaaaaa").status_code for _ in range(4)]
    finally:
        app.config["VERIFY_RATE_LIMIT"] = "30 per minute"
    assert answers == [404, 404, 404, 429] and api == [404, 404, 404, 429]
