"""What a reader sees is theirs to use and in their words: no button they cannot use (people,
units, judges), and skill levels, judge levels, trades and time zones by their names in the
chosen language, never codes, digits or zone identifiers."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.accounts.models import SkillLevel
from app.core import eligibility
from app.competitions.services import registration
from tests import factories as f
from tests.accounts.sessions import enter_as
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import event_with_contestants, judge, make_panel

APP = Path(__file__).resolve().parents[1] / "app"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


# --- no button a reader cannot use ----------------------------------------------------------

def test_only_those_who_can_add_people_see_add_and_edit_on_the_people_list(client, db):
    unit = f.OrganisationFactory()
    person = f.PersonFactory(organisation_id=unit.id)
    edit = f'/persons/{person.id}/edit"'
    enter_as(client, f.staff(f.CommitteeFactory()))  # sees people, but adds no one: a person has a unit
    html = page(client, "/persons")
    assert 'data-testid="add-person"' not in html and edit not in html
    for user in (f.staff(), f.liaison(unit)):
        enter_as(client, user)
        html = page(client, "/persons")
        assert 'data-testid="add-person"' in html and edit in html


def test_a_liaison_sees_no_unit_buttons_of_staff_and_can_edit_their_own(client, db):
    unit = f.OrganisationFactory()
    enter_as(client, f.liaison(unit))
    html = page(client, "/orgs")
    assert "/orgs/new" not in html and "/orgs/import" not in html
    assert f"/orgs/{unit.id}/edit" in html
    assert 'data-testid="edit-unit"' in page(client, f"/orgs/{unit.id}")
    enter_as(client, f.staff())
    html = page(client, "/orgs")
    assert "/orgs/new" in html and "/orgs/import" in html


def test_a_committees_staff_see_the_pool_without_the_buttons_that_change_it(client, db):
    judge(SpecialityFactory())
    enter_as(client, f.staff(f.CommitteeFactory()))
    html = page(client, "/judges")
    assert 'data-testid="add-judge"' not in html and 'data-testid="import-judges"' not in html
    assert "/judges/import/template" not in html
    enter_as(client, f.staff())
    assert 'data-testid="add-judge"' in page(client, "/judges")


# --- names, not codes --------------------------------------------------------------------------

def test_a_persons_skill_level_reads_as_its_name(client, db):
    person = f.PersonFactory(skill_level=SkillLevel.LEVEL_4)
    enter_as(client, f.staff())
    client.set_cookie("lang", "zh_CN")
    html = page(client, f"/persons/{person.id}")
    assert "四级（中级工）" in html and not re.search(r"<dd[^>]*>\s*4\s*</dd>", html)
    client.set_cookie("lang", "en")
    assert "Level 4 (intermediate worker)" in page(client, f"/persons/{person.id}")


def test_the_skill_level_an_event_asks_for_is_named(app):
    problem = eligibility.Problem("skill_level", {"required": "3", "actual": "5"})
    with app.test_request_context(headers={"Cookie": "lang=zh_CN"}):
        message = registration.problem_message(problem)
    assert "三级（高级工）" in message and "3" not in message


def test_judge_levels_read_in_the_chosen_language_in_the_pool_and_on_a_panel(client, db):
    trade = SpecialityFactory(code="cable", name="电力电缆工")
    profile = judge(trade)
    panel = make_panel(event_with_contestants(f.OrganisationFactory()), trade, min_level_id=profile.level_id)
    enter_as(client, f.staff())
    client.set_cookie("lang", "en")
    pool = page(client, "/judges")
    assert "National" in pool and "国家级" not in pool
    rules = page(client, f"/judges/panels/{panel.id}").split('data-testid="panel-rules"')[1].split("</dl>")[0]
    assert "National" in rules and "电力电缆工" in rules and "cable" not in rules
    form = page(client, f"/judges/panels/{panel.id}/edit")
    assert ">National<" in form and ">国家级<" not in form
    client.set_cookie("lang", "zh_CN")
    assert "国家级" in page(client, "/judges")


# --- no time-zone identifier -------------------------------------------------------------------

def test_no_template_prints_the_time_zone_setting():
    printed = [str(p.relative_to(APP)) for p in APP.rglob("templates/**/*.html") if "JIYI_TIMEZONE" in p.read_text()]
    assert not printed, f"templates printing the zone identifier: {printed}"


@pytest.mark.parametrize(("zone", "zh", "en"), [("Asia/Shanghai", "北京时间", "Beijing time"),
                                                ("Europe/Berlin", "中欧", "Central European")])
def test_pages_name_the_time_zone_in_the_readers_language(app, client, db, zone, zh, en):
    competition = f.EventFactory().competition
    app.config["JIYI_TIMEZONE"] = zone
    try:
        client.set_cookie("lang", "zh_CN")
        chinese = page(client, f"/competitions/{competition.id}")
        client.set_cookie("lang", "en")
        english = page(client, f"/competitions/{competition.id}")
    finally:
        app.config["JIYI_TIMEZONE"] = "Asia/Shanghai"
    assert zone not in chinese and zh in chinese
    assert zone not in english and en in english
