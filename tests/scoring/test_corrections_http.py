"""Corrections and the third marker over HTTP: the API (ask, list, approve as chief judge and
as staff, the staff's list, the progress with its flags) and the pages (the chief judge asks a
third marker from the progress page; a judge asks for a correction, every problem at once; the
chief judge and staff approve from their lists)."""
from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import User
from app.core.transaction import unit_of_work
from app.extensions import db
from app.scoring.models import CorrectionStatus, Mark, MarkCorrection, ThirdMarker
from app.scoring.services import chief
from tests.factories import staff
from tests.scoring.marks_support import build
from tests.scoring.test_api import headers
from tests.scoring.test_corrections import judges_per_attempt, put
from tests.support import sign_in

ALL = [(i, key, "5" if key == "quality" else "40") for i in range(3) for key in ("quality", "time")]


def locked_world():
    world = build(spread=None)
    sheet = put(world, world.judge, ALL, submit=True)
    with unit_of_work():
        chief.lock_sheet(sheet, actor=world.chief)
    mark = db.session.scalar(select(Mark).where(Mark.sheet_id == sheet.id).order_by(Mark.id))
    return world, mark


def test_a_correction_through_the_api(client, db):
    world, mark = locked_world()
    office = staff()
    base = f"/api/v1/scoring/panels/{world.panel.id}/corrections"
    bad = client.post(base, json={"mark_id": mark.id, "value": "12", "reason": " "}, headers=headers(world.judge))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "reason", bad.json
    asked = client.post(base, json={"mark_id": mark.id, "value": "6.5", "reason": "录入错误"},
                        headers=headers(world.judge))
    assert asked.status_code == 201 and asked.json["status"] == "pending", asked.json
    assert [c["id"] for c in client.get(base, headers=headers(world.judge)).json] == [asked.json["id"]]
    approve = f"{base}/{asked.json['id']}/approve"
    assert client.post(approve, headers=headers(world.judge)).status_code == 403
    by_chief = client.post(approve, headers=headers(world.chief))
    assert by_chief.status_code == 200 and by_chief.json["chief_approved"] and by_chief.json["status"] == "pending"
    waiting = client.get(f"/api/v1/scoring/events/{world.event.id}/corrections", headers=headers(office))
    assert [c["new_value"] for c in waiting.json] == ["6.5"]
    by_staff = client.post(approve, headers=headers(office))
    assert by_staff.json["status"] == "applied" and db.session.get(Mark, mark.id).value == Decimal("6.5")
    refused = client.post(f"{base}/{asked.json['id']}/refuse", json={"reason": "晚了"}, headers=headers(office))
    assert refused.status_code == 409
    progress = client.get(f"/api/v1/scoring/panels/{world.panel.id}/progress", headers=headers(world.chief)).json
    assert progress["flags"] == [] and progress["sheets"][0]["status"] in ("locked", "draft")


def test_a_third_marker_and_a_correction_through_the_pages(client, db):
    world = build(spread_action="third_marker", judges=1)
    judges_per_attempt(world, quality=2)
    put(world, world.judge, ALL, submit=True)
    put(world, world.compatriot, [(1, "quality", "9"), (2, "quality", "5"), (1, "time", "40"), (2, "time", "40")],
        submit=True)
    state = chief.progress(world.panel, world.scheme)
    flag = next(iter(state.flags.values()))
    extra = state.candidates(flag)[0]
    sign_in(client, world.chief)
    client.get("/language/en")
    page = client.get(f"/scoring/panels/{world.panel.id}/progress").get_data(as_text=True)
    assert "ask-third-marker" in page and 'data-state="spare"' in page
    asked = client.post(f"/scoring/panels/{world.panel.id}/flags/{flag.id}/third-marker", data={"sheet_id": extra.id})
    assert asked.status_code == 303 and db.session.scalar(select(ThirdMarker.member_id)) == extra.member_id
    third = next(db.session.get(User, user_id) for user_id, member in world.members.items()
                 if member.id == extra.member_id)
    put(world, third, [(0, "quality", "5"), (1, "quality", "6")] + [(i, "time", "40") for i in range(3)], submit=True)
    judge_sheet = next(s for s in state.sheets if s.member_id == world.members[world.judge.id].id)
    with unit_of_work():
        chief.lock_sheet(chief.sheet_of_panel(world.panel.id, judge_sheet.id), actor=world.chief)
    client.get("/logout")
    sign_in(client, world.judge)
    client.get("/language/en")
    url = f"/scoring/panels/{world.panel.id}/corrections"
    mark = db.session.scalar(select(Mark).where(Mark.sheet_id == judge_sheet.id).order_by(Mark.id))
    assert 'data-testid="ask-correction"' in client.get(url).get_data(as_text=True)
    wrong = client.post(url, data={"mark_id": str(mark.id), "value": "10.25", "reason": ""})
    assert wrong.status_code == 422
    assert {"value", "reason"} <= set(re.findall(r'data-field="([^"]+)"', wrong.get_data(as_text=True)))
    assert client.post(url, data={"mark_id": str(mark.id), "value": "6", "reason": "看错了"}).status_code == 303
    correction = db.session.scalar(select(MarkCorrection))
    client.get("/logout")
    sign_in(client, world.chief)
    assert "approve-correction" in client.get(f"/scoring/panels/{world.panel.id}/progress").get_data(as_text=True)
    client.post(f"{url}/{correction.id}/approve")
    client.get("/logout")
    sign_in(client, staff())
    listed = client.get(f"/scoring/events/{world.event.id}/corrections").get_data(as_text=True)
    assert "approve-correction" in listed
    client.post(f"{url}/{correction.id}/approve")
    db.session.refresh(correction)
    assert correction.status == CorrectionStatus.APPLIED and db.session.get(Mark, mark.id).value == 6
