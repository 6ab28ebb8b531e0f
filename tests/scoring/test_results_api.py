"""/api/v1 of results: live figures with names, publishing (201, then 200 for the same
inputs), a snapshot with its changes, scheduling and cancelling, advancing — through a token."""
from __future__ import annotations

from datetime import timedelta

from app.core.time import utcnow
from app.core.transaction import unit_of_work
from app.scoring.services import chief
from tests.factories import EventFactory, staff
from tests.scoring.results_support import marked_world
from tests.scoring.test_api import headers as headers_of


def test_results_through_the_api(client, db):
    world = marked_world(lock=False)
    headers = headers_of(staff())
    base = f"/api/v1/scoring/schemes/{world.scheme.id}"
    live = client.get(f"{base}/results", headers=headers).get_json()
    assert [c["total"] for c in live["contestants"]] == ["98.00", "92.00", "86.50"]
    assert live["contestants"][0]["name"] == world.entries[0].person.full_name and live["blockers"]
    assert client.post(f"{base}/snapshots", json={}, headers=headers).status_code == 409
    for sheet in world.sheets:
        with unit_of_work():
            chief.lock_sheet(sheet, actor=world.chief)
    made = client.post(f"{base}/snapshots", json={}, headers=headers)
    assert made.status_code == 201 and made.get_json()["number"] == 1
    again = client.post(f"{base}/snapshots", json={}, headers=headers)
    assert again.status_code == 200 and again.get_json()["number"] == 1
    assert [s["number"] for s in client.get(f"{base}/snapshots", headers=headers).get_json()] == [1]
    one = client.get(f"{base}/snapshots/1", headers=headers).get_json()
    assert one["changes"] is None and one["outputs"]["contestants"][0]["place"] == 1
    assert one["inputs_hash"] == live["inputs_hash"]
    assert client.get(f"{base}/snapshots/2", headers=headers).status_code == 404

    due = (utcnow() + timedelta(hours=1)).isoformat()
    assert client.post(f"{base}/schedule", json={"due_at": due}, headers=headers).status_code == 422  # no reason
    item = client.post(f"{base}/schedule", json={"due_at": due, "reason": "复核后重发"}, headers=headers)
    assert item.status_code == 201 and item.get_json()["state"] == "pending"
    assert client.delete(f"{base}/schedule", headers=headers).status_code == 204
    assert client.get(f"{base}/schedule", headers=headers).get_json()[0]["state"] == "cancelled"

    final = EventFactory(competition=world.event.competition)
    advanced = client.post(f"{base}/advance", json={"target_event_id": final.id, "share": "34"}, headers=headers)
    assert advanced.status_code == 200 and [a["place"] for a in advanced.get_json()] == [1]
    assert client.post(f"{base}/advance", json={"target_event_id": final.id, "top": 1},
                       headers=headers).get_json() == []
