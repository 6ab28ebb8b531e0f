"""Where competition objects sit in the permission scopes, and the URL resolvers for them.

An event sits in its competition's committee (staff of that committee manage it); an
entry sits there too and in the entrant's unit (the unit's liaison endorses it).
"""
from __future__ import annotations

from app.competitions.models import Competition, ContestSession, Event, Registration
from app.core.permissions import Scope, ScopeType
from app.extensions import db


def competition_scope(competition: Competition) -> Scope:
    if competition.committee_id is None:
        return Scope()
    return Scope.of(ScopeType.COMMITTEE, competition.committee_id)


def event_scope(event: Event) -> Scope:
    return competition_scope(event.competition)


def registration_scope(registration: Registration) -> Scope:
    chain = list(event_scope(registration.event).chain)
    if registration.organisation_id is not None:
        chain.append((ScopeType.ORGANISATION, registration.organisation_id))
    return Scope(tuple(chain))


def scope_of_competition_id(view_args: dict) -> Scope:
    return competition_scope(db.get_or_404(Competition, view_args.get("competition_id")))


def scope_of_event_id(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(Event, view_args.get("event_id")))


def scope_of_registration_id(view_args: dict) -> Scope:
    return registration_scope(db.get_or_404(Registration, view_args.get("registration_id")))


def scope_of_session_id(view_args: dict) -> Scope:
    return event_scope(db.get_or_404(ContestSession, view_args.get("session_id")).event)
