"""/api/v1 of scoring: schemes built, versioned and deleted; the preview gives every figure —
the Rostock diving data reproduced through it exactly."""
from __future__ import annotations

import json
from decimal import Decimal

from app.accounts.services.tokens import create_token
from app.scoring.models import MarkingScheme
from app.scoring.services import schemes
from tests.factories import CommitteeFactory, CompetitionFactory, EventFactory, staff
from tests.scoring.support import diving_definition, diving_events


def headers(user) -> dict:
    _, text = create_token(user, "test")
    return {"Authorization": f"Bearer {text}"}


def as_json(value):
    return json.loads(json.dumps(value, default=str))


def test_the_diving_data_through_the_preview_api_comes_out_as_published(client, db):
    auth = headers(staff())
    event = EventFactory()
    created = client.post(f"/api/v1/events/{event.id}/scoring/schemes", headers=auth,
                          json={"name": "跳水", "definition": as_json(diving_definition())})
    assert created.status_code == 201, created.json
    scheme_id = created.json["id"]
    checked = 0
    for official in diving_events().values():
        marks = []
        for line in official["lines"][1:]:
            athlete, aspect, attempt, dd, *judges = line.split(",")
            marks.append({"contestant": athlete, "aspect": aspect, "attempt": int(attempt), "factor": dd,
                          "marks": judges})
        answer = client.post("/api/v1/scoring/preview", json={"scheme_id": scheme_id, "marks": marks}, headers=auth)
        assert answer.status_code == 200, answer.json
        assert answer.json["scheme_version"] == 1
        for contestant in answer.json["contestants"]:
            total, rank = official["totals"][contestant["id"]]
            assert Decimal(contestant["total"]) == total and contestant["place"] == rank
            for attempt in contestant["aspects"][0]["attempts"]:
                assert Decimal(attempt["points"]["points"]) == official["dives"][(contestant["id"], attempt["number"])]
                checked += 1
    assert checked == sum(len(e["dives"]) for e in diving_events().values())


def test_a_definition_preview_names_every_problem_and_stores_nothing(client, db):
    auth = headers(staff())
    answer = client.post("/api/v1/scoring/preview", headers=auth, json={
        "definition": as_json(diving_definition()),
        "marks": [{"contestant": "A", "aspect": "dives", "marks": ["7.5", "11", "7", "7", "7", "7", "7"]},
                  {"contestant": "B", "aspect": "dive", "marks": ["7"]}]})
    assert answer.status_code == 422
    assert "A" in answer.json["error"]["message"] or answer.json["error"]["message"]
    assert db.session.query(MarkingScheme).count() == 0


def test_a_frozen_scheme_changes_as_a_new_version(client, db):
    auth = headers(staff())
    event = EventFactory()
    scheme_id = client.post(f"/api/v1/events/{event.id}/scoring/schemes", headers=auth,
                            json={"name": "跳水", "definition": as_json(diving_definition())}).json["id"]
    changed = as_json(diving_definition())
    changed["components"][0]["criteria"][0]["aspects"][0]["rounding"]["places"] = 1
    first = client.put(f"/api/v1/scoring/schemes/{scheme_id}", json={"definition": changed}, headers=auth)
    assert first.status_code == 200 and first.json["version"]["number"] == 1   # not frozen: edited in place
    schemes.freeze(db.session.get(MarkingScheme, scheme_id).current)           # as the first mark will
    db.session.commit()
    second = client.put(f"/api/v1/scoring/schemes/{scheme_id}", json={"definition": as_json(diving_definition())},
                        headers=auth)
    assert second.json["version"]["number"] == 2 and [v["is_frozen"] for v in second.json["versions"]] == [True, False]
    assert client.delete(f"/api/v1/scoring/schemes/{scheme_id}", headers=auth).status_code == 422


def test_a_deleted_scheme_is_gone_from_every_list(client, db):
    auth = headers(staff())
    event = EventFactory()
    scheme_id = client.post(f"/api/v1/events/{event.id}/scoring/schemes", headers=auth,
                            json={"name": "跳水", "definition": as_json(diving_definition())}).json["id"]
    assert client.delete(f"/api/v1/scoring/schemes/{scheme_id}", headers=auth).status_code == 204
    assert client.get(f"/api/v1/scoring/schemes/{scheme_id}", headers=auth).status_code == 404
    assert client.get(f"/api/v1/events/{event.id}/scoring/schemes", headers=auth).json == []


def test_a_bad_definition_is_refused_with_every_problem(client, db):
    auth = headers(staff())
    event = EventFactory()
    bad = as_json(diving_definition())
    aspect = bad["components"][0]["criteria"][0]["aspects"][0]
    aspect["judges"], aspect["scale"]["max"] = 4, "0"
    bad["components"][0]["weight"] = "40"
    answer = client.post(f"/api/v1/events/{event.id}/scoring/schemes", headers=auth,
                         json={"name": "跳水", "definition": bad})
    assert answer.status_code == 422
    assert db.session.query(MarkingScheme).count() == 0


def test_staff_of_another_committee_cannot_see_or_preview_the_scheme(client, db):
    event = EventFactory(competition=CompetitionFactory(committee=CommitteeFactory()))
    scheme = schemes.create_scheme(event, "跳水", diving_definition())
    db.session.commit()
    stranger = headers(staff(CommitteeFactory()))
    assert client.get(f"/api/v1/scoring/schemes/{scheme.id}", headers=stranger).status_code == 403
    answer = client.post("/api/v1/scoring/preview", headers=stranger, json={
        "scheme_id": scheme.id, "marks": [{"contestant": "A", "aspect": "dives", "marks": ["7"] * 7}]})
    assert answer.status_code == 403
