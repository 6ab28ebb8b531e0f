"""The per-test wipe (tests/support.py) really puts the just-migrated database back: what a
test wrote is gone, the seeded rows are as migrated, and ids start again where they started,
also after an insert that was rolled back (it leaves no row but moves the ids on)."""
from sqlalchemy import func, select

from app.extensions import db
from app.judges.models import JudgeLevel
from app.orgs.models import Organisation
from tests import support
from tests.factories import CommitteeFactory, OrganisationFactory, PersonFactory


def _state():
    counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    levels = [(level.id, level.name) for level in db.session.scalars(select(JudgeLevel).order_by(JudgeLevel.id))]
    return counts, levels


def _next_ids():
    first = OrganisationFactory()
    person = PersonFactory(organisation=first)
    return first.id, person.id, CommitteeFactory().id


def test_a_wipe_undoes_inserts_updates_and_rolled_back_ids(app):
    before = _state()
    ids_on_a_fresh_database = _next_ids()
    support.wipe_database(app)
    assert _state() == before

    OrganisationFactory.create_batch(3)
    level = db.session.scalars(select(JudgeLevel).order_by(JudgeLevel.id)).first()
    level.name = "changed by a test"
    db.session.commit()
    db.session.add(CommitteeFactory.build())  # a table with no rows: only its ids moved on
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count(Organisation.id))) == 3

    support.wipe_database(app)
    assert _state() == before
    assert _next_ids() == ids_on_a_fresh_database
