"""The judge's own seats (made for a tablet): invitations to accept or decline, and their
assignments; and the staff dashboard of the load per judge and unit and the panels short of
judges. The judge's invitations also show on their portal page (routes.portal.PORTAL_SECTIONS)
and the short panels on the pool dashboard (routes.DASHBOARD_BLOCKS)."""
from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core.errors import DomainError
from app.core.permissions import requires, signed_in
from app.core.time import local_today
from app.judges import bp
from app.judges.forms.panels import DeclineForm, PeriodForm
from app.judges.models import CompatriotRule, JudgeProfile, PanelStatus, SeedSource
from app.judges.routes.pool import DASHBOARD_BLOCKS
from app.judges.routes.portal import PORTAL_SECTIONS
from app.judges.services import dashboard, panels, pool, seats
from app.judges.services.facts import event_facts


def _portal_section(profile: JudgeProfile) -> dict:
    return {"assignments": panels.assignments_of(profile, upcoming_only=True), "accept_form": FlaskForm(),
            "decline_form": DeclineForm(formdata=None)}


PORTAL_SECTIONS.append(("judges/assignments/_section.html", _portal_section))
DASHBOARD_BLOCKS.append("judges/dashboard/_short_panels.html")


def panel_status_label(status: PanelStatus) -> str:
    return {PanelStatus.OPEN: _("Not drawn yet"), PanelStatus.DRAWN: _("Drawn"),
            PanelStatus.CLOSED: _("Closed")}[status]


def compatriot_rule_label(rule: CompatriotRule) -> str:
    return {CompatriotRule.EXCLUDE: _("Judges from a contestant's unit are left out of the draw"),
            CompatriotRule.WITHHOLD: _("Judges from a contestant's unit may sit; their unit's contestants are "
                                       "withheld from their sheets")}[rule]


def seed_source_label(source: SeedSource) -> str:
    return {SeedSource.SECURE: _("Secure random seed drawn by the system"),
            SeedSource.WITNESSED: _("Seed typed in front of witnesses")}[source]


@bp.app_context_processor
def _panel_helpers() -> dict:
    """Labels of the panels' codes, and for the pool dashboard's block the panels short of
    judges (asked only when the block is shown)."""
    def short_panels(limit: int = 20):
        found = dashboard.short_panels(local_today(), limit)
        return [(row, event_facts(row.panel.event_id)) for row in found]
    return {"short_panels": short_panels, "panel_status_label": panel_status_label,
            "compatriot_rule_label": compatriot_rule_label, "seed_source_label": seed_source_label}


@bp.get("/judges/me/assignments")
@signed_in
def my_assignments():
    """The signed-in judge's invitations and seats, past ones too, soonest first."""
    profile = pool.profile_of_user(current_user)
    if profile is None:
        return render_template("judges/me_not_in_pool.html"), 404
    return render_template("judges/assignments/mine.html", profile=profile, today=local_today(),
                           **_portal_section(profile) | {"assignments": panels.assignments_of(profile)})


def _back():
    """Where the judge answered from: their assignments page or their portal page."""
    return redirect(url_for("judges.me") if request.form.get("from") == "portal"
                    else url_for("judges.my_assignments"))


@bp.post("/judges/me/assignments/<int:member_id>/accept")
@signed_in
def accept_invitation(member_id: int):
    """The judge accepts an invitation to a panel."""
    member = seats.own_member(member_id, current_user)   # NotFound for anyone else's
    if not FlaskForm().validate_on_submit():
        flash(_("The form has expired; please try again."), "danger")
        return _back()
    try:
        seats.accept(member, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return _back()
    flash(_("You have accepted. Thank you!"), "success")
    return _back()


@bp.post("/judges/me/assignments/<int:member_id>/decline")
@signed_in
def decline_invitation(member_id: int):
    """The judge declines an invitation (a reason is optional); a reserve is asked instead."""
    member = seats.own_member(member_id, current_user)   # NotFound for anyone else's
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(_("Please keep the reason to at most 500 characters."), "danger")
        return _back()
    try:
        seats.decline(member, form.reason.data, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return _back()
    flash(_("You have declined; the association will ask someone else."), "success")
    return _back()


@bp.get("/judges/load")
@requires("judges.view")
def panel_load():
    """The load per judge and per unit in a period (default: the next 90 days), and the panels
    still short of judges."""
    today = local_today()
    form = PeriodForm(request.args)
    form.validate()
    first, last = form.period(today, today + timedelta(days=90))
    form.first.data, form.last.data = first, last
    short = [(row, event_facts(row.panel.event_id)) for row in dashboard.short_panels(today)]
    return render_template("judges/dashboard/load.html", form=form, first=first, last=last,
                           judges=dashboard.load_per_judge(first, last), units=dashboard.load_per_unit(first, last),
                           short=short, may_manage=pool.may_manage(current_user))
