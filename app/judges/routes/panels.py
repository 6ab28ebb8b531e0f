"""Staff pages of the panels: the list, an event's panels, setting one up, the panel with its
members, seating a judge by hand, taking one off and calling reserves. The draw and its
record: panel_draws.py; the judge's own seats and the load dashboard:
panel_mine.py.

Staff holding `judges.manage` for the event's committee (or everywhere) manage its panels.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Person
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import ScopeType, requires, scopes_with
from app.core.time import local_today
from app.extensions import db
from app.judges import bp, labels
from app.judges.forms.panels import AssignForm, PanelForm, RemoveForm
from app.judges.models import (JudgeProfile, MemberStatus, Panel, PanelMember, PanelRole, PanelStatus,
                               judge_specialities)
from app.judges.services import levels, panels, seats
from app.judges.services.draws import SEATED
from app.core.time import local_today
from app.judges.services.facts import event_facts, facts_in_committees, facts_of

PER_PAGE = 50


def fill_panel_choices(form: PanelForm, facts) -> None:
    form.stage_id.choices = [("", _("The whole event"))] + list(facts.stages)
    form.speciality_id.choices = [("", _("Choose a trade"))] + [(s.id, f"{s.name}（{s.code}）")
                                                                 for s in levels.all_specialities()]
    form.min_level_id.choices = [("", _("Any level"))] + labels.level_choices(levels.all_levels())


@bp.get("/judges/panels")
@requires("judges.manage")
def panel_list():
    """Every panel the signed-in staff manage, soonest first."""
    query = select(Panel).order_by(Panel.starts_on.desc(), Panel.id.desc())
    committees = scopes_with(current_user, "judges.manage", ScopeType.COMMITTEE)
    if committees is not None:  # a committee's staff: the panels of their committees' events
        query = query.where(Panel.event_id.in_(list(facts_in_committees(committees))))
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    facts = facts_of(panel.event_id for panel in page.items)
    short = {panel.id: panels.seats_of(panel).short for panel in page.items}
    return render_template("judges/panels/list.html", page=page, facts=facts, short=short)


@bp.get("/judges/events/<int:event_id>/panels")
@requires("judges.manage", scope=panels.scope_of_event_id, scope_arg="event_id")
def event_panels(event_id: int):
    """An event's panels, with a button to set up another."""
    facts = event_facts(event_id)
    rows = db.session.scalars(select(Panel).where(Panel.event_id == event_id)
                              .order_by(Panel.starts_on, Panel.id)).all()
    return render_template("judges/panels/event.html", facts=facts, panels=rows,
                           short={panel.id: panels.seats_of(panel).short for panel in rows})


@bp.route("/judges/events/<int:event_id>/panels/new", methods=["GET", "POST"])
@requires("judges.manage", scope=panels.scope_of_event_id, scope_arg="event_id")
def new_panel(event_id: int):
    """Set up a panel: its dates, trade, lowest level, seats, caps and the compatriot rule."""
    facts = event_facts(event_id)
    form = PanelForm()
    fill_panel_choices(form, facts)
    if request.method == "GET":
        form.name.data = _("%(event)s panel", event=facts.name)[:100]
        default = panels.default_speciality(facts)
        form.speciality_id.data = default.id if default else None
    if validate_all(form, lambda: panels.check_panel(event_id, form.fields())):
        try:
            panel = panels.create_panel(event_id, form.fields(), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("judges/panels/form.html", form=form, facts=facts, panel=None), error.status
        flash(_("The panel is set up. Draw it when its rules are right."), "success")
        return redirect(url_for("judges.panel", panel_id=panel.id))
    return render_template("judges/panels/form.html", form=form, facts=facts, panel=None), 422 if form.errors else 200


@bp.route("/judges/panels/<int:panel_id>/edit", methods=["GET", "POST"])
@requires("judges.manage", scope=panels.scope_of_panel_id, scope_arg="panel_id")
def edit_panel(panel_id: int):
    """Change an open panel's rules (a drawn panel keeps those it was drawn under)."""
    panel = panels.panel_or_404(panel_id)
    facts = event_facts(panel.event_id)
    if panel.status != PanelStatus.OPEN:
        flash(_("A drawn panel keeps the rules it was drawn under."), "warning")
        return redirect(url_for("judges.panel", panel_id=panel.id))
    form = PanelForm(obj=None if request.method == "POST" else panel)
    fill_panel_choices(form, facts)
    if request.method == "GET":
        form.compatriot_rule.data = panel.compatriot_rule.value
    if validate_all(form, lambda: panels.check_panel(panel.event_id, form.fields())):
        try:
            panels.update_panel(panel, form.fields(), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("judges/panels/form.html", form=form, facts=facts, panel=panel), error.status
        flash(_("The changes are saved."), "success")
        return redirect(url_for("judges.panel", panel_id=panel.id))
    return render_template("judges/panels/form.html", form=form, facts=facts, panel=panel), \
        422 if form.errors else 200


def _assign_choices(panel: Panel) -> list[tuple]:
    """Active judges of the panel's trade who are not on it (others would be refused anyway)."""
    on_panel = select(PanelMember.profile_id).where(PanelMember.panel_id == panel.id,
                                                    PanelMember.status.in_((*SEATED, MemberStatus.STANDBY)))
    rows = db.session.execute(
        select(JudgeProfile.id, Person.full_name).join(Person, Person.id == JudgeProfile.person_id)
        .where(JudgeProfile.is_active, JudgeProfile.id.not_in(on_panel),
               exists().where(judge_specialities.c.profile_id == JudgeProfile.id,
                              judge_specialities.c.speciality_id == panel.speciality_id))
        .order_by(Person.full_name, JudgeProfile.id).limit(500))
    return [("", _("Choose a judge"))] + [(pid, name) for pid, name in rows]


def render_panel(panel: Panel, assign_form: AssignForm | None = None, status: int = 200):
    facts = event_facts(panel.event_id)
    members = db.session.scalars(select(PanelMember).where(PanelMember.panel_id == panel.id)
                                 .options(joinedload(PanelMember.profile)).order_by(PanelMember.id)).all()
    order = {PanelRole.CHIEF: 0, PanelRole.JUDGE: 1, PanelRole.RECORDER: 2, PanelRole.RESERVE: 3}
    seated = sorted((m for m in members if m.status in SEATED), key=lambda m: (order[m.role], m.id))
    assign_form = assign_form or AssignForm(formdata=None)
    assign_form.profile_id.choices = _assign_choices(panel)
    return render_template(
        "judges/panels/panel.html", panel=panel, facts=facts, seats=panels.seats_of(panel, members),
        seated=seated, standby=panels.standby_of(members),
        departed=[m for m in members if m.status not in SEATED and m.status != MemberStatus.STANDBY],
        withheld={m.id: panels.withheld_unit(panel, m.profile, facts) for m in seated},
        assign_form=assign_form, remove_form=RemoveForm(formdata=None), today=local_today()), status


@bp.get("/judges/panels/<int:panel_id>")
@requires("judges.manage", scope=panels.scope_of_panel_id, scope_arg="panel_id")
def panel(panel_id: int):
    """One panel: its rules, its members and their answers, its reserves in line and its draw."""
    return render_panel(panels.panel_or_404(panel_id))


def _role(form: AssignForm) -> PanelRole | None:
    """The role chosen, or None when the form refused it (validate_all's check reads a refused form)."""
    return PanelRole(form.role.data) if form.role.data and not form.role.errors else None


@bp.post("/judges/panels/<int:panel_id>/members")
@requires("judges.manage", scope=panels.scope_of_panel_id, scope_arg="panel_id")
def assign_member(panel_id: int):
    """Seat a judge by hand; refused, with every reason, when they may not sit."""
    panel = panels.panel_or_404(panel_id)
    form = AssignForm()
    form.profile_id.choices = _assign_choices(panel)
    form.profile_id.validate_choice = False  # the service says why a judge may not sit
    if not validate_all(form, lambda: seats.check_assignment(panel, form.profile_id.data, _role(form))):
        return render_panel(panel, form, 422)
    try:
        member = seats.assign(panel, form.profile_id.data, _role(form), actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return render_panel(panel, form, error.status)
    flash(_("%(name)s is on the panel now.", name=member.profile.person.full_name), "success")
    return redirect(url_for("judges.panel", panel_id=panel.id))


@bp.post("/judges/panels/<int:panel_id>/call-reserves")
@requires("judges.manage", scope=panels.scope_of_panel_id, scope_arg="panel_id")
def call_reserves(panel_id: int):
    """Invite reserves, in line, into the seats open now."""
    panel = panels.panel_or_404(panel_id)
    try:
        called = seats.call_reserves(panel, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return render_panel(panel, status=error.status)
    flash(_("%(n)d reserves invited.", n=len(called)) if called else _("No reserve in line may take an open seat."),
          "success" if called else "warning")
    return redirect(url_for("judges.panel", panel_id=panel.id))


@bp.post("/judges/panel-members/<int:member_id>/remove")
@requires("judges.manage", scope=panels.scope_of_member_id, scope_arg="member_id")
def remove_member(member_id: int):
    """Take a judge off the panel; a chief or judge is replaced by the next reserve who may sit."""
    member = panels.member_or_404(member_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        flash(_("Please check the reason (at most 500 characters)."), "danger")
        return render_panel(member.panel, status=422)
    try:
        seats.remove_member(member, form.reason.data, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return render_panel(member.panel, status=error.status)
    flash(_("%(name)s is off the panel.", name=member.profile.person.full_name), "success")
    return redirect(url_for("judges.panel", panel_id=member.panel_id))
