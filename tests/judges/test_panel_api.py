"""/api/v1 panels, draws and seats, and /me/assignments: what each caller may do, and the
answers in the API's shapes."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.services.tokens import create_token
from app.judges.models import Draw, MemberStatus, Panel, PanelRole
from app.judges.services import draws
from tests.factories import CommitteeFactory, CompetitionFactory, EventFactory, OrganisationFactory, UserFactory, staff
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import by_profile, event_with_contestants, judge, make_panel, panel_dates


def headers(user) -> dict:
    _, text = create_token(user, "test")
    return {"Authorization": f"Bearer {text}"}


def assert_error(response, status: int, code: str, field=None):
    assert response.status_code == status, response.json
    assert set(response.json["error"]) == {"code", "message", "field"}
    assert (response.json["error"]["code"], response.json["error"]["field"]) == (code, field)


def panel_body(trade, **changes) -> dict:
    first, last = panel_dates()
    return {"name": "API 裁判组", "starts_on": first.isoformat(), "ends_on": last.isoformat(),
            "speciality_id": trade.id, "chiefs": 1, "judges": 1, "reserves": 1} | changes


def test_staff_create_list_and_read_an_events_panels(client, db):
    event, trade = EventFactory(), SpecialityFactory()
    auth = headers(staff())
    created = client.post(f"/api/v1/events/{event.id}/panels", json=panel_body(trade, max_per_region=2),
                          headers=auth)
    assert created.status_code == 201, created.json
    body = created.json
    assert (body["event_id"], body["status"], body["max_per_region"], body["compatriot_rule"], body["short"]) == (
        event.id, "open", 2, "exclude", 2)
    assert [p["id"] for p in client.get(f"/api/v1/events/{event.id}/panels", headers=auth).json] == [body["id"]]
    assert client.get(f"/api/v1/panels/{body['id']}", headers=auth).json["members"] == []


@pytest.mark.parametrize("changes, field", [({"chiefs": 0, "judges": 0}, "judges"), ({"speciality_id": 99999},
                                                                                       "speciality_id"),
                                            ({"name": " "}, "name")])
def test_a_bad_panel_is_a_422_naming_the_field(client, db, changes, field):
    event, trade = EventFactory(), SpecialityFactory()
    response = client.post(f"/api/v1/events/{event.id}/panels", json=panel_body(trade, **changes),
                           headers=headers(staff()))
    assert_error(response, 422, "invalid_input", field)
    assert db.session.scalar(select(func.count(Panel.id))) == 0


def test_the_api_refuses_strangers_judges_and_other_committees(client, db):
    committee = CommitteeFactory()
    event = EventFactory(competition=CompetitionFactory(committee_id=committee.id))
    panel = make_panel(event, SpecialityFactory())
    assert_error(client.get(f"/api/v1/panels/{panel.id}"), 401, "unauthorised")
    for user in (UserFactory(), staff(CommitteeFactory())):
        assert_error(client.get(f"/api/v1/panels/{panel.id}", headers=headers(user)), 403, "forbidden")
        assert_error(client.post(f"/api/v1/panels/{panel.id}/draw", json={}, headers=headers(user)), 403,
                     "forbidden")
    assert client.get(f"/api/v1/panels/{panel.id}", headers=headers(staff(committee))).status_code == 200
    assert_error(client.get("/api/v1/panels/999999", headers=headers(staff())), 404, "not_found")


def test_a_draw_runs_reads_and_verifies_over_the_api(client, db):
    trade = SpecialityFactory()
    for _ in range(4):
        judge(trade)
    panel = make_panel(event_with_contestants(), trade)
    auth = headers(staff())
    response = client.post(f"/api/v1/panels/{panel.id}/draw", json={"seed": "２０２６", "witnesses": "王公证"},
                           headers=auth)
    assert response.status_code == 201, response.json
    drawn = response.json
    assert (drawn["seed"], drawn["seed_source"], len(drawn["candidates"])) == ("2026", "witnessed", 4)
    assert len(drawn["result"]["chiefs"]) == 1 and len(drawn["result"]["judges"]) == 2
    assert client.get(f"/api/v1/draws/{drawn['id']}", headers=auth).json["seed"] == "2026"
    assert client.get(f"/api/v1/draws/{drawn['id']}/verify", headers=auth).json == {
        "draw_id": drawn["id"], "identical": True, "differences": []}
    again = client.post(f"/api/v1/panels/{panel.id}/draw", json={}, headers=auth)
    assert_error(again, 409, "conflict")
    assert "already drawn by" in again.json["error"]["message"]
    members = client.get(f"/api/v1/panels/{panel.id}", headers=auth).json["members"]
    assert sorted((m["role"], m["status"]) for m in members) == [
        ("chief", "invited"), ("judge", "invited"), ("judge", "invited"), ("reserve", "standby")]


def test_an_impossible_draw_is_a_409_naming_the_rule(client, db):
    trade = SpecialityFactory()
    judge(trade)
    panel = make_panel(event_with_contestants(), trade)
    response = client.post(f"/api/v1/panels/{panel.id}/draw", json={}, headers=headers(staff()))
    assert_error(response, 409, "draw_infeasible")
    assert response.json["error"]["message"] == "The pool has only 1 active judges; 3 are needed (2 short)."
    assert_error(client.post(f"/api/v1/panels/{panel.id}/draw", json={"seed": "1"}, headers=headers(staff())),
                 422, "invalid_input", "witnesses")
    assert db.session.scalar(select(func.count(Draw.id))) == 0


def test_manual_assignment_over_the_api_refuses_a_compatriot_with_the_reason(client, db):
    trade, unit = SpecialityFactory(), OrganisationFactory(name="华东电力")
    for _ in range(3):
        judge(trade)
    panel = make_panel(event_with_contestants(unit), trade, chiefs=1, judges=1, reserves=0)
    draws.run_draw(panel, draws.DrawRequest(), actor=staff())
    compatriot = judge(trade, unit=unit, name="孙同乡")
    response = client.post(f"/api/v1/panels/{panel.id}/members", json={"profile_id": compatriot.id,
                                                                       "role": "recorder"},
                           headers=headers(staff()))
    assert_error(response, 409, "not_eligible", "profile_id")
    assert "from the unit of a contestant (华东电力)" in response.json["error"]["message"]
    added = client.post(f"/api/v1/panels/{panel.id}/members", json={"profile_id": judge(trade).id,
                                                                    "role": "recorder"}, headers=headers(staff()))
    assert added.status_code == 201 and added.json["role"] == "recorder"
    removed = client.post(f"/api/v1/panel-members/{added.json['id']}/remove", json={"reason": "不需要"},
                          headers=headers(staff()))
    assert removed.status_code == 200 and removed.json["status"] == "removed"


def test_a_judge_reads_and_answers_their_own_assignments_only(client, db):
    trade = SpecialityFactory()
    mine, other = judge(trade, with_login=True), judge(trade, with_login=True)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=1, reserves=0)
    draws.run_draw(panel, draws.DrawRequest(), actor=staff())
    member = by_profile(panel)[mine.id]
    listed = client.get("/api/v1/me/assignments", headers=headers(mine.person.user)).json
    assert [(a["member"]["id"], a["panel"]["id"], a["withheld_unit_id"]) for a in listed] == [
        (member.id, panel.id, None)]
    assert_error(client.post(f"/api/v1/me/assignments/{member.id}/accept", headers=headers(other.person.user)),
                 404, "not_found")
    accepted = client.post(f"/api/v1/me/assignments/{member.id}/accept", headers=headers(mine.person.user))
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    assert_error(client.post(f"/api/v1/me/assignments/{member.id}/accept", headers=headers(mine.person.user)),
                 409, "conflict")
    declined = client.post(f"/api/v1/me/assignments/{member.id}/decline", json={"reason": "临时有事"},
                           headers=headers(mine.person.user))
    assert declined.status_code == 200 and declined.json["decline_reason"] == "临时有事"
    assert by_profile(panel)[mine.id].status == MemberStatus.DECLINED
    assert_error(client.get("/api/v1/me/assignments", headers=headers(UserFactory())), 404, "not_found")


def test_the_openapi_document_describes_panels_and_draws(client):
    document = client.get("/api/v1/openapi.json").json
    for path in ("/api/v1/events/{event_id}/panels", "/api/v1/panels/{panel_id}/draw", "/api/v1/draws/{draw_id}/verify",
                 "/api/v1/panels/{panel_id}/members", "/api/v1/me/assignments"):
        assert path in document["paths"], path
    roles = document["components"]["schemas"]["AssignIn"]["properties"]["role"]["enum"]
    assert sorted(roles) == sorted(role.value for role in PanelRole)
