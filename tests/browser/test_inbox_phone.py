"""The bell and the inbox on a 375×812 phone: the bell shows the unread count without opening
the menu, the messages read as cards that fit the screen, and marking all read empties the bell."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.notifications import notify
from tests import factories as f
from tests.browser.support import login_via_page, prefer_language

pytestmark = pytest.mark.browser


def test_a_person_reads_their_messages_on_a_phone(phone_page, live_server, tmp_path):
    user = f.UserFactory(locale="zh_CN")
    for n in range(3):
        notify(user.id, "registration.closing", key=f"e{n}",
               context={"event": f"网络安全管理员（四级/中级工）第{n}赛项", "closes_at": datetime(2026, 6, 10, 1, 30, tzinfo=timezone.utc)},
               link="/competitions")
    db.session.commit()
    page = phone_page
    prefer_language(page, live_server, "zh_CN")
    login_via_page(page, live_server, user.login_name)

    bell = page.get_by_test_id("bell")
    expect(bell).to_be_visible()                        # not hidden behind the menu button
    expect(page.get_by_test_id("unread-count")).to_have_text("3")
    bell.click()
    expect(page.get_by_test_id("message")).to_have_count(3)
    expect(page.get_by_test_id("message").first).to_contain_text("2026年6月10日 09:30")
    shots = Path(os.environ.get("JIYI_ARTEFACTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "inbox-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the inbox scrolls sideways"

    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    expect(page.locator(".list-group-item-primary")).to_have_count(0)
