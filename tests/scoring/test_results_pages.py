"""The results pages: staff see the live ranking and publish; a republish asks for a reason
and shows what changed; the public page (no sign-in) shows the current version, its date and
the older versions; scheduling and advancing from the page; another committee is kept out."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app.core.time import utcnow
from app.extensions import db as database
from app.scoring.models import Mark, MarkChange
from app.scoring.result_models import ScheduledPublication
from tests.factories import CommitteeFactory, EventFactory, staff
from tests.scoring.marks_support import aspects
from tests.scoring.results_support import marked_world
from tests.support import sign_in


def test_staff_publish_from_the_page_and_the_public_sees_it(client, db):
    world = marked_world()
    names = [e.person.full_name for e in world.entries]
    sign_in(client, staff())
    client.get("/language/en")
    page = client.get(f"/scoring/schemes/{world.scheme.id}/results").get_data(as_text=True)
    assert "Not published yet" in page and 'data-testid="publish"' in page
    assert page.index(names[0]) < page.index(names[2]) < page.index(names[1])
    assert client.get(f"/results/{world.scheme.id}").status_code == 404
    assert client.post(f"/scoring/schemes/{world.scheme.id}/results/publish", data={}).status_code == 302

    timed = database.session.scalars(select(Mark).where(Mark.registration_id == world.entries[1].id,
                                                        Mark.aspect_id == aspects(world)["time"].id)).all()
    for mark in timed:
        database.session.add(MarkChange(mark_id=mark.id, old_value=mark.value, new_value=Decimal(99), reason="复核"))
        mark.value = Decimal(99)
    database.session.commit()
    refused = client.post(f"/scoring/schemes/{world.scheme.id}/results/publish", data={"reason": ""})
    assert refused.status_code == 422 and "please say why" in refused.get_data(as_text=True)
    assert client.post(f"/scoring/schemes/{world.scheme.id}/results/publish",
                       data={"reason": "用时复核"}).status_code == 302
    changes = client.get(f"/scoring/schemes/{world.scheme.id}/results/v/2").get_data(as_text=True)
    assert "What changed since version 1" in changes and "3 → 1" in changes and "用时复核" in changes

    client.post("/logout")
    public = client.get(f"/results/{world.scheme.id}")
    text = public.get_data(as_text=True)
    assert public.status_code == 200 and "Version 2, published" in text and names[1] in text
    assert 'data-testid="older-versions"' in text
    older = client.get(f"/results/{world.scheme.id}/v/1").get_data(as_text=True)
    assert "older version" in older
    assert world.event.name in client.get("/results").get_data(as_text=True)


def test_schedule_and_advance_from_the_page_and_other_committees_are_kept_out(client, db):
    world = marked_world()
    manager = staff()
    sign_in(client, manager)
    client.get("/language/en")
    url = f"/scoring/schemes/{world.scheme.id}/results"
    past = client.post(f"{url}/schedule", data={"due_at": "2001-01-01T10:00"})
    assert past.status_code == 422 and "in the future" in past.get_data(as_text=True)
    due = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(f"{url}/schedule", data={"due_at": due}).status_code == 302
    assert database.session.scalar(select(ScheduledPublication)).state == "pending"
    assert client.post(f"{url}/schedule/cancel", data={}).status_code == 302
    assert database.session.scalar(select(ScheduledPublication)).state == "cancelled"

    client.post(f"{url}/publish", data={})
    final = EventFactory(competition=world.event.competition)
    both = client.post(f"{url}/advance", data={"target_event_id": str(final.id), "top": "", "share": ""})
    assert both.status_code == 422 and "either the number" in both.get_data(as_text=True)
    assert client.post(f"{url}/advance", data={"target_event_id": str(final.id), "top": "1"}).status_code == 302
    assert "Place 1 advanced to" in client.get(url).get_data(as_text=True)

    client.post("/logout")
    sign_in(client, staff(CommitteeFactory()))
    assert client.get(url).status_code == 403
