"""Setting up competitions and events: their fields, windows, capacity and unit quotas."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.competitions.exam_numbers import PatternError, check_pattern
from app.competitions.models import Competition, CompetitionLevel, Event, EventQuota, Registration
from app.competitions.services import capacity
from app.competitions.services.access import competition_scope, event_scope
from app.competitions.services.registration import promote_next
from app.core import audit
from app.core.errors import Conflict, InvalidInput, Problems
from app.core.permissions import Scope, ScopeType, require
from app.extensions import db
from app.orgs.models import Committee, Organisation


@dataclass
class CompetitionFields:
    name: str
    year: int
    level: CompetitionLevel | None
    committee_id: int | None = None
    description: str | None = None
    is_public: bool = False
    max_events_per_person: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    place: str | None = None


@dataclass
class EventFields:
    code: str
    name: str
    capacity: int
    opens_at: datetime
    closes_at: datetime
    is_team: bool = False
    team_size_min: int = 1
    team_size_max: int = 1
    exam_number_pattern: str = "{year}{event_code}{seq:04}"
    min_age: int | None = None
    max_age: int | None = None
    age_reference_date: date | None = None
    min_skill_level: str | None = None
    requires_member_unit: bool = False
    required_fields: list[str] = field(default_factory=list)
    starts_on: date | None = None
    ends_on: date | None = None
    place: str | None = None


def check_competition(data: CompetitionFields, competition: Competition | None = None) -> None:
    """Raises InvalidInput naming every problem of `data` at once (for `competition` when it is
    changed); changes nothing."""
    problems = Problems()
    if not (data.name or "").strip() or len(data.name) > 200:
        problems.add(_("Please enter the name (at most 200 characters)."), "name")
    if data.year is None or not 2000 <= data.year <= 2100:
        problems.add(_("Please enter a year between 2000 and 2100."), "year")
    if data.committee_id is not None and db.session.get(Committee, data.committee_id) is None:
        problems.add(_("No such committee."), "committee_id")
    if data.max_events_per_person is not None and data.max_events_per_person < 1:
        problems.add(_("The limit must be at least 1."), "max_events_per_person")
    if competition is not None and data.year != competition.year and db.session.scalar(
            select(func.sum(Event.exam_numbers_issued)).where(Event.competition_id == competition.id)):
        problems.add(_("Exam numbers carrying the year %(year)d are issued already; the year cannot change.",
                       year=competition.year), "year")
    _check_dates_and_place(problems, data)
    problems.raise_any()


def _check_dates_and_place(problems: Problems, data: CompetitionFields | EventFields) -> None:
    if data.ends_on is not None and data.starts_on is None:
        problems.add(_("Please give the first day too."), "starts_on")
    elif data.ends_on is not None and data.ends_on < data.starts_on:
        problems.add(_("The last day is before the first day."), "ends_on")
    if data.place is not None and len(data.place.strip()) > 200:
        problems.add(_("The place has at most 200 characters."), "place")


def _dates_and_place(target: Competition | Event, data: CompetitionFields | EventFields) -> None:
    target.starts_on, target.ends_on = data.starts_on, data.ends_on
    target.place = (data.place or "").strip() or None


def create_competition(data: CompetitionFields, *, actor) -> Competition:
    """Add a competition, organised by a committee (staff of it may) or the association."""
    scope = Scope.of(ScopeType.COMMITTEE, data.committee_id) if data.committee_id else Scope()
    require(actor, "competitions.manage", scope)
    check_competition(data)
    competition = Competition(name=data.name.strip(), year=data.year, level=data.level,
                              committee_id=data.committee_id, description=(data.description or "").strip() or None,
                              is_public=data.is_public, max_events_per_person=data.max_events_per_person)
    _dates_and_place(competition, data)
    db.session.add(competition)
    audit.record("competition.created", competition, actor=actor, after={"name": competition.name})
    return competition


_COMPETITION_AUDITED = ("name", "year", "level", "committee_id", "description", "is_public", "max_events_per_person",
                        "starts_on", "ends_on", "place")


def update_competition(competition: Competition, data: CompetitionFields, *, actor) -> Competition:
    """Change a competition: publish or withdraw it from the public pages, rename it, move it to
    another committee the actor also manages.

    The year is part of every exam number, so it stays once one has been issued. A lower limit
    of events per person applies to entries made from now on.
    """
    require(actor, "competitions.manage", competition_scope(competition))
    if data.committee_id != competition.committee_id:
        require(actor, "competitions.manage",
                Scope.of(ScopeType.COMMITTEE, data.committee_id) if data.committee_id else Scope())
    check_competition(data, competition)
    before = audit.snapshot(competition, _COMPETITION_AUDITED)
    competition.name, competition.year, competition.level = data.name.strip(), data.year, data.level
    competition.committee_id = data.committee_id
    competition.description = (data.description or "").strip() or None
    competition.is_public, competition.max_events_per_person = data.is_public, data.max_events_per_person
    _dates_and_place(competition, data)
    audit.record("competition.updated", competition, actor=actor, before=before,
                 after=audit.snapshot(competition, _COMPETITION_AUDITED))
    return competition


def check_event(competition: Competition, data: EventFields, event: Event | None = None) -> None:
    """Raises InvalidInput naming every problem of `data` at once (Conflict when a taken code is the only one)."""
    problems = Problems()
    code = (data.code or "").strip().upper()
    if not code or len(code) > 16 or not code.isalnum() or not code.isascii():
        problems.add(_("The event code has up to 16 letters and digits."), "code")
    if not (data.name or "").strip() or len(data.name) > 200:
        problems.add(_("Please enter the name (at most 200 characters)."), "name")
    if data.capacity is None or not 1 <= data.capacity <= 100000:
        problems.add(_("The capacity must be between 1 and 100,000."), "capacity")
    elif event is not None and data.capacity < event.seats_taken:
        problems.add(_("The capacity cannot be lower than the %(n)d seats already taken.", n=event.seats_taken),
                     "capacity")
    if data.opens_at is None or data.closes_at is None or data.closes_at <= data.opens_at:
        problems.add(_("Registration must close after it opens."), "closes_at")
    if data.is_team and not 1 <= (data.team_size_min or 0) <= (data.team_size_max or 0) <= 20:
        problems.add(_("Team sizes must satisfy 1 ≤ minimum ≤ maximum ≤ 20."), "team_size_max")
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        problems.add(_("The minimum age is above the maximum age."), "min_age")
    if data.min_skill_level not in (None, "1", "2", "3", "4", "5"):
        problems.add(_("Choose a skill level from 1 to 5."), "min_skill_level")
    _check_dates_and_place(problems, data)
    try:
        check_pattern(data.exam_number_pattern)
    except PatternError as error:
        problems.add(_("The exam number pattern is not usable: %(why)s", why=str(error)), "exam_number_pattern")
    clash = db.session.scalar(select(Event.id).where(Event.competition_id == competition.id, Event.code == code))
    if clash is not None and (event is None or clash != event.id):
        with problems.check():
            raise Conflict(_("Another event of this competition has the code %(code)s.", code=code), field="code")
    problems.raise_any()


def _apply_event(event: Event, data: EventFields) -> None:
    event.code = data.code.strip().upper()
    event.name = data.name.strip()
    for name in ("capacity", "opens_at", "closes_at", "is_team", "exam_number_pattern", "min_age", "max_age",
                 "age_reference_date", "min_skill_level", "requires_member_unit"):
        setattr(event, name, getattr(data, name))
    event.team_size_min, event.team_size_max = (data.team_size_min, data.team_size_max) if data.is_team else (1, 1)
    event.required_fields = [label.strip()[:100] for label in data.required_fields if label.strip()] or None
    _dates_and_place(event, data)


def create_event(competition: Competition, data: EventFields, *, actor) -> Event:
    """Add an event to a competition; raises InvalidInput or Conflict naming the field."""
    require(actor, "competitions.manage", competition_scope(competition))
    check_event(competition, data)
    event = Event(competition=competition, seats_taken=0, waitlist_issued=0, exam_numbers_issued=0)
    _apply_event(event, data)
    db.session.add(event)
    audit.record("event.created", event, actor=actor, after={"code": event.code, "capacity": event.capacity})
    return event


def update_event(event: Event, data: EventFields, *, actor) -> Event:
    """Change an event; raising the capacity promotes from the waiting list at once."""
    require(actor, "competitions.manage", event_scope(event))
    capacity.lock_event(event.id)
    db.session.refresh(event)
    check_event(event.competition, data, event)
    before = {"capacity": event.capacity, "opens_at": event.opens_at.isoformat(), "closes_at": event.closes_at.isoformat()}
    _apply_event(event, data)
    db.session.flush()
    while promote_next(event.id, actor=actor) is not None:
        pass
    audit.record("event.updated", event, actor=actor, before=before,
                 after={"capacity": event.capacity, "opens_at": event.opens_at.isoformat(),
                        "closes_at": event.closes_at.isoformat()})
    return event


def set_quota(event: Event, organisation: Organisation, quota: int | None, *, actor) -> EventQuota | None:
    """Set (or with None, remove) a unit's quota in an event; never below what it already uses."""
    require(actor, "competitions.manage", event_scope(event))
    capacity.lock_event(event.id)
    row = capacity.quota_for(event.id, organisation.id)
    used = db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == event.id, Registration.organisation_id == organisation.id,
        Registration.is_active)) or 0
    if quota is not None and (quota < 0 or quota > 100000):
        raise InvalidInput(_("The quota must be between 0 and 100,000."), field="quota")
    if quota is not None and quota < used:
        raise InvalidInput(_("The unit already has %(n)d entries; the quota cannot be lower.", n=used), field="quota")
    if quota is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        row = EventQuota(event_id=event.id, organisation_id=organisation.id, quota=quota, used=used)
        db.session.add(row)
    else:
        row.quota, row.used = quota, used
    db.session.flush()
    db.session.execute(update(Event).where(Event.id == event.id).values(
        has_unit_quotas=select(EventQuota.id).where(EventQuota.event_id == event.id).exists())
        .execution_options(synchronize_session=False))
    # Entries made before the quota existed count against it from now on.
    db.session.execute(update(Registration).where(
        Registration.event_id == event.id, Registration.organisation_id == organisation.id,
        Registration.is_active).values(counts_against_quota=quota is not None)
        .execution_options(synchronize_session=False))
    audit.record("event.quota_set", event, actor=actor, after={"organisation_id": organisation.id, "quota": quota})
    return row if quota is not None else None
