"""The one confirm mechanism in a real browser: a form with data-confirm asks in a <dialog>
(static/js/confirm.js); "Cancel" changes nothing, the confirming button submits."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.accounts.models import ApiToken
from app.accounts.services import tokens
from app.extensions import db
from tests import factories as f
from tests.browser.support import login_via_page, prefer_language

pytestmark = pytest.mark.browser


def test_revoking_a_token_asks_first_on_a_phone(phone_page, live_server):
    user = f.UserFactory()
    token, _secret = tokens.create_token(user, "报表脚本")
    db.session.commit()
    page = phone_page
    prefer_language(page, live_server, "en")
    login_via_page(page, live_server, user.login_name)
    page.goto(f"{live_server}/account/tokens")

    page.get_by_role("button", name="Revoke").click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Revoke the token 报表脚本?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).is_revoked is False

    page.get_by_role("button", name="Revoke").click()
    with page.expect_navigation():
        page.get_by_test_id("confirm-yes").click()
    expect(page.locator("main")).to_contain_text("revoked")
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).is_revoked is True
