"""Certificates on a 375×812 phone: a holder finds and downloads their certificate from My
certificates, and a stranger who scans the QR code (not signed in) reads the verification page
without scrolling sideways; the lookup by serial and name works there too."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.certificates.models import CertificateDocument
from app.extensions import db
from tests import factories as f
from tests.browser.conftest import PHONE, new_page
from tests.browser.support import login_via_page, prefer_language
from tests.certificates.support import issue_by_hand

pytestmark = pytest.mark.browser


def test_a_holder_downloads_and_a_stranger_verifies_on_a_phone(phone_page, browser, live_server, tmp_path):
    user = f.UserFactory(locale="zh_CN", person__full_name="欧阳䶮明")
    certificate = issue_by_hand(user.person, subject="2026年全国职工职业技能大赛（网络安全管理员四级/中级工）")
    serial, code, certificate_id = certificate.serial, certificate.code, certificate.id
    stored = db.session.get(CertificateDocument, certificate_id).pdf
    shots = Path(os.environ.get("JIYI_ARTEFACTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)

    page = phone_page
    prefer_language(page, live_server, "zh_CN")
    login_via_page(page, live_server, user.login_name)
    page.goto(f"{live_server}/me/certificates")
    expect(page.get_by_test_id("certificate")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    assert Path(download.value.path()).read_bytes() == stored
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "my certificates scroll sideways"

    stranger = new_page(browser, **PHONE)
    try:
        prefer_language(stranger, live_server, "zh_CN")
        stranger.goto(f"{live_server}/verify/{code}")
        expect(stranger.get_by_test_id("state")).to_have_attribute("data-state", "valid")
        expect(stranger.get_by_test_id("holder")).to_have_text("欧**明")
        expect(stranger.get_by_test_id("serial")).to_have_text(serial)
        stranger.screenshot(path=str(shots / "certificate-verify-phone.png"), full_page=True)
        assert stranger.evaluate("document.documentElement.scrollWidth") <= 375, "verification scrolls sideways"
        stranger.goto(f"{live_server}/verify")
        stranger.get_by_label("证书编号").fill(serial)
        stranger.get_by_label("持证人姓名（全名）").fill("欧阳䶮明")
        stranger.get_by_role("button", name="查验").click()
        expect(stranger.get_by_test_id("serial")).to_have_text(serial)
    finally:
        stranger.context.close()
