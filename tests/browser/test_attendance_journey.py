"""Issue 14's attendance journey in a real browser: an organiser plans three course sessions on
the curriculum page and opens the check-in screen, whose code changes by itself; a trainee
holding a place (enrolled through the service here: the enrolment pages are the trainings
branch's) checks in on a 375×812 phone by opening the code's link; an expired code is refused."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from itsdangerous.timed import TimestampSigner

from app.core.time import to_local, utcnow
from app.extensions import db
from app.trainings.models import CourseSession
from app.trainings.services import checkin
from tests import factories as f
from tests.browser.support import login_via_page, prefer_language
from tests.trainings.attendance_support import class_running_now, enrolled_user

pytestmark = pytest.mark.browser


def _local(value) -> str:
    return to_local(value, "Asia/Shanghai").strftime("%Y-%m-%dT%H:%M")


def test_an_organiser_plans_three_sessions_and_a_trainee_checks_in_by_the_codes_link(
        app, browser_page, phone_page, live_server, monkeypatch):
    training_class = class_running_now(title="配电网运维技能提升培训班", qr_window_seconds=5)
    organiser = f.organiser(training_class=training_class)
    trainee = enrolled_user(training_class)
    db.session.commit()
    desk = browser_page
    prefer_language(desk, live_server, "zh_CN")
    login_via_page(desk, live_server, organiser.login_name)
    now = utcnow().replace(second=0, microsecond=0)
    for title, start, hours in (("安全规程", now - timedelta(minutes=5), "2"),
                                ("带电作业", now + timedelta(hours=3), "3"),
                                ("考核", now + timedelta(hours=6), "1")):
        desk.goto(f"{live_server}/trainings/manage/classes/{training_class.id}/curriculum/new")
        desk.fill("#title", title)
        desk.fill("#starts_at", _local(start))
        desk.fill("#ends_at", _local(start + timedelta(hours=2)))
        desk.fill("#hours", hours)
        desk.fill("#place", "培训中心")
        desk.click("main form button[type=submit]")
        desk.wait_for_url(f"**/trainings/manage/classes/{training_class.id}/curriculum")
    assert desk.locator("[data-testid=course-session]").count() == 3
    assert "6.0" in desk.inner_text("[data-testid=total-hours]")
    first = db.session.scalar(db.select(CourseSession).where(CourseSession.title == "安全规程"))
    desk.goto(f"{live_server}/trainings/manage/sessions/{first.id}/screen")
    code = desk.locator("[data-testid=screen-code]")
    shown = code.get_attribute("src")
    assert shown.startswith("data:image/png;base64,")
    desk.wait_for_function("(old) => document.querySelector('[data-testid=screen-code]').src !== old", arg=shown,
                           timeout=15_000)   # the code changes by itself every 5 s
    link = live_server + re.sub(r"^https?://[^/]+", "", desk.get_attribute("[data-testid=screen-link]", "href"))

    phone = phone_page
    prefer_language(phone, live_server, "zh_CN")
    login_via_page(phone, live_server, trainee.login_name)
    phone.goto(link)
    assert phone.get_attribute("[data-testid=attended]", "data-outcome") == "checked-in"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.goto(link)
    assert phone.get_attribute("[data-testid=attended]", "data-outcome") == "already"
    with monkeypatch.context() as clock, app.test_request_context():   # a photo of the screen 30 s ago
        clock.setattr(TimestampSigner, "get_timestamp", lambda signer: int(utcnow().timestamp()) - 30)
        expired = f"{live_server}/trainings/sessions/{first.id}/check-in/{checkin.screen_token(first)}"
    phone.goto(expired)
    assert phone.get_attribute("[data-testid=refused]", "data-code") == "expired"
    assert "过期" in phone.inner_text("[data-testid=refused]")
    desk.goto(f"{live_server}/trainings/manage/sessions/{first.id}/roll")
    assert desk.locator("[data-testid=present-trainee]").count() == 1
