"""A contestant's own pages: entering an event, and their entries (withdraw, ticket)."""
from __future__ import annotations

import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.competitions import bp
from app.core import eligibility
from app.competitions.forms.registration import WithdrawForm, register_form_for
from app.competitions.models import ACTIVE, Channel, Event, Registration, RegistrationStatus
from app.competitions.routes.public import registration_state, visible_competition
from app.competitions.services import listing, registration, timetables
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import signed_in
from app.core.time import utcnow
from app.extensions import db

log = logging.getLogger(__name__)


def standing_problems(event: Event, person) -> list[str]:
    """Why `person` may not enter `event`, leaving out the questions the form itself asks."""
    found = eligibility.problems(registration.rules_of(event), registration.candidate_for(event, person, None))
    return [registration.problem_message(p) for p in found if p.code != "required_field"]


def _register_page(event: Event, form, status: int = 200):
    person = current_user.person
    state, state_words = registration_state(event, utcnow())
    return render_template(
        "competitions/mine/register.html", event=event, form=form, state=state, state_words=state_words,
        problems=standing_problems(event, person), existing=registration.active_entry(event, person),
        lacks_id_number=person.id_hash is None), status


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@signed_in
def register(event_id: int):
    """Enter an event: see the rules one fails before submitting, answer its questions, confirm."""
    event = db.get_or_404(Event, event_id)
    visible_competition(event.competition_id)
    form = register_form_for(event)
    if request.method == "GET":
        return _register_page(event, form)
    if event.is_team:
        flash(_("Teams are entered by their unit's liaison or by the organisers."), "danger")
        return _register_page(event, form, 409)
    if not validate_all(form, lambda: registration.check_eligible(event, current_user.person, form.answers())):
        return _register_page(event, form, 422)
    try:
        entry = registration.register(event, current_user.person, actor=current_user, channel=Channel.SELF,
                                      answers=form.answers() or None)
    except DomainError as error:
        show_error(form, error)
        return _register_page(event, form, error.status)
    log.info("registration %s made by user %s", entry.id, current_user.id)
    if entry.status == RegistrationStatus.WAITLISTED:
        flash(_("%(event)s is full: you are on the waiting list, in place %(place)d. We will tell you when a "
                "seat frees.", event=event.name, place=registration.waitlist_place(entry)), "warning")
    else:
        flash(_("You have a seat in %(event)s. Your entry is %(status)s.", event=event.name,
                status=registration.status_label(entry.status)), "success")
    return redirect(url_for("competitions.my_registrations"))


def _my_registrations_page(status: int = 200):
    page = db.paginate(listing.entries_of_person(current_user.person_id), per_page=20, error_out=False)
    return render_template(
        "competitions/mine/registrations.html", page=page, withdraw_form=WithdrawForm(),
        places={entry.id: registration.waitlist_place(entry) for entry in page.items},
        labels={entry.id: registration.status_label(entry.status) for entry in page.items},
        active=ACTIVE, has_tickets="competitions.ticket" in current_app.view_functions,
        seated=timetables.sessions_of_entries([entry.id for entry in page.items])), status


@bp.get("/me/registrations")
@signed_in
def my_registrations():
    """The signed-in person's own entries, newest first."""
    return _my_registrations_page()


@bp.post("/me/registrations/<int:registration_id>/withdraw")
@signed_in
def withdraw_my_registration(registration_id: int):
    """Leave an event. Only one's own entries are here: anyone else's is 404, as the API
    answers (a signed-in page never answers 403; staff and liaisons withdraw on their pages)."""
    entry = db.session.scalar(listing.entries_of_person(current_user.person_id)
                              .where(Registration.id == registration_id))
    if entry is None:
        abort(404)
    if not WithdrawForm().validate_on_submit():
        flash(_("Please confirm with the button."), "danger")
        return _my_registrations_page(422)
    try:
        registration.withdraw(entry, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return _my_registrations_page(error.status)
    flash(_("You have withdrawn from %(event)s.", event=entry.event.name), "success")
    return redirect(url_for("competitions.my_registrations"))
