"""Finding entries: the filtered, paginated lists staff, liaisons and the API show."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.accounts.models import Person
from app.competitions.models import Competition, Event, Registration, RegistrationStatus
from app.core.permissions import ScopeType, scopes_with


@dataclass
class EntryFilter:
    competition_id: int | None = None
    event_id: int | None = None
    organisation_id: int | None = None
    status: RegistrationStatus | None = None
    search: str | None = None          # name or exam number


def _managed_or_endorsed(user):
    """The condition on entries staff and liaisons may see; None when they may see all."""
    committees = scopes_with(user, "competitions.manage", ScopeType.COMMITTEE)
    if committees is None:  # staff everywhere
        return None
    units = scopes_with(user, "registrations.endorse", ScopeType.ORGANISATION) or set()
    return Competition.committee_id.in_(committees) | Registration.organisation_id.in_(units)


def visible_entries(user, flt: EntryFilter):
    """A query of entries `user` may see (staff: their committees' or all; a liaison: their
    unit's), narrowed by `flt`, newest first."""
    query = select(Registration).join(Registration.event).join(Event.competition).join(Registration.person)
    seen = _managed_or_endorsed(user)
    if seen is not None:
        query = query.where(seen)
    return _narrowed(query, flt)


def entries_for(user, flt: EntryFilter):
    """Like `visible_entries`, and always with the user's own entries: a contestant with no
    grant sees exactly their own. The API lists and finds entries by id with this."""
    query = select(Registration).join(Registration.event).join(Event.competition).join(Registration.person)
    seen = _managed_or_endorsed(user)
    if seen is not None:
        query = query.where(seen | (Registration.person_id == user.person_id))
    return _narrowed(query, flt)


def _narrowed(query, flt: EntryFilter):
    if flt.competition_id is not None:
        query = query.where(Event.competition_id == flt.competition_id)
    if flt.event_id is not None:
        query = query.where(Registration.event_id == flt.event_id)
    if flt.organisation_id is not None:
        query = query.where(Registration.organisation_id == flt.organisation_id)
    if flt.status is not None:
        query = query.where(Registration.status == flt.status)
    if flt.search:
        term = flt.search.strip()
        query = query.where(Person.full_name.contains(term, autoescape=True) | (Registration.exam_number == term))
    return query.order_by(Registration.id.desc())


def counts_by_unit_and_event(competition_id: int):
    """Rows (event id, unit id, status, count) for one competition: the staff's overview."""
    return select(Registration.event_id, Registration.organisation_id, Registration.status,
                  func.count(Registration.id)).join(Registration.event).where(
        Event.competition_id == competition_id).group_by(
        Registration.event_id, Registration.organisation_id, Registration.status)


def entries_of_person(person_id: int):
    """A person's own entries, newest first."""
    return select(Registration).where(Registration.person_id == person_id).order_by(Registration.id.desc())
