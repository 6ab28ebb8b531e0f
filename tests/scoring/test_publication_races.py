"""Publishing under real concurrency on PostgreSQL (the race helper of
tests/competitions/test_registration_races.py): staff publishing the same results at once make
one version; two scheduler runs at once publish a scheduled publication once."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.time import utcnow
from app.core.transaction import unit_of_work
from app.extensions import db
from app.scoring.models import MarkingScheme
from app.scoring.result_models import ResultSnapshot
from app.scoring.services import publication, scheduled
from tests.competitions.test_registration_races import race
from tests.scoring.results_support import marked_world

pytestmark = pytest.mark.postgres_only
RACERS = 8


def test_publishing_twice_at_once_makes_one_version(app):
    world = marked_world()
    scheme_id, chief_id = world.scheme.id, world.chief.id

    def publish():
        snapshot, made = publication.publish(db.session.get(MarkingScheme, scheme_id),
                                             actor=db.session.get(User, chief_id))
        return snapshot.number, made

    outcomes = race(app, [publish] * RACERS)
    assert sorted(outcomes) == [(1, False)] * (RACERS - 1) + [(1, True)], outcomes
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResultSnapshot)) == 1


def test_two_scheduler_runs_at_once_publish_once(app):
    world = marked_world()
    with app.app_context(), unit_of_work():
        scheduled.schedule(db.session.get(MarkingScheme, world.scheme.id), utcnow() + timedelta(minutes=1),
                           actor=db.session.get(User, world.chief.id))
    later = utcnow() + timedelta(minutes=2)
    outcomes = race(app, [lambda: scheduled.run_due(later)] * 2)
    assert sorted(outcomes) == [(0, 0), (1, 0)], outcomes
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResultSnapshot)) == 1
