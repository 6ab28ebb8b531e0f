"""Who sees what on a score sheet: a panel's contestants (those seated in its session, or the
event's approved entries when it has none), minus the unit the compatriot rule withholds from a
judge and anyone they declared a conflict with; a blind scheme shows a station or work number,
never a name or unit. Read in batches, so a panel's matrix costs a fixed number of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.competitions.models import Registration, RegistrationStatus, SessionSeat
from app.extensions import db
from app.judges.models import CompatriotRule, DeclaredConflict, JudgeProfile, Panel, PanelMember
from app.judges.services.facts import facts_of
from app.judges.services.panels import withheld_unit
from app.orgs.models import Organisation
from app.scheduling.models import Station
from app.scoring.models import MarkingScheme, SchemeAspect, SchemeComponent, SchemeCriterion
from app.scoring.services import schemes

@dataclass(frozen=True)
class Contestant:
    registration_id: int
    number: str              # the station (工位) or the work number: what a blind judge sees
    name: str | None         # None on a blind sheet
    unit: str | None
    person_id: int
    organisation_id: int | None

    @property
    def label(self) -> str:
        return self.number if self.name is None else f"{self.number} · {self.name}"



def schemes_of_panel(panel: Panel) -> list[MarkingScheme]:
    """The event's (or the panel's stage's) schemes that are ready for marks."""
    found = db.session.scalars(select(MarkingScheme).where(
        MarkingScheme.event_id == panel.event_id, MarkingScheme.deleted_at.is_(None),
        (MarkingScheme.stage_id.is_(None)) | (MarkingScheme.stage_id == panel.stage_id)).order_by(MarkingScheme.id))
    return [s for s in found if not schemes.unready(schemes.definition_of(s.current))]


def panel_contestants(panel: Panel, *, blind: bool) -> list[Contestant]:
    """Everyone the panel marks: its session's seated contestants (by station), or the event's
    approved entries (by work number) when it has no session."""
    if panel.session_id is not None:
        rows = db.session.execute(
            select(Registration, Person, Organisation, Station.number)
            .join(SessionSeat, SessionSeat.registration_id == Registration.id)
            .join(Station, Station.id == SessionSeat.station_id)
            .join(Person, Person.id == Registration.person_id)
            .outerjoin(Organisation, Organisation.id == Registration.organisation_id)
            .where(SessionSeat.session_id == panel.session_id, Registration.is_active.is_(True))
            .order_by(Station.number, Registration.id)).all()
        numbers = [_("Station %(number)s", number=station) for *_rest, station in rows]
    else:
        rows = db.session.execute(
            select(Registration, Person, Organisation, Registration.exam_number)
            .join(Person, Person.id == Registration.person_id)
            .outerjoin(Organisation, Organisation.id == Registration.organisation_id)
            .where(Registration.event_id == panel.event_id, Registration.is_active.is_(True),
                   Registration.status == RegistrationStatus.APPROVED)
            .order_by(Registration.exam_number, Registration.id)).all()
        numbers = [_("Work %(number)s", number=exam or position) for position, (*_rest, exam) in enumerate(rows, 1)]
    return [Contestant(registration.id, number, None if blind else person.full_name,
                       None if blind or unit is None else unit.name, person.id, registration.organisation_id)
            for (registration, person, unit, _n), number in zip(rows, numbers)]


def hidden_from(member: PanelMember, panel: Panel, facts=None) -> tuple[set[int], set[int]]:
    """(person ids, unit ids) the member must not see: the compatriot rule's unit and their
    declared conflicts (the judge's own sheet: judges.services.panels.withheld_unit says the unit)."""
    facts = facts or facts_of([panel.event_id])[panel.event_id]
    persons, units = hidden_for([member], panel, facts, compatriots=False)[member.id]
    withheld = withheld_unit(panel, member.profile, facts)
    return persons, units | ({withheld.id} if withheld is not None else set())


def hidden_for(members: list[PanelMember], panel: Panel, facts=None, *,
               compatriots: bool = True) -> dict[int, tuple[set[int], set[int]]]:
    """hidden_from for each of `members` (member id → (person ids, unit ids)) in two queries,
    for the progress matrix; the compatriot rule read as withheld_unit reads it."""
    facts = facts or facts_of([panel.event_id])[panel.event_id]
    profile_ids = {m.profile_id for m in members}
    units_of = dict(db.session.execute(
        select(JudgeProfile.id, Person.organisation_id).join(Person, Person.id == JudgeProfile.person_id)
        .where(JudgeProfile.id.in_(profile_ids))).all())
    conflicts = defaultdict(list)
    for conflict in db.session.scalars(select(DeclaredConflict).where(DeclaredConflict.profile_id.in_(profile_ids))):
        conflicts[conflict.profile_id].append(conflict)
    hidden = {}
    for member in members:
        persons, units = set(), set()
        unit_id = units_of.get(member.profile_id)
        # the compatriot rule, as judges.services.panels.withheld_unit says it (without loading the unit)
        if compatriots and panel.compatriot_rule == CompatriotRule.WITHHOLD and unit_id in facts.contestant_unit_ids:
            units.add(unit_id)
        for conflict in conflicts[member.profile_id]:
            if conflict.person_id:
                persons.add(conflict.person_id)
            if conflict.organisation_id:
                units.add(conflict.organisation_id)
        hidden[member.id] = (persons, units)
    return hidden


def visible(contestants: list[Contestant], hidden: tuple[set[int], set[int]]) -> list[Contestant]:
    persons, units = hidden
    return [c for c in contestants if c.person_id not in persons and c.organisation_id not in units]


def aspects_of(version_id: int) -> list[SchemeAspect]:
    """The version's aspects in the scheme's order (component, criterion, aspect)."""
    return list(db.session.scalars(
        select(SchemeAspect).join(SchemeCriterion).join(SchemeComponent)
        .where(SchemeAspect.version_id == version_id)
        .order_by(SchemeComponent.position, SchemeCriterion.position, SchemeAspect.position)))
