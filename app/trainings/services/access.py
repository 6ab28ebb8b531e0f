"""Where a class sits in the permission scopes, who organises it, and the URL resolvers.

A class sits in its own scope (`ScopeType.TRAINING_CLASS`, its id) and in its committee's:
an organiser granted on the class, or staff and organisers of its committee (or everywhere),
manage it ("trainings.manage"). An enrolment sits there too and in the trainee's unit (the
unit's liaison enrols and withdraws its people).
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.errors import Conflict
from app.core.permissions import Grant, Role, Scope, ScopeType, forget_cached_grants, require
from app.extensions import db
from app.trainings.models import CourseSession, Enrolment, TrainingClass

MANAGE = "trainings.manage"            # plan, run and close classes
ENROL_UNIT = "trainings.enrol_unit"    # a liaison enrols the unit's people
VIEW_PROGRAMME = "trainings.programme"  # the year's programme, its export


def class_scope(training_class: TrainingClass) -> Scope:
    chain = [(ScopeType.TRAINING_CLASS, training_class.id)]
    if training_class.committee_id is not None:
        chain.append((ScopeType.COMMITTEE, training_class.committee_id))
    return Scope(tuple(chain))


def committee_scope(committee_id: int | None) -> Scope:
    """Where a new class of `committee_id` will sit (None: the association's own)."""
    return Scope() if committee_id is None else Scope.of(ScopeType.COMMITTEE, committee_id)


def enrolment_scope(enrolment: Enrolment) -> Scope:
    chain = list(class_scope(enrolment.training_class).chain)
    if enrolment.organisation_id is not None:
        chain.append((ScopeType.ORGANISATION, enrolment.organisation_id))
    return Scope(tuple(chain))


def scope_of_class_id(view_args: dict) -> Scope:
    return class_scope(db.get_or_404(TrainingClass, view_args.get("class_id")))


def scope_of_enrolment_id(view_args: dict) -> Scope:
    return enrolment_scope(db.get_or_404(Enrolment, view_args.get("enrolment_id")))


def scope_of_session_id(view_args: dict) -> Scope:
    return class_scope(db.get_or_404(CourseSession, view_args.get("session_id")).training_class)


def organisers_of(training_class: TrainingClass) -> list[Grant]:
    """The grants that make someone an organiser of this one class (not of its committee)."""
    return list(db.session.scalars(select(Grant).where(
        Grant.role == Role.ORGANISER, Grant.scope_type == ScopeType.TRAINING_CLASS,
        Grant.scope_id == training_class.id).order_by(Grant.id)))


def add_organiser(training_class: TrainingClass, user, *, actor) -> Grant:
    """Make `user` an organiser of this class (a scoped grant, audited). Raises Conflict when
    they already are."""
    require(actor, MANAGE, class_scope(training_class))
    if any(grant.user_id == user.id for grant in organisers_of(training_class)):
        raise Conflict(_("This user already organises this class."), field="user")
    grant = Grant(user_id=user.id, role=Role.ORGANISER, scope_type=ScopeType.TRAINING_CLASS,
                  scope_id=training_class.id, granted_by_id=getattr(actor, "id", None))
    db.session.add(grant)
    db.session.flush()
    audit.record("training_class.organiser_added", training_class, actor=actor, after={"user_id": user.id})
    forget_cached_grants()
    return grant
