"""Publishing results: only once every sheet is locked and nothing flagged; a snapshot freezes
every figure; the same inputs publish once; a change needs a reason and shows its diff; a
scheduled publication goes out once and tells the contestants; `results verify` recomputes
every snapshot from the raw marks (and fails on a mark changed behind its back); the best
advance to the next stage's event, once."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from app.competitions.models import Registration, RegistrationStatus
from app.core.errors import Conflict, InvalidInput
from app.core.time import utcnow
from app.core.transaction import unit_of_work
from app.extensions import db as database
from app.notifications.models import OutboxMessage
from app.scoring.models import Mark, MarkChange
from app.scoring.result_models import Advancement, PublicationState, ResultSnapshot
from app.scoring.services import advancement, chief, publication, scheduled, verify
from tests.factories import EventFactory, staff
from tests.scoring.marks_support import aspects
from tests.scoring.results_support import marked_world


def told() -> int:
    """Contestants told of a publication (by e-mail: these have no login)."""
    return database.session.scalar(select(func.count()).select_from(OutboxMessage)
                                   .where(OutboxMessage.dedup_key.like(f"{publication.NOTICE_KIND}:%")))


def verify_exit(app, *args) -> tuple[int, str]:
    outcome = app.test_cli_runner().invoke(args=["results", "verify", *map(str, args)])
    return outcome.exit_code, outcome.output


def test_publish_freeze_republish_with_a_reason_and_verify(db, app):
    world = marked_world(lock=False)
    with pytest.raises(Conflict, match="not locked"):
        with unit_of_work():
            publication.publish(world.scheme, actor=world.chief)
    for sheet in world.sheets:
        with unit_of_work():
            chief.lock_sheet(sheet, actor=world.chief)
    with unit_of_work():
        first, made = publication.publish(world.scheme, actor=world.chief)
    assert made and first.number == 1 and first.reason is None
    ids = [e.id for e in world.entries]
    assert [(c["id"], c["place"]) for c in first.outputs["contestants"]] == [(ids[0], 1), (ids[2], 2), (ids[1], 3)]
    assert told() == 3
    with unit_of_work():   # the same inputs again: the same version, nothing new
        again, made = publication.publish(world.scheme, actor=world.chief)
    assert (again.id, made) == (first.id, False)
    assert verify_exit(app, world.event.id)[0] == 0

    # a correction (as the corrections slice will make it: the value changed, the change kept)
    timed = database.session.scalars(select(Mark).where(Mark.registration_id == ids[1],
                                                        Mark.aspect_id == aspects(world)["time"].id)).all()
    for mark in timed:   # both measurers
        database.session.add(MarkChange(mark_id=mark.id, old_value=mark.value, new_value=Decimal(99), reason="复核"))
        mark.value = Decimal(99)
    database.session.commit()
    with pytest.raises(InvalidInput, match="why"):
        with unit_of_work():
            publication.publish(world.scheme, actor=world.chief)
    with unit_of_work():
        second, made = publication.publish(world.scheme, actor=world.chief, reason="用时复核")
    assert made and second.number == 2 and second.reason == "用时复核"
    changes = publication.diff(first, second)
    assert [c.registration_id for c in changes if c.changed] == [ids[1], ids[0], ids[2]]
    moved = changes[0]
    assert (moved.before["place"], moved.after["place"], moved.after["total"]) == (3, 1, "105.50")
    code, said = verify_exit(app)
    assert code == 0, said                   # v1 recomputed from the marks as they stood then

    # a mark changed behind the audit's back: verify names it and fails
    database.session.execute(update(Mark).where(Mark.id == mark.id).values(value="98"))
    database.session.commit()
    code, said = verify_exit(app, world.event.id)
    assert code == 1 and "marks differ" in said
    assert not verify.verify(world.event).ok


def test_a_scheduled_publication_goes_out_once(db, app):
    world = marked_world()
    with pytest.raises(InvalidInput):
        with unit_of_work():
            scheduled.schedule(world.scheme, utcnow() - timedelta(minutes=1), actor=world.chief)
    with unit_of_work():
        item = scheduled.schedule(world.scheme, utcnow() + timedelta(minutes=5), actor=world.chief)
    with unit_of_work():
        assert scheduled.run_due(utcnow()) == (0, 0)          # not due yet
    later = utcnow() + timedelta(minutes=6)
    with unit_of_work():
        assert scheduled.run_due(later) == (1, 0)
    with unit_of_work():
        assert scheduled.run_due(later) == (0, 0)             # a second run publishes nothing
    database.session.refresh(item)
    assert item.state == PublicationState.PUBLISHED and item.snapshot.number == 1
    assert database.session.scalar(select(func.count()).select_from(ResultSnapshot)) == 1
    assert told() == 3


def test_the_best_advance_to_the_next_stage_once(db):
    world = marked_world()
    with unit_of_work():
        publication.publish(world.scheme, actor=world.chief)
    final = EventFactory(competition=world.event.competition)
    manager = staff()
    with unit_of_work():
        made = advancement.advance(world.scheme, final, actor=manager, top=2)
    assert [a.place for a in made] == [1, 2]
    entered = database.session.scalars(select(Registration).where(Registration.event_id == final.id)).all()
    assert {e.person_id for e in entered} == {world.entries[0].person_id, world.entries[2].person_id}
    assert {e.status for e in entered} == {RegistrationStatus.APPROVED}
    with unit_of_work():
        assert advancement.advance(world.scheme, final, actor=manager, share=Decimal(50)) == []
    assert database.session.scalar(select(func.count()).select_from(Advancement)) == 2
    assert advancement.how_many(7, share=Decimal(30)) == 2 and advancement.how_many(1, share=Decimal(1)) == 1
