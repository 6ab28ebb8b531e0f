"""Excel pages for the pool: the import template, upload and preview, confirm, and export.

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
from app.core.permissions import EVERYWHERE, requires
from app.core.time import local_today
from app.core.web import xlsx_download
from app.judges import bp
from app.judges.forms.pool import PoolFilterForm
from app.judges.routes.pool import back_to_pool
from app.judges.services import excel_io, export


def _preview(errors, rows=(), token=None, status=200):
    return render_template("judges/import_preview.html", errors=errors, rows=rows, token=token, form=FlaskForm(),
                           kind_label=excel_io.kind_label), status


@bp.get("/judges/import/template")
@requires("judges.view")
def import_template():
    """Download the empty import template (its notes list the level and trade codes)."""
    return xlsx_download(excel_io.template_workbook(), "裁判专家导入模板.xlsx")


@bp.route("/judges/import", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def import_judges():
    """Upload a file, and see the judges it would add or every problem it has."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("judges/import.html", form=form), 422 if form.errors else 200
    data = form.file.data.read()
    try:
        check = excel_io.check_import(data, today=local_today())
    except DomainError as error:
        show_error(form, error)
        return render_template("judges/import.html", form=form), error.status
    if not check.is_clean:
        return _preview(check.errors, status=422)
    return _preview([], check.rows, token=uploads.keep_upload(data))


@bp.post("/judges/import/confirm")
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def confirm_import():
    """Add every judge of the previewed file, or none of them."""
    try:
        data = uploads.take_upload(request.form.get("token", ""))
        count = excel_io.import_judges(data, actor=current_user, today=local_today())
    except RowsRefused as refused:
        return _preview(refused.errors, status=refused.status)
    except DomainError as error:
        form = ImportForm(formdata=None)
        show_error(form, error)
        return render_template("judges/import.html", form=form), error.status
    flash(ngettext("%(num)d judge was added to the pool.", "%(num)d judges were added to the pool.", count),
          "success")
    return redirect(url_for("judges.pool"))


@bp.get("/judges/export")
@requires("judges.view")
def export_pool():
    """Download the judges the list's filters select, ID numbers masked."""
    today = local_today()
    filters = PoolFilterForm(request.args)
    return xlsx_download(export.export_pool(filters.pool_filter(), today=today), f"裁判专家库-{today:%Y%m%d}.xlsx")
