"""The unit portal, for a member unit's liaison (单位联络员): the open events with the unit's
quota, the unit's entries, endorsing or rejecting its people's self-registrations, entering
one person, and entering many from an Excel file.

Every page names the unit in its URL and its rule checks the liaison's grant in that unit;
a liaison of several units picks one on /unit. Between an Excel preview and its
confirmation the file waits under an unguessable token (core.uploads.keep_upload), as in the
unit import (orgs.routes.excel). The Excel steps below (`upload_step`, `confirm_step`,
`report_step`) serve staff too (routes/staff.py), who enter any unit's people.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.accounts.models import Person
from app.competitions import bp
from app.competitions.forms.unit import ConfirmFileForm, EndorseForm, RejectEntryForm, unit_register_form_for
from app.competitions.models import Channel, Event, EventQuota, Registration, RegistrationStatus
from app.competitions.services import bulk, bulk_sheet, capacity, exports, listing, registration
from app.core import uploads
from app.core.errors import DomainError
from app.core.forms import ImportForm, show_error, validate_all
from app.core.permissions import ScopeType, requires, scopes_with
from app.core.time import utcnow
from app.core.web import xlsx_download
from app.extensions import db
from app.orgs.models import Organisation
from app.orgs.services.units import scope_of_org_id

log = logging.getLogger(__name__)


def status_labels() -> dict[RegistrationStatus, str]:
    return {status: registration.status_label(status) for status in RegistrationStatus}


def channel_label(channel: Channel) -> str:
    return {Channel.SELF: _("self"), Channel.LIAISON: _("by the unit"), Channel.STAFF: _("by staff")}[channel]


def _my_unit_ids() -> set[int] | None:
    """The units the user may enter people for; None: every unit."""
    return scopes_with(current_user, "registrations.register_unit", ScopeType.ORGANISATION)


def _unit_event(organisation: Organisation, event_id: int) -> Event:
    """The event, if the unit may enter it: a public competition's, or one where it has a quota (else 404)."""
    event = db.get_or_404(Event, event_id)
    if not event.competition.is_public and capacity.quota_for(event.id, organisation.id) is None:
        abort(404)
    return event


# --- choosing a unit, and its portal -------------------------------------------------------

@bp.get("/unit")
@requires("registrations.register_unit")
def unit_home():
    """The unit portal of the liaison's unit; a liaison of several units picks one first."""
    unit_ids = _my_unit_ids()
    if unit_ids is not None and len(unit_ids) == 1:
        return redirect(url_for("competitions.unit_portal", org_id=next(iter(unit_ids))))
    query = select(Organisation).order_by(Organisation.name)
    if unit_ids is not None:
        query = query.where(Organisation.id.in_(unit_ids))
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("competitions/unit/pick.html", page=page)


def _portal_page(organisation: Organisation, status: int = 200, reject_form: RejectEntryForm | None = None):
    state = request.args.get("status", "")
    flt = listing.EntryFilter(organisation_id=organisation.id,
                              status=RegistrationStatus(state) if state in {s.value for s in RegistrationStatus}
                              else None)
    page = db.paginate(exports.with_details(listing.visible_entries(current_user, flt)), per_page=30,
                       error_out=False)
    unit_ids = _my_unit_ids()
    return render_template(
        "competitions/unit/portal.html", organisation=organisation, now=utcnow(),
        events=exports.open_events_for_unit(organisation, utcnow()), page=page, state=flt.status,
        places=exports.waitlist_places(page.items), labels=status_labels(), channel_label=channel_label,
        endorse_form=EndorseForm(formdata=None), reject_form=reject_form or RejectEntryForm(formdata=None),
        several_units=unit_ids is None or len(unit_ids) > 1), status


@bp.get("/unit/<int:org_id>")
@requires("registrations.register_unit", scope=scope_of_org_id, scope_arg="org_id")
def unit_portal(org_id: int):
    """The unit's open events (quota used and left), and its entries with their states."""
    return _portal_page(db.get_or_404(Organisation, org_id))


def _unit_entry(organisation: Organisation, registration_id: int | None) -> Registration:
    entry = db.session.get(Registration, registration_id) if registration_id else None
    if entry is None or entry.organisation_id != organisation.id:
        abort(404)
    return entry


@bp.post("/unit/<int:org_id>/endorse")
@requires("registrations.endorse", scope=scope_of_org_id, scope_arg="org_id")
def unit_endorse(org_id: int):
    """Endorse a self-registration of one of the unit's people (submitted → endorsed)."""
    organisation = db.get_or_404(Organisation, org_id)
    form = EndorseForm()
    if not form.validate_on_submit():
        flash(_("Choose an entry to endorse."), "danger")
        return _portal_page(organisation, 422)
    entry = _unit_entry(organisation, form.registration_id.data)
    try:
        registration.endorse(entry, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return _portal_page(organisation, error.status)
    log.info("registration %s endorsed by user %s", entry.id, current_user.id)
    flash(_("The entry of %(name)s is endorsed.", name=entry.person.full_name), "success")
    return redirect(url_for("competitions.unit_portal", org_id=organisation.id))


@bp.post("/unit/<int:org_id>/reject")
@requires("registrations.endorse", scope=scope_of_org_id, scope_arg="org_id")
def unit_reject(org_id: int):
    """Reject a self-registration of one of the unit's people, with the reason."""
    organisation = db.get_or_404(Organisation, org_id)
    form = RejectEntryForm()
    if not form.validate_on_submit():
        if not form.registration_id.errors:
            _unit_entry(organisation, form.registration_id.data)  # 404 for another unit's entry
        flash(_("Please give the reason for the rejection."), "danger")
        return _portal_page(organisation, 422, form)
    entry = _unit_entry(organisation, form.registration_id.data)
    try:
        registration.reject(entry, actor=current_user, reason=form.reason.data)
    except DomainError as error:
        flash(error.message, "danger")
        return _portal_page(organisation, error.status)
    log.info("registration %s rejected by user %s", entry.id, current_user.id)
    flash(_("The entry of %(name)s is rejected.", name=entry.person.full_name), "success")
    return redirect(url_for("competitions.unit_portal", org_id=organisation.id))


def _unit_person(organisation: Organisation, form) -> Person | None:
    """The person the form chose, when the form took the choice and they are of the unit."""
    if form.person_id.errors or not isinstance(form.person_id.data, int):
        return None
    person = db.session.get(Person, form.person_id.data)
    return person if person is not None and person.organisation_id == organisation.id else None


@bp.route("/unit/<int:org_id>/events/<int:event_id>/register", methods=["GET", "POST"])
@requires("registrations.register_unit", scope=scope_of_org_id, scope_arg="org_id")
def unit_register(org_id: int, event_id: int):
    """Enter one of the unit's people in an event, answering its questions."""
    organisation = db.get_or_404(Organisation, org_id)
    event = _unit_event(organisation, event_id)
    form = unit_register_form_for(event, exports.people_to_enter(organisation, event))
    page = "competitions/unit/register.html"
    if event.is_team:
        flash(_("Teams are entered one by one, not from this page."), "danger")
        return render_template(page, organisation=organisation, event=event, form=form), 409
    if not validate_all(form, lambda: registration.check_eligible(event, _unit_person(organisation, form),
                                                                   form.answers())):
        return render_template(page, organisation=organisation, event=event, form=form), 422 if form.errors else 200
    person = _unit_person(organisation, form)
    if person is None:
        abort(404)
    try:
        entry = registration.register(event, person, actor=current_user, channel=Channel.LIAISON,
                                      answers=form.answers() or None)
    except DomainError as error:
        show_error(form, error)
        return render_template(page, organisation=organisation, event=event, form=form), error.status
    log.info("registration %s made by user %s for unit %s", entry.id, current_user.id, organisation.id)
    if entry.status == RegistrationStatus.WAITLISTED:
        flash(_("%(event)s is full: %(name)s is on the waiting list, in place %(place)d.", event=event.name,
                name=person.full_name, place=registration.waitlist_place(entry)), "warning")
    else:
        flash(_("%(name)s is registered for %(event)s.", name=person.full_name, event=event.name), "success")
    return redirect(url_for("competitions.unit_portal", org_id=organisation.id))


# --- Excel bulk registration -----------------------------------------------------------------

@dataclass(frozen=True)
class ImportUrls:
    """Where the shared Excel steps send people: the liaison's URLs, or the staff's."""

    upload: str
    confirm: str
    report: str
    template: str
    back: str


def _unit_import_urls(organisation: Organisation, event: Event) -> ImportUrls:
    ids = {"org_id": organisation.id, "event_id": event.id}
    return ImportUrls(upload=url_for("competitions.unit_import", **ids),
                      confirm=url_for("competitions.unit_import_confirm", **ids),
                      report=url_for("competitions.unit_import_report", **ids),
                      template=url_for("competitions.unit_template", event_id=event.id),
                      back=url_for("competitions.unit_portal", org_id=organisation.id))


def upload_page(event: Event, form, urls: ImportUrls, organisation: Organisation | None, status: int = 200):
    return render_template("competitions/unit/import.html", event=event, form=form, urls=urls,
                           organisation=organisation), status


def _preview(check: bulk.BulkCheck, urls: ImportUrls, *, token: str | None = None, status: int = 200):
    report_token = uploads.keep_upload(bulk_sheet.error_report(check)) if check.errors else None
    confirm_form = ConfirmFileForm(formdata=None, data={"token": token, "organisation_id": check.organisation.id})
    return render_template("competitions/unit/import_preview.html", check=check, urls=urls, report_token=report_token,
                           form=confirm_form, report_form=FlaskForm(formdata=None),
                           id_type_label=bulk_sheet.id_type_label), status


def upload_step(form, event: Event, organisation: Organisation, channel: Channel, urls: ImportUrls):
    """Check an uploaded file: its preview (kept for the confirmation), or every problem it has."""
    data = form.file.data.read()
    try:
        check = bulk.check_file(data, event, organisation, actor=current_user, channel=channel)
    except DomainError as error:
        show_error(form, error)
        return upload_page(event, form, urls, organisation, error.status)
    if not check.is_clean:
        return _preview(check, urls, status=422)
    return _preview(check, urls, token=uploads.keep_upload(data))


def confirm_step(event: Event, organisation: Organisation, channel: Channel, urls: ImportUrls, done_url: str,
                 upload_form):
    """Register every row of the previewed file, or nobody; the file is checked again first."""
    form = ConfirmFileForm()
    try:
        data = uploads.take_upload(form.token.data or "")
        entries = bulk.register_file(data, event, organisation, actor=current_user, channel=channel)
    except bulk.FileRefused as refused:
        return _preview(refused.check, urls, status=refused.status)
    except DomainError as error:
        show_error(upload_form, error)
        return upload_page(event, upload_form, urls, organisation, error.status)
    waiting = sum(1 for entry in entries if entry.status == RegistrationStatus.WAITLISTED)
    flash(ngettext("%(num)d person was registered for %(event)s.", "%(num)d people were registered for %(event)s.",
                   len(entries), event=event.name), "success")
    if waiting:
        flash(ngettext("%(num)d of them is on the waiting list.", "%(num)d of them are on the waiting list.",
                       waiting), "warning")
    return redirect(done_url)


def report_step(urls: ImportUrls):
    """The error report of a refused file (kept when it was checked; it can be downloaded once)."""
    try:
        data = uploads.take_upload(request.form.get("token", ""))
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(urls.upload)
    return xlsx_download(data, "报名错误报告.xlsx")


@bp.get("/unit/events/<int:event_id>/template.xlsx")
@requires("registrations.register_unit")
def unit_template(event_id: int):
    """Download the event's registration template (columns for its extra questions, instructions)."""
    event = db.get_or_404(Event, event_id)
    unit_ids = _my_unit_ids()
    if not event.competition.is_public and unit_ids is not None and db.session.scalar(
            select(EventQuota.id).where(EventQuota.event_id == event.id,
                                        EventQuota.organisation_id.in_(unit_ids)).limit(1)) is None:
        abort(404)
    return xlsx_download(bulk_sheet.template_workbook(event), f"报名模板-{event.code}.xlsx")


@bp.route("/unit/<int:org_id>/events/<int:event_id>/import", methods=["GET", "POST"])
@requires("registrations.register_unit", scope=scope_of_org_id, scope_arg="org_id")
def unit_import(org_id: int, event_id: int):
    """Upload a file of the unit's people, and see what it would register or every problem it has."""
    organisation = db.get_or_404(Organisation, org_id)
    event = _unit_event(organisation, event_id)
    urls = _unit_import_urls(organisation, event)
    form = ImportForm()
    if not form.validate_on_submit():
        return upload_page(event, form, urls, organisation, 422 if form.errors else 200)
    return upload_step(form, event, organisation, Channel.LIAISON, urls)


@bp.post("/unit/<int:org_id>/events/<int:event_id>/import/confirm")
@requires("registrations.register_unit", scope=scope_of_org_id, scope_arg="org_id")
def unit_import_confirm(org_id: int, event_id: int):
    """Register every person of the previewed file, or nobody."""
    organisation = db.get_or_404(Organisation, org_id)
    event = _unit_event(organisation, event_id)
    return confirm_step(event, organisation, Channel.LIAISON, _unit_import_urls(organisation, event),
                        url_for("competitions.unit_portal", org_id=organisation.id), ImportForm(formdata=None))


@bp.post("/unit/<int:org_id>/events/<int:event_id>/import/report")
@requires("registrations.register_unit", scope=scope_of_org_id, scope_arg="org_id")
def unit_import_report(org_id: int, event_id: int):
    """Download the error report of a refused file: its rows with an error column."""
    organisation = db.get_or_404(Organisation, org_id)
    return report_step(_unit_import_urls(organisation, _unit_event(organisation, event_id)))

