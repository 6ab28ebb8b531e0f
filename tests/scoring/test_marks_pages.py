"""Score entry pages: the judge's sheets, the tablet page (one screen per contestant and
criterion, numeric inputs, the offline script), saving a screen as a form and the browser's
queue as JSON, handing in; the chief judge's matrix and lock; staff of another committee and
other judges are kept out."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from app.accounts.models import Person
from app.scoring.models import Mark, ScoreSheet, SheetStatus
from tests.factories import staff
from tests.scoring.marks_support import aspects, build
from tests.support import sign_in


def open_sheet(client, world, user):
    sign_in(client, user)
    client.get("/language/en")
    listed = client.get("/scoring/judging")
    assert listed.status_code == 200 and "决赛评分" in listed.get_data(as_text=True)
    sheet = db_sheet(world, user)
    return sheet, f"/scoring/panels/{world.panel.id}/sheets/{sheet.id}"


def db_sheet(world, user):
    from app.extensions import db
    member = world.members[user.id]
    return db.session.scalar(select(ScoreSheet).where(ScoreSheet.member_id == member.id))


def test_the_tablet_page_saves_a_screen_and_the_queue_and_hands_in(client, db):
    world = build()
    sheet, url = open_sheet(client, world, world.judge)
    page = client.get(url).get_data(as_text=True)
    assert 'inputmode="decimal"' in page and "js/marks.js" in page and "Screen 1 of 3" in page
    keys = aspects(world)
    first = world.entries[0].id
    saved = client.post(url + "?screen=0", data={f"v:{first}:{keys['quality'].id}:1": "7,5",
                                                  f"c:{first}:{keys['quality'].id}:1": "abc",
                                                  f"v:{first}:{keys['time'].id}:1": "40", "go": "next"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("screen=1")
    assert db.session.scalar(select(Mark.value).where(Mark.client_id == "abc")) == 7.5
    refused = client.post(url + "?screen=1", data={f"v:{world.entries[1].id}:{keys['quality'].id}:1": "12",
                                                   f"v:{world.entries[1].id}:{keys['time'].id}:1": "x"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "is not a mark" in text
    queue = [{"client_id": f"q{n}{k}", "registration_id": world.entries[n].id, "aspect_id": keys[k].id, "attempt": 1,
              "value": v} for n in (1, 2) for k, v in (("quality", "8"), ("time", "50"))]
    for _twice in range(2):
        sent = client.post(url, data={"queue": json.dumps({"marks": queue})})
        assert sent.status_code == 200, sent.json
    assert {m["result"] for m in sent.json["marks"]} == {"unchanged"}
    assert db.session.scalar(select(func.count(Mark.id))) == 6
    assert client.post(url + "/submit").status_code == 303
    assert db_sheet(world, world.judge).status == SheetStatus.SUBMITTED


def test_the_compatriot_never_sees_the_withheld_contestant(client, db):
    world = build()
    name = db.session.get(Person, world.entries[0].person_id).full_name
    _sheet, url = open_sheet(client, world, world.compatriot)
    page = client.get(url).get_data(as_text=True)
    assert name not in page and world.units[0].name not in page
    other = client.post(url, data={"queue": json.dumps({"marks": [{
        "client_id": "x", "registration_id": world.entries[0].id, "aspect_id": aspects(world)["quality"].id,
        "value": "5"}]})})
    assert other.status_code == 422 and db.session.scalar(select(func.count(Mark.id))) == 0


def test_the_chief_sees_the_matrix_and_locks_and_others_are_kept_out(client, db):
    world = build(spread=None)
    keys = aspects(world)
    judge_sheet, url = open_sheet(client, world, world.judge)
    client.post(url, data={"queue": json.dumps({"marks": [{
        "client_id": f"{n}{k}", "registration_id": world.entries[n].id, "aspect_id": keys[k].id, "value": "5"}
        for n in range(3) for k in keys]})})
    client.post(url + "/submit")
    assert client.get(f"/scoring/panels/{world.panel.id}/progress").status_code == 403
    client.get("/logout")
    sign_in(client, world.chief)
    client.get("/language/en")
    assert client.get(url).status_code == 404  # the chief does not mark: the judge's sheet is not theirs
    mine = client.get("/scoring/judging").get_data(as_text=True)
    assert f"/scoring/panels/{world.panel.id}/progress" in mine
    matrix = client.get(f"/scoring/panels/{world.panel.id}/progress").get_data(as_text=True)
    assert 'data-state="missing"' in matrix and 'data-state="hidden"' in matrix and "lock-sheet" in matrix
    locked = client.post(f"/scoring/panels/{world.panel.id}/sheets/{judge_sheet.id}/lock")
    assert locked.status_code == 303 and db_sheet(world, world.judge).status == SheetStatus.LOCKED
    client.get("/logout")
    sign_in(client, staff())
    assert client.get(f"/scoring/panels/{world.panel.id}/progress").status_code == 200
