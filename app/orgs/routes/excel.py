"""Excel pages for member units: the import template, upload and preview, confirm, and export.

Between the preview and the confirmation the uploaded file waits under an unguessable
token (`uploads.keep_upload`); the confirmation claims it once and checks it again in full.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core import uploads
from app.core.errors import DomainError
from app.core.excel import RowsRefused
from app.core.forms import ImportForm, show_error
from app.core.permissions import requires
from app.core.time import local_today
from app.core.web import xlsx_download
from app.orgs import bp
from app.orgs.services import excel_io


def _preview(errors, rows=(), token=None, status=200):
    return render_template("orgs/import_preview.html", errors=errors, rows=rows, token=token,
                           form=FlaskForm(), headers=excel_io.HEADERS, type_label=excel_io.type_label), status


@bp.get("/orgs/import/template")
@requires("orgs.import")
def import_template():
    """Download the empty import template."""
    return xlsx_download(excel_io.template_workbook(), "会员单位导入模板.xlsx")


@bp.route("/orgs/import", methods=["GET", "POST"])
@requires("orgs.import")
def import_units():
    """Upload a file, and see the units it would add or every problem it has."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("orgs/import.html", form=form), 422 if form.errors else 200
    data = form.file.data.read()
    try:
        check = excel_io.check_import(data)
    except DomainError as error:
        show_error(form, error)
        return render_template("orgs/import.html", form=form), error.status
    if not check.is_clean:
        return _preview(check.errors, status=422)
    return _preview([], check.rows, token=uploads.keep_upload(data))


@bp.post("/orgs/import/confirm")
@requires("orgs.import")
def confirm_import():
    """Import every unit of the previewed file, or none of them."""
    try:
        data = uploads.take_upload(request.form.get("token", ""))
        count = excel_io.import_units(data, actor=current_user)
    except RowsRefused as refused:
        return _preview(refused.errors, status=refused.status)
    except DomainError as error:
        form = ImportForm(formdata=None)
        show_error(form, error)
        return render_template("orgs/import.html", form=form), error.status
    flash(ngettext("%(num)d unit was imported.", "%(num)d units were imported.", count), "success")
    return redirect(url_for("orgs.organisations"))


@bp.get("/orgs/export")
@requires("orgs.view")
def export_units():
    """Download the units the user may see as an Excel file."""
    today = local_today()
    return xlsx_download(excel_io.export_units(current_user), f"会员单位-{today:%Y%m%d}.xlsx")
