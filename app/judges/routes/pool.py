"""Staff pages of the pool: the list with its filters, the dashboard, one judge's page, and
adding or changing a judge. A judge's records: records.py; levels and trades:
lists.py; Excel: excel.py; the judge's own pages: portal.py.

A committee's staff reach these pages through `judges.view`; the pages that change the pool
require `judges.manage` held everywhere and send a committee's staff back to the list with a
word (`requires(…, scope=EVERYWHERE, otherwise=back_to_pool)`).
"""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.services.people import PersonFields
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.ids import IdType
from app.core import registry
from app.core.permissions import EVERYWHERE, requires
from app.core.time import local_today
from app.extensions import db
from app.judges import bp, labels
from app.judges.forms.pool import ActiveForm, NewJudgeForm, PoolFilterForm, ProfileForm
from app.judges.models import JudgeKind, JudgeProfile
from app.judges.services import levels, pool

PER_PAGE = 50


def back_to_pool():
    """What a committee's staff get on a page that changes the pool: the list, with why."""
    flash(_("Only the association's staff change the judge pool; you can see it."), "warning")
    return redirect(url_for("judges.pool"))


def fill_profile_choices(form: ProfileForm) -> None:
    form.level_id.choices = labels.level_choices(levels.all_levels())
    form.speciality_ids.choices = [(s.id, f"{s.name}（{s.code}）") for s in levels.all_specialities()]


def profile_fields(form: ProfileForm) -> pool.ProfileFields:
    # Also read from a refused form (validate_all's check): a choice the form refused is left out.
    return pool.ProfileFields(kind=JudgeKind(form.kind.data) if form.kind.data and not form.kind.errors else None,
                              level_id=None if form.level_id.errors else form.level_id.data,
                              speciality_ids=[] if form.speciality_ids.errors else list(form.speciality_ids.data or []),
                              region=form.region.data, notes=form.notes.data)


def person_fields(form: NewJudgeForm) -> PersonFields:
    id_type = form.id_type.data
    return PersonFields(full_name=form.full_name.data,
                        id_type=IdType(id_type) if id_type and not form.id_type.errors else None,
                        id_number=form.id_number.data, phone=form.phone.data, email=form.email.data,
                        organisation_id=None if form.organisation_id.errors else form.organisation_id.data)


@bp.get("/judges", endpoint="pool")
@requires("judges.view")
def pool_list():
    """The pool: every judge and expert, filtered by kind, level, trade, region, unit,
    certificate state or a search."""
    filters = PoolFilterForm(request.args)
    filters.kind.choices = [("", _("Any"))] + [(kind.value, labels.kind_label(kind)) for kind in JudgeKind]
    filters.level_id.choices = [("", _("Any"))] + labels.level_choices(levels.all_levels())
    filters.speciality_id.choices = [("", _("Any"))] + [(s.id, s.name) for s in levels.all_specialities()]
    filters.region.choices = [("", _("Any"))] + [(region, region) for region in pool.regions()]
    today = local_today()
    page = db.paginate(pool.pool_query(filters.pool_filter(), today), per_page=PER_PAGE, error_out=False)
    return render_template("judges/pool.html", page=page, filters=filters, args=filters.query_args(),
                           states=pool.states_of(page.items, today),
                           may_manage=pool.may_manage(current_user))


@bp.get("/judges/dashboard")
@requires("judges.view")
def dashboard():
    """What needs attention: judges whose certificates expire within 90 days, or have expired."""
    today = local_today()
    expiring = db.session.scalars(pool.pool_query(pool.PoolFilter(state="expiring"), today)
                                  .limit(100)).all()
    expired = db.session.scalars(pool.pool_query(pool.PoolFilter(state="expired"), today)
                                 .limit(100)).all()
    latest = {profile.id: max(profile.qualifications, key=lambda q: q.expires_on or date.max)
              for profile in (*expiring, *expired) if profile.qualifications}
    return render_template("judges/dashboard.html", counts=pool.state_counts(today), expiring=expiring,
                           expired=expired, latest=latest, today=today,
                           blocks=[section.template for section in registry.current().sections("judges.dashboard")])


@bp.route("/judges/new", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def new_judge():
    """Add a judge: the person with this ID number, or a new person."""
    form = NewJudgeForm()
    fill_profile_choices(form)
    if validate_all(form, lambda: pool.check_judge(person_fields(form), profile_fields(form))):
        try:
            profile = pool.add_judge(person_fields(form), profile_fields(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("judges/new.html", form=form), error.status
        flash(_("%(name)s is in the judge pool now.", name=profile.person.full_name), "success")
        return redirect(url_for("judges.judge", profile_id=profile.id))
    return render_template("judges/new.html", form=form), 422 if form.errors else 200


@bp.get("/judges/<int:profile_id>")
@requires("judges.view")
def judge(profile_id: int):
    """One judge: profile, certificates with their state today, available dates, declared
    conflicts and the panels they sat on."""
    profile = db.get_or_404(JudgeProfile, profile_id)
    today = local_today()
    return render_template("judges/judge.html", profile=profile, today=today,
                           standing=pool.states_of([profile], today)[profile.id],
                           history=pool.history(profile), may_manage=pool.may_manage(current_user),
                           active_form=ActiveForm())


@bp.route("/judges/<int:profile_id>/edit", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def edit_judge(profile_id: int):
    """Change a judge's kind, level, trades, region or notes."""
    profile = db.get_or_404(JudgeProfile, profile_id)
    form = ProfileForm(obj=None if request.method == "POST" else profile)
    fill_profile_choices(form)
    if request.method == "GET":
        form.kind.data = profile.kind.value
        form.speciality_ids.data = [s.id for s in profile.specialities]
    if validate_all(form, lambda: pool.clean_profile(profile_fields(form))):
        try:
            pool.update_profile(profile, profile_fields(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("judges/edit.html", form=form, profile=profile), error.status
        flash(_("The changes are saved."), "success")
        return redirect(url_for("judges.judge", profile_id=profile.id))
    return render_template("judges/edit.html", form=form, profile=profile), 422 if form.errors else 200


@bp.post("/judges/<int:profile_id>/deactivate")
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def deactivate(profile_id: int):
    """Take a judge out of the pool: never drawn again, their records kept."""
    return _set_active(profile_id, False)


@bp.post("/judges/<int:profile_id>/reactivate")
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def reactivate(profile_id: int):
    """Bring a judge back into the pool."""
    return _set_active(profile_id, True)


def _set_active(profile_id: int, is_active: bool):
    profile = db.get_or_404(JudgeProfile, profile_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        flash(_("Please check the reason (at most 500 characters)."), "danger")
        return redirect(url_for("judges.judge", profile_id=profile.id))
    pool.set_active(profile, is_active, actor=current_user, reason=form.reason.data)
    flash(_("The judge is back in the pool.") if is_active else _("The judge is out of the pool; their records "
                                                                    "are kept."), "success")
    return redirect(url_for("judges.judge", profile_id=profile.id))

