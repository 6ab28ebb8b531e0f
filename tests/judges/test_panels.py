"""The panels' pages through the test client: setting a panel up, drawing it, its record and
check, seating and removing judges, the judge answering on their own pages — and who may
do each (anonymous, a judge, another judge, staff of another committee, staff)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.errors import Conflict, InvalidInput
from app.core.time import local_today
from app.judges.models import CompatriotRule, Draw, MemberStatus, Panel, PanelMember, PanelRole, PanelStatus
from app.judges.services import draws, panels, pool
from app.judges.services.facts import event_facts
from tests.accounts.sessions import enter_as, field_errors, flashes, fresh_request_globals  # noqa: F401
from tests.factories import CommitteeFactory, CompetitionFactory, EventFactory, OrganisationFactory, UserFactory, staff
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import by_profile, event_with_contestants, judge, make_panel, panel_dates


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def form_for(trade, **changes) -> dict:
    first, last = panel_dates()
    return {"name": "决赛裁判组", "starts_on": first.isoformat(), "ends_on": last.isoformat(),
            "speciality_id": str(trade.id), "min_level_id": "", "stage_id": "", "chiefs": "1", "judges": "2",
            "reserves": "1", "max_per_unit": "", "max_per_region": "", "compatriot_rule": "exclude"} | changes


def drawn(trade, event=None, n=4, **rules) -> Panel:
    for _ in range(n):
        judge(trade)
    panel = make_panel(event or event_with_contestants(), trade, **rules)
    draws.run_draw(panel, draws.DrawRequest(), actor=staff())
    return panel


# --- setting a panel up --------------------------------------------------------------------------

def test_staff_set_up_a_panel_with_the_trade_of_the_events_code_chosen(client, db):
    event = EventFactory(code="WA", name="网络安全管理员")
    trade = SpecialityFactory(code="WA", name="网络安全")
    SpecialityFactory()
    enter_as(client, staff())
    page = client.get(f"/judges/events/{event.id}/panels/new").get_data(as_text=True)
    assert f'<option selected value="{trade.id}">' in page or f'value="{trade.id}" selected' in page
    response = client.post(f"/judges/events/{event.id}/panels/new",
                           data=form_for(trade, max_per_unit="2", compatriot_rule="withhold"))
    panel = db.session.scalar(select(Panel))
    assert response.status_code == 302 and response.headers["Location"] == f"/judges/panels/{panel.id}"
    assert (panel.event_id, panel.max_per_unit, panel.compatriot_rule, panel.status) == (
        event.id, 2, CompatriotRule.WITHHOLD, PanelStatus.OPEN)
    shown = client.get(f"/judges/panels/{panel.id}").get_data(as_text=True)
    assert "决赛裁判组" in shown and "网络安全" in shown and "Not drawn yet" in shown
    assert "决赛裁判组" in client.get(f"/judges/events/{event.id}/panels").get_data(as_text=True)


@pytest.mark.parametrize("changes, field", [
    ({"name": "  "}, "name"),
    ({"ends_on": "2000-01-01", "starts_on": "2000-01-01"}, "ends_on"),
    ({"chiefs": "0", "judges": "0"}, "judges"),
    ({"judges": "101"}, "judges"),
    ({"max_per_unit": "0"}, "max_per_unit"),
    ({"compatriot_rule": "sometimes"}, "compatriot_rule"),
    ({"speciality_id": "99999"}, "speciality_id"),
    ({"stage_id": "99999"}, "stage_id"),
    ({"starts_on": "not a date"}, "starts_on"),
])
def test_a_bad_panel_is_refused_field_by_field_and_nothing_is_stored(client, db, changes, field):
    event, trade = EventFactory(), SpecialityFactory()
    enter_as(client, staff())
    response = client.post(f"/judges/events/{event.id}/panels/new", data=form_for(trade, **changes))
    assert response.status_code == 422 and field in field_errors(response)
    assert count(db, Panel) == 0


def test_the_service_refuses_reversed_dates_and_a_stage_of_another_event(db):
    trade, event = SpecialityFactory(), EventFactory()
    first, last = panel_dates()
    facts = event_facts(event.id)
    good = panels.PanelFields(name="组", starts_on=first, ends_on=last, speciality_id=trade.id)
    with pytest.raises(InvalidInput) as refused:
        panels.clean_panel(panels.PanelFields(**(vars(good) | {"ends_on": first - timedelta(days=1)})), facts,
                           local_today())
    assert refused.value.field == "ends_on"
    assert panels.clean_panel(good, facts, local_today()).name == "组"


def test_an_open_panel_can_be_changed_and_a_drawn_one_cannot(client, db):
    trade = SpecialityFactory()
    panel = make_panel(event_with_contestants(), trade)
    enter_as(client, staff())
    response = client.post(f"/judges/panels/{panel.id}/edit", data=form_for(trade, name="改名", judges="3"))
    assert response.status_code == 302
    assert (db.session.get(Panel, panel.id).name, db.session.get(Panel, panel.id).judges) == ("改名", 3)
    done = drawn(trade, chiefs=1, judges=1, reserves=0)
    response = client.post(f"/judges/panels/{done.id}/edit", data=form_for(trade, name="再改"))
    assert response.status_code == 302 and db.session.get(Panel, done.id).name == "裁判组"
    with pytest.raises(Conflict):
        panels.update_panel(done, panels.PanelFields(name="再改", starts_on=done.starts_on, ends_on=done.ends_on,
                                                     speciality_id=trade.id), actor=None)


# --- who may see and change panels ---------------------------------------------------------------

def test_only_staff_of_the_events_committee_or_everywhere_reach_its_panels(client, db):
    committee = CommitteeFactory()
    event = EventFactory(competition=CompetitionFactory(committee_id=committee.id))
    panel = make_panel(event, SpecialityFactory())
    urls = [f"/judges/events/{event.id}/panels", f"/judges/panels/{panel.id}", f"/judges/panels/{panel.id}/draw"]
    assert all(client.get(url).status_code == 302 for url in urls)  # to sign in
    for user, status in ((UserFactory(), 403), (judge(SpecialityFactory(), with_login=True).person.user, 403),
                         (staff(CommitteeFactory()), 403), (staff(committee), 200), (staff(), 200)):
        enter_as(client, user)
        assert [client.get(url).status_code for url in urls] == [status] * 3, user


def test_the_panel_list_shows_committee_staff_their_committees_panels_only(client, db):
    committee = CommitteeFactory()
    theirs = make_panel(EventFactory(competition=CompetitionFactory(committee_id=committee.id)), SpecialityFactory(),
                        name="我们的组")
    make_panel(EventFactory(), SpecialityFactory(), name="别人的组")
    enter_as(client, staff(committee))
    page = client.get("/judges/panels").get_data(as_text=True)
    assert "我们的组" in page and "别人的组" not in page and f'data-panel="{theirs.id}"' in page
    enter_as(client, staff())
    assert "别人的组" in client.get("/judges/panels").get_data(as_text=True)


# --- drawing from the page -----------------------------------------------------------------------

def test_staff_draw_from_the_page_see_the_record_and_verify_it(client, db):
    trade = SpecialityFactory()
    for _ in range(4):
        judge(trade)
    panel = make_panel(event_with_contestants(), trade)
    enter_as(client, staff())
    assert "4 judges of the pool meet every rule now; 3 seats to fill." in client.get(
        f"/judges/panels/{panel.id}/draw").get_data(as_text=True)
    response = client.post(f"/judges/panels/{panel.id}/draw", data={"seed_source": "secure"})
    record = db.session.scalar(select(Draw))
    assert response.headers["Location"] == f"/judges/draws/{record.id}"
    page = client.get(f"/judges/draws/{record.id}").get_data(as_text=True)
    assert record.seed in page and f"flask judges verify-draw {record.id}" in page
    assert "Identical" in client.get(f"/judges/draws/{record.id}/verify").get_data(as_text=True)
    again = client.post(f"/judges/panels/{panel.id}/draw", data={"seed_source": "secure"}, follow_redirects=True)
    assert any("already drawn by" in message for message in flashes(again))
    assert count(db, Draw) == 1


def test_an_impossible_draw_shows_the_rule_and_who_was_left_out_and_why(client, db):
    trade, unit = SpecialityFactory(), OrganisationFactory(name="华东电力")
    judge(trade, name="钱可用")
    judge(trade, unit=unit, name="孙同乡")
    panel = make_panel(event_with_contestants(unit), trade, chiefs=1, judges=1, reserves=0)
    enter_as(client, staff())
    response = client.post(f"/judges/panels/{panel.id}/draw", data={"seed_source": "secure"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert ("Only 1 of them have no conflict with this event&#39;s contestants; 2 are needed (1 short)." in page)
    excluded = page.split('data-testid="excluded"')[1]
    assert "孙同乡" in excluded and "from the unit of a contestant (华东电力)" in excluded and "钱可用" not in excluded
    assert count(db, Draw) == 0


def test_a_witnessed_seed_without_witnesses_is_refused_on_the_form(client, db):
    trade = SpecialityFactory()
    judge(trade)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=0, reserves=0)
    enter_as(client, staff())
    response = client.post(f"/judges/panels/{panel.id}/draw", data={"seed_source": "witnessed", "seed": "8848"})
    assert response.status_code == 422 and "witnesses" in field_errors(response)
    response = client.post(f"/judges/panels/{panel.id}/draw", data={"seed_source": "witnessed", "seed": "8848",
                                                                    "witnesses": "王公证"})
    assert response.status_code == 302 and db.session.scalar(select(Draw.seed)) == "8848"


# --- seats from the page -------------------------------------------------------------------------

def test_a_manual_assignment_of_a_conflicted_judge_is_refused_with_the_reason_on_the_page(client, db):
    trade, unit = SpecialityFactory(), OrganisationFactory(name="华东电力")
    panel = drawn(trade, event_with_contestants(unit), chiefs=1, judges=1, reserves=0, n=2)
    compatriot = judge(trade, unit=unit, name="孙同乡")
    enter_as(client, staff())
    response = client.post(f"/judges/panels/{panel.id}/members", data={"profile_id": compatriot.id,
                                                                       "role": "recorder"})
    assert response.status_code == 409
    assert field_errors(response)["profile_id"] == [
        "孙同乡 cannot sit on this panel: from the unit of a contestant (华东电力)."]
    response = client.post(f"/judges/panels/{panel.id}/members", data={"profile_id": judge(trade).id,
                                                                       "role": "recorder"})
    assert response.status_code == 302 and count(db, PanelMember) == 3


def test_removing_a_judge_on_the_page_calls_the_next_reserve(client, db):
    trade = SpecialityFactory()
    panel = drawn(trade, chiefs=1, judges=1, reserves=1, n=3)
    seated = [m for m in by_profile(panel).values() if m.role == PanelRole.JUDGE][0]
    (reserve,) = [m for m in by_profile(panel).values() if m.role == PanelRole.RESERVE]
    enter_as(client, staff())
    response = client.post(f"/judges/panel-members/{seated.id}/remove", data={"reason": "出差"})
    assert response.status_code == 302
    now = by_profile(panel)
    assert now[seated.profile_id].status == MemberStatus.REMOVED
    assert (now[reserve.profile_id].role, now[reserve.profile_id].status) == (PanelRole.JUDGE, MemberStatus.INVITED)
    again = client.post(f"/judges/panel-members/{seated.id}/remove", data={})
    assert again.status_code == 409


# --- the judge answers ---------------------------------------------------------------------------

def test_the_judge_accepts_on_their_page_and_nobody_else_can_answer_for_them(client, db):
    trade = SpecialityFactory()
    mine = judge(trade, with_login=True)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=0, reserves=0)
    draws.run_draw(panel, draws.DrawRequest(), actor=staff())
    member = by_profile(panel)[mine.id]
    url = f"/judges/me/assignments/{member.id}/accept"

    assert client.post(url).status_code == 302 and client.post(url).headers["Location"].startswith("/login")
    enter_as(client, judge(trade, with_login=True).person.user)
    assert client.post(url).status_code == 404
    enter_as(client, staff())
    assert client.post(url).status_code == 404
    assert by_profile(panel)[mine.id].status == MemberStatus.INVITED

    enter_as(client, mine.person.user)
    portal = client.get("/judges/me").get_data(as_text=True)
    assert f'data-assignment="{member.id}"' in portal and 'data-testid="accept"' in portal
    response = client.post(url, data={"from": "portal"})
    assert response.headers["Location"] == "/judges/me"
    assert by_profile(panel)[mine.id].status == MemberStatus.ACCEPTED
    again = client.post(url, follow_redirects=True)
    assert "You have accepted this invitation already." in flashes(again)


def test_the_judge_declines_with_a_reason_and_the_reserve_is_invited(client, db):
    trade = SpecialityFactory()
    judge(trade, with_login=True), judge(trade, with_login=True)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=0, reserves=1)
    enter_as(client, staff())
    client.post(f"/judges/panels/{panel.id}/draw", data={"seed_source": "secure"})
    (leaving,) = [m for m in by_profile(panel).values() if m.role == PanelRole.CHIEF]
    (staying,) = [m for m in by_profile(panel).values() if m.role == PanelRole.RESERVE]
    enter_as(client, leaving.profile.person.user)
    response = client.post(f"/judges/me/assignments/{leaving.id}/decline", data={"reason": "家中有事"})
    assert response.headers["Location"] == "/judges/me/assignments"
    now = by_profile(panel)
    assert (now[leaving.profile_id].status, now[leaving.profile_id].decline_reason) == (MemberStatus.DECLINED,
                                                                                         "家中有事")
    assert (now[staying.profile_id].role, now[staying.profile_id].status) == (PanelRole.CHIEF, MemberStatus.INVITED)


def test_the_assignments_page_says_whose_contestants_are_withheld(client, db):
    trade, unit = SpecialityFactory(), OrganisationFactory(name="华东电力")
    mine = judge(trade, unit=unit, with_login=True)
    panel = make_panel(event_with_contestants(unit), trade, chiefs=1, judges=0, reserves=0,
                       compatriot_rule=CompatriotRule.WITHHOLD)
    draws.run_draw(panel, draws.DrawRequest(), actor=staff())
    enter_as(client, mine.person.user)
    page = client.get("/judges/me/assignments").get_data(as_text=True)
    assert "Contestants of your unit, 华东电力, will not be on your sheets." in page
    assert panel.starts_on.isoformat() in page and "Chief judge" in page


def test_someone_not_in_the_pool_has_no_assignments_page(client):
    enter_as(client, UserFactory())
    assert client.get("/judges/me/assignments").status_code == 404


def test_the_pool_dashboard_lists_panels_short_of_judges(client, db):
    trade = SpecialityFactory()
    short = make_panel(event_with_contestants(), trade, name="缺人的组")
    enter_as(client, staff())
    block = client.get("/judges/dashboard").get_data(as_text=True).split('data-testid="short-panels"')[1]
    assert "缺人的组" in block and f'data-panel="{short.id}"' in block


def test_a_panel_for_one_stage_of_the_event_names_the_stage(client, db):
    from app.competitions.models import Stage, StageKind
    event, trade = EventFactory(), SpecialityFactory()
    final = Stage(event_id=event.id, name="决赛", kind=StageKind.FINAL, position=2)
    db.session.add_all([Stage(event_id=event.id, name="初赛", kind=StageKind.PRELIMINARY, position=1), final])
    db.session.commit()
    enter_as(client, staff())
    form = client.get(f"/judges/events/{event.id}/panels/new").get_data(as_text=True)
    assert form.index("初赛") < form.index("决赛")
    response = client.post(f"/judges/events/{event.id}/panels/new", data=form_for(trade, stage_id=str(final.id)))
    panel = db.session.scalar(select(Panel))
    assert response.status_code == 302 and panel.stage_id == final.id
    rules = client.get(f"/judges/panels/{panel.id}").get_data(as_text=True).split('data-testid="panel-rules"')[1]
    assert "决赛" in rules.split("</dl>")[0] and "初赛" not in rules.split("</dl>")[0]


def test_the_demo_draws_the_team_panel_with_the_judge_login_invited_and_leaves_the_other_open(app, db,
                                                                                             monkeypatch):
    from app.accounts.models import User
    from app.accounts.services import auth
    from tests.accounts.sessions import CHEAP_HASHER
    monkeypatch.setattr(auth, "hasher", CHEAP_HASHER)
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    team, single = db.session.scalars(select(Panel).order_by(Panel.starts_on)).all()
    assert (team.status, single.status) == (PanelStatus.DRAWN, PanelStatus.OPEN)
    judge_login = db.session.scalar(select(User).where(User.username == "judge"))
    (seat,) = [m for m in by_profile(team).values() if m.profile.person_id == judge_login.person_id]
    assert seat.status == MemberStatus.INVITED
    assert draws.verify(db.session.get(Draw, team.draw_id)) == []
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(select(func.count(Panel.id))) == 2
