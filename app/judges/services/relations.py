"""What a signed-in person is to the pool and its panels, for access rules and menus.

Declared in app/judges/hooks.py and asked through `app.core.permissions.stands_in`. Each
resolver is one EXISTS query; with an object id of None it asks about any panel (or seat).
A seat counts while it is held: invited or accepted (declined, replaced and removed members,
and reserves on standby, sit on no panel).
"""
from __future__ import annotations

from sqlalchemy import exists, select

from app.extensions import db
from app.judges.models import JudgeProfile, PanelMember, PanelRole
from app.judges.services.draws import SEATED

IN_POOL = "judges.in_pool"
PANEL_MEMBER = "panel.member"
PANEL_CHIEF = "panel.chief"
OWN_SEAT = "panel_member.self"


def _own_profile(user):
    return JudgeProfile.person_id == getattr(user, "person_id", None)


def in_pool(user, profile_id: int | None) -> bool:
    """The person has a profile in the pool (with an id: that profile is theirs)."""
    condition = _own_profile(user)
    if profile_id is not None:
        condition = condition & (JudgeProfile.id == profile_id)
    return bool(db.session.scalar(select(exists().where(condition))))


def _seat_exists(user, *conditions) -> bool:
    return bool(db.session.scalar(select(exists().where(
        PanelMember.profile_id == JudgeProfile.id, _own_profile(user), *conditions))))


def panel_member(user, panel_id: int | None) -> bool:
    """The person holds a seat on the panel (any role: chief, judge, recorder)."""
    where = [PanelMember.status.in_(SEATED)]
    if panel_id is not None:
        where.append(PanelMember.panel_id == panel_id)
    return _seat_exists(user, *where)


def panel_chief(user, panel_id: int | None) -> bool:
    """The person holds the panel's chief judge seat."""
    where = [PanelMember.status.in_(SEATED), PanelMember.role == PanelRole.CHIEF]
    if panel_id is not None:
        where.append(PanelMember.panel_id == panel_id)
    return _seat_exists(user, *where)


def own_seat(user, member_id: int | None) -> bool:
    """The panel member row (an invitation, a seat, a place in line) is the person's own,
    whatever its status: a judge answers their own invitations only."""
    return _seat_exists(user, *([PanelMember.id == member_id] if member_id is not None else []))
