"""Score entry's world: an event with three approved contestants (units A, B, C), a panel whose
compatriot rule withholds, a chief judge, a judge from unit A and one from nowhere (each with a
login), and a ready scheme: one criterion with a judgement (0–10 in halves, spread 2) and a
measurement (0–100)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import User
from app.competitions.models import RegistrationStatus
from app.core.audit import SYSTEM
from app.core.transaction import unit_of_work
from app.extensions import db
from app.judges.models import CompatriotRule, MemberSource, MemberStatus, PanelMember, PanelRole
from app.scoring.services import schemes
from tests.factories import EventFactory, OrganisationFactory, PersonFactory
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import enter, judge, make_panel

ROUNDING = {"rule": "half_up", "places": 2}


def definition(spread: str | None = "2", attempts: int | None = None) -> dict:
    def aspect(key, name, kind, high, step, allowed):
        return {"key": key, "name": name, "maximum": Decimal(high), "kind": kind,
                "scale": {"min": Decimal(0), "max": Decimal(high), "step": step and Decimal(step)},
                "allowed_spread": allowed and Decimal(allowed), "judges": None,
                "aggregation": {"method": "mean", "drop_high": 0, "drop_low": 0},
                "attempts": {"rule": "sum", "count": attempts, "best_k": 1}, "uses_factor": False,
                "rounding": ROUNDING}
    return {"total_rounding": ROUNDING, "tie_breaks": [], "award": {"method": "none", "levels": [],
            "rounding": "half_up"}, "standardisation": {"method": "none", "mean": None, "spread": None,
            "benchmark": None, "rounding": ROUNDING},
            "components": [{"key": "practical", "name": "实操", "weight": None, "scale_to": None, "is_theory": False,
                            "rounding": ROUNDING, "criteria": [{"name": "装配", "aspects": [
                                aspect("quality", "工艺质量", "judgement", "10", "0.5", spread),
                                aspect("time", "用时", "measurement", "100", None, None)]}]}]}


@dataclass
class World:
    event: object
    panel: object
    scheme: object
    units: list
    entries: list          # registrations of units A, B, C
    chief: User
    compatriot: User       # a judge from unit A (withheld from A's contestant)
    judge: User            # a judge from no contestant's unit
    members: dict          # user id → PanelMember


def user_of(profile) -> User:
    return db.session.scalar(select(User).where(User.person_id == profile.person_id))


def seat(panel, profile, role: PanelRole) -> PanelMember:
    member = PanelMember(panel_id=panel.id, profile_id=profile.id, role=role, status=MemberStatus.ACCEPTED,
                         source=MemberSource.MANUAL)
    db.session.add(member)
    db.session.commit()
    return member


def build(*, blind: bool = False, spread: str | None = "2", spread_action: str = "remark", judges: int = 0,
          attempts: int | None = None) -> World:
    units = [OrganisationFactory(), OrganisationFactory(), OrganisationFactory()]
    event = EventFactory()
    entries = [enter(event, PersonFactory(organisation_id=unit.id), unit, RegistrationStatus.APPROVED)
               for unit in units]
    speciality = SpecialityFactory()
    panel = make_panel(event, speciality, compatriot_rule=CompatriotRule.WITHHOLD)
    chief = judge(speciality, with_login=True)
    compatriot = judge(speciality, unit=units[0], with_login=True)
    plain = judge(speciality, with_login=True)
    members = {}
    for profile, role in ((chief, PanelRole.CHIEF), (compatriot, PanelRole.JUDGE), (plain, PanelRole.JUDGE)):
        members[user_of(profile).id] = seat(panel, profile, role)
    for _n in range(judges):  # more judges, from no contestant's unit
        extra = judge(speciality, with_login=True)
        members[user_of(extra).id] = seat(panel, extra, PanelRole.JUDGE)
    with unit_of_work():
        scheme = schemes.create_scheme(event, "决赛评分", definition(spread, attempts), actor=SYSTEM)
        scheme.blind, scheme.spread_action = blind, spread_action
    return World(event, panel, scheme, units, entries, user_of(chief), user_of(compatriot), user_of(plain), members)


def aspects(world: World) -> dict:
    return {a.key: a for a in world.scheme.current.components[0].criteria[0].aspects}
