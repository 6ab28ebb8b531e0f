"""Score entry over /api/v1: a judge lists and reads their own sheet (no withheld contestant),
sends marks with client ids (a resend is "unchanged"), hands in; the chief reads the progress
and locks; a late mark is refused with 409; another judge's sheet is not found."""
from __future__ import annotations

from sqlalchemy import func, select

from app.scoring.models import Mark
from tests.scoring.marks_support import aspects, build
from tests.scoring.test_api import headers


def marks_of(world, values):
    keys = aspects(world)
    out = []
    for index, (quality, time) in values.items():
        registration = world.entries[index].id
        out += [{"client_id": f"q{index}-{quality}", "registration_id": registration, "aspect_id": keys["quality"].id,
                 "value": quality},
                {"client_id": f"t{index}-{time}", "registration_id": registration, "aspect_id": keys["time"].id,
                 "value": time}]
    return out


def test_a_judge_enters_hands_in_and_the_chief_locks(client, db):
    world = build()
    judge, chief = headers(world.judge), headers(world.chief)
    listed = client.get("/api/v1/scoring/sheets", headers=judge)
    assert listed.status_code == 200 and len(listed.json) == 1 and listed.json[0]["status"] == "draft"
    sheet = listed.json[0]
    base = f"/api/v1/scoring/panels/{sheet['panel_id']}/sheets/{sheet['id']}"
    read = client.get(base, headers=judge).json
    assert [c["registration_id"] for c in read["contestants"]] == [e.id for e in world.entries]
    assert read["missing"] == 6 and read["aspects"][0]["step"] == "0.5"
    batch = marks_of(world, {0: ("7.5", "40"), 1: ("8", "50"), 2: ("6", "45")})
    sent = client.post(base + "/marks", json={"marks": batch}, headers=judge)
    assert sent.status_code == 200 and {m["result"] for m in sent.json["marks"]} == {"stored"}
    again = client.post(base + "/marks", json={"marks": batch}, headers=judge)
    assert {m["result"] for m in again.json["marks"]} == {"unchanged"}
    assert db.session.scalar(select(func.count(Mark.id))) == 6
    assert client.post(base + "/submit", headers=judge).json["status"] == "submitted"
    progress = client.get(f"/api/v1/scoring/panels/{world.panel.id}/progress", headers=chief)
    assert progress.status_code == 200
    row = next(s for s in progress.json["sheets"] if s["id"] == sheet["id"])
    assert row["lockable"] and row["missing"] == 0
    assert {c["state"] for c in progress.json["cells"] if c["sheet_id"] == sheet["id"]} == {"ok"}
    assert client.post(base + "/lock", headers=judge).status_code == 403
    assert client.post(base + "/lock", headers=chief).json["status"] == "locked"
    late = client.post(base + "/marks", headers={**judge, "Accept-Language": "en"}, json={"marks": [
        {"client_id": "late", "registration_id": world.entries[0].id, "aspect_id": aspects(world)["quality"].id,
         "value": "3", "reason": "late"}]})
    assert late.status_code == 409 and "locked" in late.json["error"]["message"]


def test_bad_marks_are_all_named_and_another_judges_sheet_is_not_found(client, db):
    world = build()
    mine = client.get("/api/v1/scoring/sheets", headers=headers(world.compatriot)).json[0]
    base = f"/api/v1/scoring/panels/{mine['panel_id']}/sheets/{mine['id']}"
    seen = client.get(base, headers=headers(world.compatriot)).json
    assert world.entries[0].id not in [c["registration_id"] for c in seen["contestants"]]
    keys = aspects(world)
    refused = client.post(base + "/marks", headers={**headers(world.compatriot), "Accept-Language": "en"}, json={
        "marks": [{"client_id": "a", "registration_id": world.entries[1].id, "aspect_id": keys["quality"].id,
                   "value": "11"},
                  {"client_id": "b", "registration_id": world.entries[0].id, "aspect_id": keys["quality"].id,
                   "value": "5"}]})
    assert refused.status_code == 422 and "between 0 and 10" in refused.json["error"]["message"] + str(refused.json)
    assert client.post(base + "/marks", headers=headers(world.compatriot), json={"marks": [
        {"client_id": "f", "registration_id": world.entries[1].id, "aspect_id": keys["quality"].id,
         "value": 5.5}]}).status_code == 422   # a JSON number is no exact decimal
    assert client.get(base, headers=headers(world.judge)).status_code == 404
    assert db.session.scalar(select(func.count(Mark.id))) == 0


def test_staff_make_a_scheme_blind_through_the_api_and_the_sheet_shows_numbers(client, db):
    from tests.factories import staff
    world = build()
    staff_headers = headers(staff())
    scheme = client.get(f"/api/v1/scoring/schemes/{world.scheme.id}", headers=staff_headers).json
    assert scheme["blind"] is False and scheme["spread_action"] == "remark"
    changed = client.put(f"/api/v1/scoring/schemes/{world.scheme.id}", headers=staff_headers,
                         json={"definition": scheme["definition"], "blind": True, "spread_action": "third_marker"})
    assert changed.status_code == 200, changed.json
    assert changed.json["blind"] is True and changed.json["spread_action"] == "third_marker"
    mine = client.get("/api/v1/scoring/sheets", headers=headers(world.judge)).json[0]
    read = client.get(f"/api/v1/scoring/panels/{mine['panel_id']}/sheets/{mine['id']}", headers=headers(world.judge))
    contestants = read.json["contestants"]
    assert {c["name"] for c in contestants} == {None} and all(c["number"] for c in contestants)


def test_the_chief_locks_an_aspect_only_when_every_judge_has_handed_in(client, db):
    world = build(spread=None)
    keys = aspects(world)
    url = f"/api/v1/scoring/panels/{world.panel.id}/aspects/{keys['quality'].id}/lock"
    for user, values in ((world.judge, {0: ("7", "40"), 1: ("8", "50"), 2: ("6", "45")}),
                         (world.compatriot, {1: ("7", "50"), 2: ("6", "45")})):
        sheet = client.get("/api/v1/scoring/sheets", headers=headers(user)).json[0]
        base = f"/api/v1/scoring/panels/{sheet['panel_id']}/sheets/{sheet['id']}"
        assert client.post(base + "/marks", json={"marks": marks_of(world, values)}, headers=headers(user)).status_code == 200
        assert client.post(url, headers=headers(world.chief)).status_code == 409   # not everyone handed in
        client.post(base + "/submit", headers=headers(user))
    assert client.post(url, headers=headers(world.judge)).status_code == 403
    assert client.post(url, headers=headers(world.chief)).json == {"locked": 5}
