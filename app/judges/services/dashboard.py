"""What staff watch over the panels: the load per judge and per unit in a period, and the
panels still short of judges. (Expiring certificates are the pool's: services.pool.)"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select

from app.accounts.models import Person
from app.extensions import db
from app.judges.models import JudgeProfile, MemberStatus, Panel, PanelMember, PanelRole, PanelStatus
from app.judges.services.draws import SEAT_ROLES, SEATED
from app.orgs.models import Organisation

MAX_ROWS = 200


@dataclass(frozen=True)
class JudgeLoad:
    profile_id: int
    name: str
    unit: str | None
    seats: int           # panels overlapping the period where they hold a seat (invited or accepted)
    accepted: int        # of those, accepted


@dataclass(frozen=True)
class UnitLoad:
    organisation_id: int | None
    unit: str | None
    judges: int          # distinct judges of the unit holding a seat
    seats: int


def _seats_in(first: date, last: date):
    """Seats held on panels whose dates overlap first..last (reserves on standby hold none)."""
    return (select(PanelMember.profile_id, PanelMember.status)
            .join(Panel, Panel.id == PanelMember.panel_id)
            .where(PanelMember.status.in_(SEATED), PanelMember.role != PanelRole.RESERVE,
                   Panel.status != PanelStatus.CLOSED, Panel.starts_on <= last, Panel.ends_on >= first)
            .subquery())


def load_per_judge(first: date, last: date) -> list[JudgeLoad]:
    """Judges with seats in the period, the busiest first."""
    seats = _seats_in(first, last)
    accepted = func.sum(case((seats.c.status == MemberStatus.ACCEPTED, 1), else_=0))
    rows = db.session.execute(
        select(JudgeProfile.id, Person.full_name, Organisation.name, func.count(), accepted)
        .select_from(seats).join(JudgeProfile, JudgeProfile.id == seats.c.profile_id)
        .join(Person, Person.id == JudgeProfile.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .group_by(JudgeProfile.id, Person.full_name, Organisation.name)
        .order_by(func.count().desc(), Person.full_name, JudgeProfile.id).limit(MAX_ROWS))
    return [JudgeLoad(pid, name, unit, count, int(done or 0)) for pid, name, unit, count, done in rows]


def load_per_unit(first: date, last: date) -> list[UnitLoad]:
    """Units whose judges hold seats in the period, the busiest first (judges of no unit together)."""
    seats = _seats_in(first, last)
    rows = db.session.execute(
        select(Person.organisation_id, Organisation.name, func.count(func.distinct(seats.c.profile_id)), func.count())
        .select_from(seats).join(JudgeProfile, JudgeProfile.id == seats.c.profile_id)
        .join(Person, Person.id == JudgeProfile.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .group_by(Person.organisation_id, Organisation.name)
        .order_by(func.count().desc(), Organisation.name).limit(MAX_ROWS))
    return [UnitLoad(org_id, unit, judges, count) for org_id, unit, judges, count in rows]


@dataclass(frozen=True)
class ShortPanel:
    panel: Panel
    seats: int
    held: int

    @property
    def short(self) -> int:
        return self.seats - self.held


def short_panels(today: date, limit: int = MAX_ROWS) -> list[ShortPanel]:
    """Panels not yet over with fewer chiefs and judges invited or accepted than seats (an open
    panel, not drawn yet, is short of all of them), the soonest first."""
    held = (select(func.count(PanelMember.id))
            .where(PanelMember.panel_id == Panel.id, PanelMember.role.in_(SEAT_ROLES), PanelMember.status.in_(SEATED))
            .correlate(Panel).scalar_subquery())
    rows = db.session.execute(
        select(Panel, held).where(and_(Panel.ends_on >= today, Panel.status != PanelStatus.CLOSED,
                                       Panel.chiefs + Panel.judges > held))
        .order_by(Panel.starts_on, Panel.id).limit(limit))
    return [ShortPanel(panel, panel.chiefs + panel.judges, count) for panel, count in rows]
