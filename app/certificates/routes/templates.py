"""Staff pages of certificate templates: the list, a new one, editing one with its preview,
and its background image (checked, then confirmed: app/core/uploads.py keeps it between)."""
from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.certificates import bp
from app.certificates.forms.templates import (BackgroundForm, ConfirmBackgroundForm, LayoutForm, PlainForm,
                                              TemplateForm, fill_layout, placements_of)
from app.certificates.layout import FIELD_KEYS, page_mm, placements
from app.certificates.models import CertificateTemplate
from app.certificates.services import templates
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import EVERYWHERE, requires
from app.core.uploads import keep_upload, take_upload
from app.extensions import db

MANAGE = "certificates.manage"


def _data(form, with_layout: bool) -> templates.TemplateFields:
    return templates.TemplateFields(name=form.name.data, kind=form.kind.data, page_size=form.page_size.data,
                                    orientation=form.orientation.data, title=form.title.data,
                                    issuer=form.issuer.data, fields=placements_of(form) if with_layout else None)


@bp.get("/certificates/templates")
@requires(MANAGE, scope=EVERYWHERE)
def templates_list():
    """Every template, by kind."""
    return render_template("certificates/templates.html", templates=templates.listing())


@bp.route("/certificates/templates/new", methods=["GET", "POST"])
@requires(MANAGE, scope=EVERYWHERE)
def new_template():
    """A new template: its kind, page and words; the default layout for that page."""
    form = TemplateForm(data=None if request.method == "POST" else templates.default_fields(request.args.get("kind")))
    if validate_all(form, lambda: templates.check(_data(form, False))):
        try:
            template = templates.create(_data(form, False), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("certificates/template_new.html", form=form), error.status
        flash(_("The template is saved."), "success")
        return redirect(url_for(".template", template_id=template.id))
    return render_template("certificates/template_new.html", form=form), 422 if form.errors else 200


def _template_page(template: CertificateTemplate, form: LayoutForm, status: int = 200, **extra):
    return render_template("certificates/template.html", template=template, form=form, field_keys=FIELD_KEYS,
                           page=page_mm(template.page_size, template.orientation),
                           background_form=extra.pop("background_form", BackgroundForm()), plain=PlainForm(),
                           **extra), status


@bp.route("/certificates/templates/<int:template_id>", methods=["GET", "POST"])
@requires(MANAGE, scope=EVERYWHERE)
def template(template_id: int):
    """A template: words, page and where each field sits, beside its preview."""
    template = db.get_or_404(CertificateTemplate, template_id)
    form = LayoutForm(obj=None if request.method == "POST" else template)
    if request.method == "GET":
        fill_layout(form, placements(template.fields, template.page_size, template.orientation))
    if validate_all(form, lambda: templates.check(_data(form, True))):
        page_changed = (form.page_size.data, form.orientation.data) != (template.page_size, template.orientation)
        try:
            templates.update(template, _data(form, not page_changed), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return _template_page(template, form, error.status)
        flash(_("The template is saved."), "success")
        return redirect(url_for(".template", template_id=template.id))
    return _template_page(template, form, 422 if form.errors else 200)


@bp.get("/certificates/templates/<int:template_id>/preview.pdf")
@requires(MANAGE, scope=EVERYWHERE)
def template_preview(template_id: int):
    """The template filled with sample data, as a PDF shown inline."""
    template = db.get_or_404(CertificateTemplate, template_id)
    response = send_file(io.BytesIO(templates.preview_pdf(template)), mimetype="application/pdf",
                         download_name=f"preview-{template.id}.pdf")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/certificates/templates/<int:template_id>/preview.png")
@requires(MANAGE, scope=EVERYWHERE)
def template_preview_picture(template_id: int):
    """The preview as a picture for the template page; 404 where it cannot be drawn here."""
    template = db.get_or_404(CertificateTemplate, template_id)
    picture = templates.preview_png(template)
    if picture is None:
        abort(404)
    response = send_file(io.BytesIO(picture), mimetype="image/png", download_name=f"preview-{template.id}.png")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/certificates/templates/<int:template_id>/background")
@requires(MANAGE, scope=EVERYWHERE)
def template_background(template_id: int):
    """Check an uploaded background image and ask to confirm it."""
    template = db.get_or_404(CertificateTemplate, template_id)
    background_form = BackgroundForm()
    form = LayoutForm(obj=template)
    fill_layout(form, placements(template.fields, template.page_size, template.orientation))
    if not background_form.validate_on_submit():
        return _template_page(template, form, 422, background_form=background_form)
    data = background_form.file.data.read()
    try:
        image_format, width, height = templates.check_background(data)
    except DomainError as error:
        show_error(background_form, error)
        return _template_page(template, form, error.status, background_form=background_form)
    confirm = ConfirmBackgroundForm(token=keep_upload(data))
    return render_template("certificates/background_confirm.html", template=template, confirm=confirm,
                           image_format=image_format, width=width, height=height, size_kb=len(data) // 1024)


@bp.post("/certificates/templates/<int:template_id>/background/confirm")
@requires(MANAGE, scope=EVERYWHERE)
def template_background_confirm(template_id: int):
    """Use the checked image as the template's background."""
    template = db.get_or_404(CertificateTemplate, template_id)
    confirm = ConfirmBackgroundForm()
    if not confirm.validate_on_submit():
        flash(_("This upload is no longer available. Please upload the image again."), "danger")
        return redirect(url_for(".template", template_id=template.id))
    templates.set_background(template, take_upload(confirm.token.data), actor=current_user)
    flash(_("The background is saved."), "success")
    return redirect(url_for(".template", template_id=template.id))


@bp.post("/certificates/templates/<int:template_id>/background/remove")
@requires(MANAGE, scope=EVERYWHERE)
def template_background_remove(template_id: int):
    """Print the template without a background image."""
    template = db.get_or_404(CertificateTemplate, template_id)
    if PlainForm().validate_on_submit():
        templates.set_background(template, None, actor=current_user)
        flash(_("The background is removed."), "success")
    return redirect(url_for(".template", template_id=template.id))
