"""Lists on a 375×812 phone: every list people use on phones reads as cards (macros/tables.html).

The liaison's unit portal, the staff entries list, the judges' pool, the units list and the
persons list are walked with real data; no table cell is narrower than two characters,
every action button sits inside the viewport and nothing scrolls sideways.
Screenshots go to $JIYI_ARTEFACTS (default: the test's tmp_path) as test artefacts.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from app.competitions.models import Channel, Event, EventQuota
from app.competitions.services import registration
from app.extensions import db
from tests import factories as f
from tests.browser.support import login_via_page, prefer_language
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import judge

pytestmark = pytest.mark.browser

# Per cell: its width and the width of two characters of its own font.
_CELLS = """() => Array.from(document.querySelectorAll('main table td')).filter(td => td.offsetParent)
  .map(td => ({text: td.innerText.trim().slice(0, 30), width: td.getBoundingClientRect().width,
               two: 2 * parseFloat(getComputedStyle(td).fontSize)}))"""
_BUTTONS = """() => Array.from(document.querySelectorAll('main table .btn, main table button, main table input'))
  .filter(b => b.offsetParent && b.type !== 'hidden')
  .map(b => { const r = b.getBoundingClientRect();
              return {text: (b.innerText || b.name).trim(), left: r.left, right: r.right}; })"""


def _artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("JIYI_ARTEFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _assert_fits_a_phone(page: Page, shot: Path, actions: bool = True) -> None:
    page.screenshot(path=str(shot), full_page=True)
    width = page.viewport_size["width"]
    cells = page.evaluate(_CELLS)
    assert cells, "the page shows no table"
    narrow = [cell for cell in cells if cell["width"] < cell["two"]]
    assert not narrow, f"cells narrower than two characters ({shot.name}): {narrow}"
    buttons = page.evaluate(_BUTTONS)
    assert buttons or not actions, "the list shows no action"
    outside = [b for b in buttons if b["left"] < 0 or b["right"] > width]
    assert not outside, f"actions outside the {width} px viewport ({shot.name}): {outside}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"the page scrolls sideways ({shot.name})"


def _entries(unit, liaison) -> Event:
    event = f.EventFactory(name="网络安全管理员（四级/中级工）", code="WA")
    for n in range(2):  # entered by the liaison, and by themselves (then waiting for endorsement)
        person = f.PersonFactory(full_name=f"欧阳长名字{n}", organisation_id=unit.id)
        registration.register(event, person, actor=liaison, channel=Channel.LIAISON)
        user = f.UserFactory(person__full_name=f"司马自报{n}", person__organisation_id=unit.id)
        registration.register(event, user.person, actor=user, channel=Channel.SELF)
    db.session.add(EventQuota(event_id=event.id, organisation_id=f.OrganisationFactory().id, quota=3))
    db.session.commit()
    return event


def test_the_unit_portal_and_the_staff_entries_fit_a_phone(phone_page, live_server, tmp_path):
    unit = f.OrganisationFactory(name="华北电网检修有限公司第二分公司")
    liaison, staff = f.liaison(unit), f.staff()
    event = _entries(unit, liaison)
    folder = _artefacts(tmp_path)
    page = phone_page
    prefer_language(page, live_server, "zh_CN")

    login_via_page(page, live_server, liaison.login_name)
    page.goto(f"{live_server}/unit/{unit.id}")
    _assert_fits_a_phone(page, folder / "unit-portal-375.png")

    page.context.clear_cookies()
    prefer_language(page, live_server, "zh_CN")
    login_via_page(page, live_server, staff.login_name)
    page.goto(f"{live_server}/manage/entries")
    _assert_fits_a_phone(page, folder / "staff-entries-375.png")
    page.goto(f"{live_server}/manage/events/{event.id}/quotas")
    _assert_fits_a_phone(page, folder / "quotas-375.png")
    page.goto(f"{live_server}/admin/audit")
    _assert_fits_a_phone(page, folder / "audit-375.png", actions=False)


def test_the_judges_pool_the_units_and_the_persons_fit_a_phone(phone_page, live_server, tmp_path):
    unit = f.OrganisationFactory(name="国网冀北电力有限公司超高压分公司检修中心")
    trade = SpecialityFactory(name="电力电缆安装运维工（输配电线路方向）")
    for n in range(2):
        judge(trade, unit=unit, name=f"诸葛长名裁判{n}", region="内蒙古自治区")
        f.PersonFactory(full_name=f"欧阳名册{n}", organisation_id=unit.id, phone=f"1380013800{n}")
    db.session.commit()
    folder = _artefacts(tmp_path)
    page = phone_page
    prefer_language(page, live_server, "zh_CN")
    login_via_page(page, live_server, f.staff().login_name)

    page.goto(f"{live_server}/judges")
    _assert_fits_a_phone(page, folder / "judges-pool-375.png", actions=False)
    page.goto(f"{live_server}/orgs")
    _assert_fits_a_phone(page, folder / "units-375.png")
    page.goto(f"{live_server}/persons")
    _assert_fits_a_phone(page, folder / "persons-375.png")
