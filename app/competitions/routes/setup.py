"""Staff pages for setting up competitions, their events and unit quotas.

Global staff manage every competition; a committee's staff only their committee's.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.competitions import bp
from app.competitions.forms.setup import CompetitionForm, EventForm, QuotaForm
from app.competitions.models import Competition, CompetitionLevel, Event, EventQuota
from app.competitions.routes.public import level_label, registration_state, waitlist_lengths
from app.competitions.services import events
from app.competitions.services.access import scope_of_competition_id, scope_of_event_id
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import ScopeType, requires, scopes_with
from app.core.time import utcnow
from app.extensions import db
from app.orgs.models import Committee, Organisation

log = logging.getLogger(__name__)


def managed_competitions(user):
    """Competitions `user` may manage: all for global staff, else their committees' ones."""
    query = select(Competition).order_by(Competition.year.desc(), Competition.id.desc())
    committee_ids = scopes_with(user, "competitions.manage", ScopeType.COMMITTEE)
    if committee_ids is not None:
        query = query.where(Competition.committee_id.in_(committee_ids))
    return query


def fill_committee_choices(form: CompetitionForm) -> None:
    """Committees the user may organise for; global staff may also pick the association itself."""
    committee_ids = scopes_with(current_user, "competitions.manage", ScopeType.COMMITTEE)
    query = select(Committee.id, Committee.name).order_by(Committee.name)
    if committee_ids is not None:
        query = query.where(Committee.id.in_(committee_ids))
    choices = [(str(committee_id), name) for committee_id, name in db.session.execute(query)]
    form.committee_id.choices = ([("", _("The association itself"))] if committee_ids is None else []) + choices


def competition_fields_from(form: CompetitionForm) -> events.CompetitionFields:
    # Also read from a refused form (validate_all's check): a value the form refused is left out.
    level = form.level.data if form.level.data in {item.value for item in CompetitionLevel} else None
    committee = form.committee_id.data
    return events.CompetitionFields(
        name=form.name.data or "", year=form.year.data, level=CompetitionLevel(level) if level else None,
        committee_id=int(committee) if committee and not form.committee_id.errors else None,
        description=form.description.data, is_public=form.is_public.data,
        max_events_per_person=form.max_events_per_person.data, starts_on=form.starts_on.data,
        ends_on=form.ends_on.data, place=form.place.data)


def _utc(value: datetime | None) -> datetime | None:
    """A local time from the form (aware, in the association's zone) as aware UTC."""
    return value.astimezone(timezone.utc) if value is not None else None


def event_fields_from(form: EventForm) -> events.EventFields:
    return events.EventFields(
        code=form.code.data or "", name=form.name.data or "", capacity=form.capacity.data,
        opens_at=_utc(form.opens_at.data), closes_at=_utc(form.closes_at.data),
        is_team=form.is_team.data, team_size_min=form.team_size_min.data or 1,
        team_size_max=form.team_size_max.data or 1,
        exam_number_pattern=(form.exam_number_pattern.data or "").strip(),
        min_age=form.min_age.data, max_age=form.max_age.data, age_reference_date=form.age_reference_date.data,
        min_skill_level=form.min_skill_level.data or None, requires_member_unit=form.requires_member_unit.data,
        required_fields=form.question_labels(), starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        place=form.place.data)


def fill_event_form(form: EventForm, event: Event) -> None:
    """Stored values that do not map one-to-one onto the form's fields (on GET)."""
    form.min_skill_level.data = event.min_skill_level or ""
    form.required_fields.data = "\n".join(event.required_fields or ())


@bp.get("/manage/competitions")
@requires("competitions.manage")
def manage_competitions():
    """The competitions the user may set up."""
    page = db.paginate(managed_competitions(current_user), per_page=30, error_out=False)
    return render_template("competitions/setup/competitions.html", page=page, level_label=level_label)


@bp.route("/manage/competitions/new", methods=["GET", "POST"])
@requires("competitions.manage")
def new_competition():
    """Add a competition, organised by one of the user's committees (or, for global staff, the association)."""
    form = CompetitionForm()
    fill_committee_choices(form)
    if request.method == "GET":
        form.year.data = form.year.data or utcnow().year
    if validate_all(form, lambda: events.check_competition(competition_fields_from(form))):
        try:
            competition = events.create_competition(competition_fields_from(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("competitions/setup/competition_form.html", form=form), error.status
        log.info("competition %s created by user %s", competition.id, current_user.id)
        flash(_("The competition is added. Now add its events."), "success")
        return redirect(url_for("competitions.manage_competition", competition_id=competition.id))
    return render_template("competitions/setup/competition_form.html", form=form), 422 if form.errors else 200


@bp.route("/manage/competitions/<int:competition_id>/edit", methods=["GET", "POST"])
@requires("competitions.manage", scope=scope_of_competition_id, scope_arg="competition_id")
def edit_competition(competition_id: int):
    """Change a competition's details; here it is published on the public pages, or withdrawn."""
    competition = db.get_or_404(Competition, competition_id)
    form = CompetitionForm(obj=None if request.method == "POST" else competition)
    fill_committee_choices(form)
    if request.method == "GET":
        form.level.data = competition.level.value
        form.committee_id.data = str(competition.committee_id) if competition.committee_id else ""
    if validate_all(form, lambda: events.check_competition(competition_fields_from(form), competition)):
        try:
            events.update_competition(competition, competition_fields_from(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("competitions/setup/competition_form.html", form=form,
                                   competition=competition), error.status
        log.info("competition %s changed by user %s", competition.id, current_user.id)
        flash(_("The changes are saved."), "success")
        return redirect(url_for("competitions.manage_competition", competition_id=competition.id))
    return render_template("competitions/setup/competition_form.html", form=form,
                           competition=competition), 422 if form.errors else 200


@bp.get("/manage/competitions/<int:competition_id>")
@requires("competitions.manage", scope=scope_of_competition_id, scope_arg="competition_id")
def manage_competition(competition_id: int):
    """A competition's details and its events, with their seats and waiting lists."""
    competition = db.get_or_404(Competition, competition_id)
    now = utcnow()
    return render_template("competitions/setup/competition.html", competition=competition,
                           level_label=level_label,
                           states={event.id: registration_state(event, now) for event in competition.events},
                           waiting=waitlist_lengths([event.id for event in competition.events]))


@bp.route("/manage/competitions/<int:competition_id>/events/new", methods=["GET", "POST"])
@requires("competitions.manage", scope=scope_of_competition_id, scope_arg="competition_id")
def new_event(competition_id: int):
    """Add an event to a competition."""
    competition = db.get_or_404(Competition, competition_id)
    form = EventForm()
    if validate_all(form, lambda: events.check_event(competition, event_fields_from(form))):
        try:
            event = events.create_event(competition, event_fields_from(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("competitions/setup/event_form.html", form=form, competition=competition,
                                   event=None), error.status
        log.info("event %s created by user %s", event.id, current_user.id)
        flash(_("The event is added."), "success")
        return redirect(url_for("competitions.manage_competition", competition_id=competition.id))
    return render_template("competitions/setup/event_form.html", form=form, competition=competition,
                           event=None), 422 if form.errors else 200


@bp.route("/manage/events/<int:event_id>/edit", methods=["GET", "POST"])
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def edit_event(event_id: int):
    """Change an event; a higher capacity gives seats to the waiting list at once."""
    event = db.get_or_404(Event, event_id)
    form = EventForm(obj=None if request.method == "POST" else event)
    if request.method == "GET":
        fill_event_form(form, event)
    if validate_all(form, lambda: events.check_event(event.competition, event_fields_from(form), event)):
        try:
            events.update_event(event, event_fields_from(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("competitions/setup/event_form.html", form=form, competition=event.competition,
                                   event=event), error.status
        log.info("event %s changed by user %s", event.id, current_user.id)
        flash(_("The changes are saved."), "success")
        return redirect(url_for("competitions.manage_competition", competition_id=event.competition_id))
    return render_template("competitions/setup/event_form.html", form=form, competition=event.competition,
                           event=event), 422 if form.errors else 200


def _quotas_page(event: Event, form: QuotaForm, status: int = 200):
    rows = db.session.execute(
        select(EventQuota, Organisation.name, Organisation.credit_code)
        .join(Organisation, EventQuota.organisation_id == Organisation.id)
        .where(EventQuota.event_id == event.id).order_by(Organisation.name)).all()
    total = db.session.scalar(select(func.coalesce(func.sum(EventQuota.quota), 0))
                              .where(EventQuota.event_id == event.id))
    return render_template("competitions/setup/quotas.html", event=event, form=form, rows=rows,
                           total=total), status


@bp.route("/manage/events/<int:event_id>/quotas", methods=["GET", "POST"])
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def event_quotas(event_id: int):
    """Units' quotas in an event (used and left); set one, or remove it with an empty number."""
    event = db.get_or_404(Event, event_id)
    form = QuotaForm()
    if request.method == "GET":
        return _quotas_page(event, form)
    if not form.validate_on_submit():
        return _quotas_page(event, form, 422)
    organisation = form.organisation_id.unit
    try:
        events.set_quota(event, organisation, form.quota.data, actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _quotas_page(event, form, error.status)
    log.info("quota of unit %s in event %s set by user %s", organisation.id, event.id, current_user.id)
    if form.quota.data is None:
        flash(_("The quota of %(unit)s is removed.", unit=organisation.name), "success")
    else:
        flash(_("The quota of %(unit)s is set to %(n)d.", unit=organisation.name, n=form.quota.data), "success")
    return redirect(url_for("competitions.event_quotas", event_id=event.id))
