"""Staff pages for entries: the filtered list with bulk approve / reject, its Excel export,
counts by unit and event, and entering any unit's people from an Excel file.

Staff scoped to a committee see and decide only their committee's entries: the list is
narrowed by `listing.visible_entries`, and every decision goes through the registration
service, which checks the scope of each entry again.
"""
from __future__ import annotations

import logging

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.competitions import bp
from app.competitions.forms.staff import DecisionForm, EntryFilterForm, StaffImportForm, row_id
from app.competitions.models import Channel, Competition, Event, RegistrationStatus
from app.competitions.routes.unit import (ImportUrls, channel_label, confirm_step, report_step, status_labels,
                                          upload_page, upload_step)
from app.competitions.services import bulk_sheet, exports, listing
from app.competitions.services import decisions as staff_decisions
from app.competitions.services.access import scope_of_competition_id, scope_of_event_id
from app.core.errors import DomainError
from app.core.permissions import ScopeType, requires, scopes_with
from app.core.time import local_today
from app.core.web import xlsx_download
from app.extensions import db
from app.orgs.models import Organisation

log = logging.getLogger(__name__)

PER_PAGE = 50


def _managed_competitions():
    """A query of the competitions the user manages (all for association-wide staff)."""
    query = select(Competition).order_by(Competition.year.desc(), Competition.id.desc())
    committees = scopes_with(current_user, "competitions.manage", ScopeType.COMMITTEE)
    if committees is not None:
        query = query.where(Competition.committee_id.in_(committees))
    return query


def _filter_form() -> EntryFilterForm:
    """The list's filters from the query string, with the choices the user may pick from."""
    form = EntryFilterForm(request.args)
    competitions = list(db.session.scalars(_managed_competitions()))
    form.competition_id.choices = [("", _("All competitions"))] + [(c.id, c.name) for c in competitions]
    chosen = row_id(form.competition_id.data)
    events = [event for c in competitions if chosen in (None, c.id) for event in c.events]
    form.event_id.choices = [("", _("All events"))] + [
        (e.id, e.name if chosen else f"{e.name} · {e.competition.name}") for e in events]
    form.status.choices = [("", _("All states"))] + [(s.value, label) for s, label in status_labels().items()]
    return form


def _entries_page(filters: EntryFilterForm, decision: DecisionForm, status: int = 200):
    flt = filters.entry_filter()
    page = db.paginate(exports.with_details(listing.visible_entries(current_user, flt)), per_page=PER_PAGE,
                       error_out=False)
    event = db.session.get(Event, flt.event_id) if flt.event_id else None
    return render_template(
        "competitions/staff/entries.html", filters=filters, args=filters.query_args(), decision=decision,
        page=page, places=exports.waitlist_places(page.items), labels=status_labels(), channel_label=channel_label,
        approvable=RegistrationStatus.ENDORSED, event=event), status


@bp.get("/manage/entries")
@requires("competitions.manage")
def staff_entries():
    """Entries of the user's competitions, filtered by competition, event, unit, state, name or exam number."""
    return _entries_page(_filter_form(), DecisionForm(formdata=None))


@bp.post("/manage/entries/decide")
@requires("competitions.manage")
def staff_decide():
    """Approve or reject the ticked entries, each on its own: report what was done and every failure."""
    filters = _filter_form()
    form = DecisionForm()
    if not form.validate_on_submit():
        return _entries_page(filters, form, 422)
    try:
        if form.reject.data:
            decisions = staff_decisions.reject_many(form.registration_ids.data, actor=current_user,
                                                    reason=form.reason.data)
        else:
            decisions = staff_decisions.approve_many(form.registration_ids.data, actor=current_user)
    except DomainError as error:  # e.g. a blank reason the form let through
        form.reason.errors = [*form.reason.errors, error.message]
        return _entries_page(filters, form, error.status)
    log.info("user %s decided on %d entries (%d refused)", current_user.id,
             len(decisions.done) + len(decisions.failed), len(decisions.failed))
    return render_template("competitions/staff/decided.html", decisions=decisions, rejected=bool(form.reject.data),
                           back=url_for("competitions.staff_entries", **filters.query_args())), \
        (200 if decisions.done or not decisions.failed else 409)


@bp.get("/manage/entries.xlsx")
@requires("competitions.manage")
def staff_entries_export():
    """The filtered entries as an Excel file (ID numbers masked)."""
    filters = EntryFilterForm(request.args)
    tz_name = current_app.config["JIYI_TIMEZONE"]
    today = local_today()
    data = exports.entries_workbook(current_user, filters.entry_filter(), tz_name)
    return xlsx_download(data, f"报名名单-{today:%Y%m%d}.xlsx")


@bp.get("/manage/competitions/<int:competition_id>/counts")
@requires("competitions.manage", scope=scope_of_competition_id, scope_arg="competition_id")
def staff_counts(competition_id: int):
    """How many entries each unit has in each event, by state."""
    competition = db.get_or_404(Competition, competition_id)
    rows, totals = exports.counts_by_unit(competition)
    return render_template("competitions/staff/counts.html", competition=competition, rows=rows, totals=totals,
                           states=exports.STATUS_ORDER, labels=status_labels())


# --- entering a unit's people from Excel -----------------------------------------------------

def _staff_import_urls(event: Event) -> ImportUrls:
    return ImportUrls(upload=url_for("competitions.staff_import", event_id=event.id),
                      confirm=url_for("competitions.staff_import_confirm", event_id=event.id),
                      report=url_for("competitions.staff_import_report", event_id=event.id),
                      template=url_for("competitions.staff_template", event_id=event.id),
                      back=url_for("competitions.staff_entries", event_id=event.id))


@bp.get("/manage/events/<int:event_id>/template.xlsx")
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def staff_template(event_id: int):
    """Download the event's registration template."""
    event = db.get_or_404(Event, event_id)
    return xlsx_download(bulk_sheet.template_workbook(event), f"报名模板-{event.code}.xlsx")


@bp.route("/manage/events/<int:event_id>/import", methods=["GET", "POST"])
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def staff_import(event_id: int):
    """Upload a file of one unit's people for the event, and see what it would register."""
    event = db.get_or_404(Event, event_id)
    form = StaffImportForm()
    urls = _staff_import_urls(event)
    if not form.validate_on_submit():
        return upload_page(event, form, urls, None, 422 if form.errors else 200)
    organisation = form.organisation_id.unit
    return upload_step(form, event, organisation, Channel.STAFF, urls)


@bp.post("/manage/events/<int:event_id>/import/confirm")
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def staff_import_confirm(event_id: int):
    """Register every person of the previewed file for its unit, or nobody."""
    event = db.get_or_404(Event, event_id)
    organisation_id = row_id(request.form.get("organisation_id"))
    organisation = db.get_or_404(Organisation, organisation_id) if organisation_id else None
    form = StaffImportForm(formdata=None)
    urls = _staff_import_urls(event)
    if organisation is None:
        form.organisation_id.errors = [_("Choose the unit.")]
        return upload_page(event, form, urls, None, 422)
    form.organisation_id.data = organisation.id
    return confirm_step(event, organisation, Channel.STAFF, urls,
                        url_for("competitions.staff_entries", event_id=event.id, org_id=organisation.id), form)


@bp.post("/manage/events/<int:event_id>/import/report")
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def staff_import_report(event_id: int):
    """Download the error report of a refused file."""
    return report_step(_staff_import_urls(db.get_or_404(Event, event_id)))
