"""An event's sessions (场次) and a room's day on a 375×812 phone: the sessions list reads as
cards with every action in view, the session form and the booking form fit, and a booking by
hand made on the phone shows on the room's day with a cancel that asks first."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories as f
from tests.browser.support import login_via_page, prefer_language
from tests.browser.test_phone_lists import _artefacts, _assert_fits_a_phone
from tests.competitions.sessions_support import at, dated_event, make_session, room
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import make_panel

pytestmark = pytest.mark.browser


def test_the_sessions_and_a_rooms_day_fit_a_phone(phone_page, live_server, tmp_path):
    event = dated_event(name="网络安全管理员（四级/中级工）")
    hall = room("第一实训楼三层大机房", stations=12)
    make_session(event, hall, at(3, 9), at(3, 12), name="第一场（上午）")
    make_session(event, hall, at(3, 13), at(3, 17), name="第二场（下午）")
    make_panel(event, SpecialityFactory(), name="网络安全管理员裁判组")
    db.session.commit()
    folder = _artefacts(tmp_path)
    page = phone_page
    prefer_language(page, live_server, "zh_CN")
    login_via_page(page, live_server, f.staff().login_name)

    page.goto(f"{live_server}/manage/events/{event.id}/sessions")
    _assert_fits_a_phone(page, folder / "sessions-375.png")
    page.goto(f"{live_server}/manage/events/{event.id}/sessions/new")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.goto(f"{live_server}/scheduling/rooms/{hall.id}/book")
    page.fill("#starts_at", "2030-05-04T09:00")
    page.fill("#ends_at", "2030-05-04T10:00")
    page.fill("#label", "设备检修")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/scheduling/rooms/{hall.id}?day=2030-05-04")
    assert "设备检修" in page.inner_text("[data-testid=room-day]")
    assert page.locator("[data-testid=room-day] form[data-confirm]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
