"""The year's programme (年度培训计划): every class of a year with its state and places, the
year's trainees against its target, a month calendar, the Excel export."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import EVERYWHERE, requires
from app.core.time import utcnow
from app.core.web import xlsx_download
from app.trainings import bp
from app.trainings.forms.classes import TargetForm
from app.trainings.services import programme as service
from app.trainings.services.access import VIEW_PROGRAMME


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year is not None and 2000 <= year <= 2100 else utcnow().year


def _page(year: int, status: int = 200, form: TargetForm | None = None):
    found = service.programme(current_user, year)
    form = form or TargetForm(formdata=None, data={"target_trainees": found.target or None})
    return render_template("trainings/programme/year.html", found=found, form=form,
                           state_label=service.state_label, category_label=service.category_label), status


@bp.get("/manage/trainings/programme")
@requires(VIEW_PROGRAMME)
def programme():
    """All classes of a year: state, enrolled against places, trainees against the target."""
    return _page(_year())


@bp.post("/manage/trainings/programme/target")
@requires(VIEW_PROGRAMME, scope=EVERYWHERE)
def set_programme_target():
    """Set the year's target of trainees."""
    year = _year()
    form = TargetForm()
    if not form.validate_on_submit():
        return _page(year, 422, form)
    try:
        service.set_target(year, form.target_trainees.data, actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _page(year, error.status, form)
    flash(_("The target is saved."), "success")
    return redirect(url_for("trainings.programme", year=year))


@bp.get("/manage/trainings/programme/calendar")
@requires(VIEW_PROGRAMME)
def programme_calendar():
    """A month of the year's programme as a calendar (a list of days on a phone)."""
    year = _year()
    month = request.args.get("month", type=int)
    month = month if month is not None and 1 <= month <= 12 else (utcnow().month if year == utcnow().year else 1)
    found = service.programme(current_user, year)
    return render_template("trainings/programme/calendar.html", found=found, year=year, month=month,
                           weeks=service.month_calendar(found.classes, year, month))


@bp.get("/manage/trainings/programme/export")
@requires(VIEW_PROGRAMME)
def programme_export():
    """The year's programme as an Excel sheet."""
    year = _year()
    return xlsx_download(service.export_workbook(service.programme(current_user, year)), f"{year}年度培训计划.xlsx")
