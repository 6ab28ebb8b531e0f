"""Panels (裁判组): who judges an event (or one of its stages) on which dates, under which rules.

A panel is set up by staff holding `judges.manage` for the event's committee, with the rules
its draw follows; while it is open the rules may change, once drawn they stand. Its members
(one row per judge and panel):

- chiefs and judges hold the seats the draw fills (status invited, then accepted);
- reserves (role reserve) wait on standby in `reserve_order` and are not asked until a seat
  frees — then the row becomes the seat's role, invited, with source replacement;
- recorders are added by hand and hold no seat the caps count;
- those who declined or were taken off keep their row, with that status.

The draw: services.draws; changing seats afterwards: services.seats.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.errors import Conflict, InvalidInput, NotFound, Problems
from app.core.permissions import Scope
from app.core.time import local_today
from app.extensions import db
from app.judges.models import (CompatriotRule, Draw, JudgeLevel, JudgeProfile, MemberStatus, Panel, PanelMember,
                               PanelRole, PanelStatus, Speciality)
from app.judges.services.draws import SEATED, lock_panel, require_panel_manager
from app.judges.services.facts import EventFacts, event_facts, facts_of
from app.judges.services.records import EARLIEST, LATEST
from app.orgs.models import Organisation

log = logging.getLogger(__name__)

MAX_NAME = 100
MAX_DAYS = 366
LIMITS = {"chiefs": 10, "judges": 100, "reserves": 50}
MAX_CAP = 100
PANEL_AUDITED = Panel.AUDITED + ("stage_id",)


# --- where panels sit (permission scopes for the routes) ----------------------------------------

def panel_or_404(panel_id) -> Panel:
    panel = db.session.get(Panel, panel_id) if isinstance(panel_id, int) else None
    if panel is None:
        raise NotFound(_("No such panel."))
    return panel


def member_or_404(member_id) -> PanelMember:
    member = db.session.get(PanelMember, member_id) if isinstance(member_id, int) else None
    if member is None:
        raise NotFound(_("No such panel member."))
    return member


def draw_or_404(draw_id) -> Draw:
    record = db.session.get(Draw, draw_id) if isinstance(draw_id, int) else None
    if record is None:
        raise NotFound(_("No such draw."))
    return record


def scope_of_event_id(view_args: dict) -> Scope:
    return event_facts(view_args.get("event_id")).scope


def scope_of_panel_id(view_args: dict) -> Scope:
    return event_facts(panel_or_404(view_args.get("panel_id")).event_id).scope


def scope_of_member_id(view_args: dict) -> Scope:
    return event_facts(member_or_404(view_args.get("member_id")).panel.event_id).scope


def scope_of_draw_id(view_args: dict) -> Scope:
    return event_facts(draw_or_404(view_args.get("draw_id")).panel.event_id).scope


# --- setting a panel up -------------------------------------------------------------------------

@dataclass
class PanelFields:
    """What a form or an API call says about a panel."""

    name: str | None
    starts_on: date | None
    ends_on: date | None
    speciality_id: int | None
    min_level_id: int | None = None
    chiefs: int | None = 1
    judges: int | None = 0
    reserves: int | None = 0
    max_per_unit: int | None = None
    max_per_region: int | None = None
    compatriot_rule: CompatriotRule | None = CompatriotRule.EXCLUDE
    stage_id: int | None = None


def default_speciality(facts: EventFacts) -> Speciality | None:
    """The trade whose code is the event's code, when there is one (the form's first guess)."""
    if not facts.code:
        return None
    return db.session.scalar(select(Speciality).where(Speciality.code == facts.code))


def clean_panel(data: PanelFields, facts: EventFacts, today: date) -> PanelFields:
    """The fields checked and normalised; raises InvalidInput naming every bad one at once."""
    problems = Problems()
    name = " ".join(unicodedata.normalize("NFKC", data.name or "").split())
    if not name:
        problems.add(_("Please name the panel."), "name")
    elif len(name) > MAX_NAME:
        problems.add(_("At most %(n)d characters.", n=MAX_NAME), "name")
    days_given = True
    for field in ("starts_on", "ends_on"):
        day = getattr(data, field)
        if day is None:
            problems.add(_("Please enter the date."), field)
            days_given = False
        elif not EARLIEST <= day <= LATEST:
            problems.add(_("Please enter a date between %(first)s and %(last)s.", first=EARLIEST.isoformat(),
                           last=LATEST.isoformat()), field)
            days_given = False
    if days_given and data.ends_on < data.starts_on:
        problems.add(_("The last day cannot be before the first day."), "ends_on")
    elif days_given and data.ends_on < today:
        problems.add(_("These dates are over already."), "ends_on")
    elif days_given and (data.ends_on - data.starts_on).days + 1 > MAX_DAYS:
        problems.add(_("A panel sits at most %(n)d days.", n=MAX_DAYS), "ends_on")
    if data.speciality_id is None or db.session.get(Speciality, data.speciality_id) is None:
        problems.add(_("Please choose a trade from the list."), "speciality_id")
    if data.min_level_id is not None and db.session.get(JudgeLevel, data.min_level_id) is None:
        problems.add(_("Please choose a level from the list."), "min_level_id")
    counts = {}
    for field, limit in LIMITS.items():
        value = getattr(data, field)
        if value is None or isinstance(value, bool) or not 0 <= value <= limit:
            problems.add(_("Please enter a number from 0 to %(n)d.", n=limit), field)
        else:
            counts[field] = value
    if len(counts) == len(LIMITS) and counts["chiefs"] + counts["judges"] == 0:
        problems.add(_("A panel needs at least one chief judge or judge."), "judges")
    for field in ("max_per_unit", "max_per_region"):
        value = getattr(data, field)
        if value is not None and (isinstance(value, bool) or not 1 <= value <= MAX_CAP):
            problems.add(_("Please enter a number from 1 to %(n)d, or leave it empty.", n=MAX_CAP), field)
    if not isinstance(data.compatriot_rule, CompatriotRule):
        problems.add(_("Please choose how judges from a contestant's unit are treated."), "compatriot_rule")
    if data.stage_id is not None and data.stage_id not in {stage_id for stage_id, _name in facts.stages}:
        problems.add(_("Please choose a stage of this event."), "stage_id")
    problems.raise_any()
    return PanelFields(name=name, starts_on=data.starts_on, ends_on=data.ends_on, speciality_id=data.speciality_id,
                       min_level_id=data.min_level_id, max_per_unit=data.max_per_unit,
                       max_per_region=data.max_per_region, compatriot_rule=data.compatriot_rule,
                       stage_id=data.stage_id, **counts)


def check_panel(event_id: int, data: PanelFields) -> None:
    """Raises InvalidInput naming every problem of a panel's fields at once; changes nothing."""
    clean_panel(data, event_facts(event_id), local_today())


def _apply(panel: Panel, clean: PanelFields) -> None:
    for name in ("name", "starts_on", "ends_on", "speciality_id", "min_level_id", "chiefs", "judges", "reserves",
                 "max_per_unit", "max_per_region", "compatriot_rule", "stage_id"):
        setattr(panel, name, getattr(clean, name))


def create_panel(event_id: int, data: PanelFields, *, actor) -> Panel:
    """Set up a panel for an event. Raises NotFound, PermissionDenied or InvalidInput."""
    facts = event_facts(event_id)
    require_panel_manager(actor, facts)
    clean = clean_panel(data, facts, local_today())
    panel = Panel(event_id=event_id, created_by_id=actor.id, status=PanelStatus.OPEN)
    _apply(panel, clean)
    db.session.add(panel)
    audit.record("panel.created", panel, actor=actor, after=audit.snapshot(panel, PANEL_AUDITED))
    log.info("panel %s created for event %s", panel.id, event_id)
    return panel


def update_panel(panel: Panel, data: PanelFields, *, actor) -> Panel:
    """Change an open panel's rules. Raises Conflict once it is drawn."""
    facts = event_facts(panel.event_id)
    require_panel_manager(actor, facts)
    clean = clean_panel(data, facts, local_today())
    panel = lock_panel(panel.id)
    if panel.status != PanelStatus.OPEN:
        raise Conflict(_("A drawn panel keeps the rules it was drawn under."))
    before = audit.snapshot(panel, PANEL_AUDITED)
    _apply(panel, clean)
    audit.record("panel.updated", panel, actor=actor, before=before, after=audit.snapshot(panel, PANEL_AUDITED))
    return panel


# --- who sits on it -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Seats:
    """How many chief and judge seats the panel has and how many are held (invited or accepted)."""

    chiefs: int
    judges: int
    chiefs_held: int
    judges_held: int

    @property
    def open_chiefs(self) -> int:
        return max(0, self.chiefs - self.chiefs_held)

    @property
    def open_judges(self) -> int:
        return max(0, self.judges - self.judges_held)

    @property
    def short(self) -> int:
        return self.open_chiefs + self.open_judges


def members_of(panel_id: int) -> list[PanelMember]:
    """Every member row of the panel, read afresh."""
    return list(db.session.scalars(select(PanelMember).where(PanelMember.panel_id == panel_id)
                                   .order_by(PanelMember.id).execution_options(populate_existing=True)))


def seats_of(panel: Panel, members: list[PanelMember] | None = None) -> Seats:
    members = members_of(panel.id) if members is None else members
    held = [m.role for m in members if m.status in SEATED]
    return Seats(panel.chiefs, panel.judges, held.count(PanelRole.CHIEF), held.count(PanelRole.JUDGE))


def standby_of(members: list[PanelMember]) -> list[PanelMember]:
    """The reserves still in line, first to be asked first."""
    return sorted((m for m in members if m.role == PanelRole.RESERVE and m.status == MemberStatus.STANDBY),
                  key=lambda m: (m.reserve_order or 0, m.id))


@dataclass(frozen=True)
class Assignment:
    """One of a judge's seats as they see it."""

    member: PanelMember
    panel: Panel
    facts: EventFacts
    withheld_unit: Organisation | None   # compatriot rule "withhold": this unit's contestants are not on their sheets


def withheld_unit(panel: Panel, profile: JudgeProfile, facts: EventFacts) -> Organisation | None:
    unit_id = profile.person.organisation_id
    if panel.compatriot_rule != CompatriotRule.WITHHOLD or unit_id not in facts.contestant_unit_ids:
        return None
    return db.session.get(Organisation, unit_id)


def seated_of(panel_id: int) -> list[PanelMember]:
    """Who holds a seat on the panel (invited or accepted): the chief judges first, then the
    judges and recorders, each in the order they were seated."""
    order = {PanelRole.CHIEF: 0, PanelRole.JUDGE: 1, PanelRole.RECORDER: 2, PanelRole.RESERVE: 3}
    return sorted((m for m in members_of(panel_id) if m.status in SEATED), key=lambda m: (order[m.role], m.id))


def assignments_of(profile: JudgeProfile, *, upcoming_only: bool = False,
                   with_declined: bool = False) -> list[Assignment]:
    """The judge's invitations, seats and places in line as a reserve, soonest first; the
    panels they declined too when `with_declined` (the panels they were taken off never)."""
    shown = (*SEATED, MemberStatus.STANDBY, *((MemberStatus.DECLINED,) if with_declined else ()))
    query = (select(PanelMember, Panel).join(Panel, Panel.id == PanelMember.panel_id)
             .where(PanelMember.profile_id == profile.id, PanelMember.status.in_(shown))
             .order_by(Panel.starts_on, Panel.id))
    if upcoming_only:
        query = query.where(Panel.ends_on >= local_today())
    rows = db.session.execute(query).all()
    facts = facts_of(panel.event_id for _member, panel in rows)
    return [Assignment(member, panel, facts[panel.event_id], withheld_unit(panel, profile, facts[panel.event_id]))
            for member, panel in rows]
