"""A unit's people, as its page shows them: told by accounts through the provider it registers."""
from __future__ import annotations

from app.orgs.services.members import members_of
from tests.factories import OrganisationFactory, PersonFactory, liaison


def test_a_unit_shows_its_liaisons_and_counts_its_people(db):
    unit, other = OrganisationFactory(), OrganisationFactory()
    contact = liaison(unit)
    PersonFactory(organisation_id=unit.id)
    PersonFactory(organisation_id=other.id)
    members = members_of(unit)
    assert members.liaison_names == (contact.display_name,)
    assert members.people_count == 2  # the liaison and one more
    assert members_of(other).liaison_names == ()
