"""What a member unit's page shows of its people (app.orgs.services.members.UnitMembers).

Orgs sit below accounts and may not import it, so accounts answers for the unit's people
here and registers the answer with orgs at import.
"""
from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import Person, User
from app.extensions import db
from app.orgs.models import Organisation
from app.orgs.services.members import UnitMembers, register_unit_members
from app.orgs.services.units import liaison_user_ids


def unit_members(org: Organisation) -> UnitMembers:
    """The unit's liaisons (by the name they show) and the number of people in it."""
    liaisons = db.session.scalars(select(User).where(User.id.in_(liaison_user_ids(org))).order_by(User.id))
    count = db.session.scalar(select(func.count(Person.id)).where(Person.organisation_id == org.id))
    return UnitMembers(liaison_names=tuple(user.display_name for user in liaisons), people_count=count or 0)


def register() -> None:
    """Tell orgs how to find a unit's people."""
    register_unit_members(unit_members)
