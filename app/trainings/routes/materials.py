"""Course materials: the class's list (its trainees and organisers), uploading and deleting
(organisers), downloading (trainees holding a place, organisers; anyone else: 404).

The limits are app.trainings.services.materials (kinds by name and content, size).
"""
from __future__ import annotations

import io

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError, NotFound, PermissionDenied
from app.core.forms import show_error, validate_all
from app.core.permissions import has_permission, requires, signed_in
from app.extensions import db
from app.trainings import bp
from app.trainings.forms.curriculum import DeleteMaterialForm, MaterialForm
from app.trainings.models import Material, TrainingClass
from app.trainings.services import curriculum, materials
from app.trainings.services.access import MANAGE, class_scope, scope_of_class_id


def scope_of_material_id(view_args: dict):
    return class_scope(db.get_or_404(TrainingClass, db.get_or_404(Material, view_args.get("material_id")).class_id))


def _form(training_class: TrainingClass, form: MaterialForm | None = None) -> MaterialForm:
    form = form or MaterialForm(formdata=None)
    form.session_id.choices = [("", _("The whole class"))] + [
        (str(row.id), f"{row.title}") for row in curriculum.sessions_of(training_class)]
    return form


def _page(training_class: TrainingClass, form: MaterialForm | None = None, status: int = 200):
    manages = has_permission(current_user, MANAGE, class_scope(training_class))
    readable = manages or materials.may_read(training_class, current_user)
    return render_template("trainings/materials/list.html", training_class=training_class,
                           materials=materials.materials_of(training_class) if readable else [],
                           readable=readable, manages=manages, form=_form(training_class, form) if manages else None,
                           delete_form=DeleteMaterialForm(formdata=None), max_mb=materials.MAX_BYTES // (1024 * 1024),
                           kinds=materials.allowed_endings()), status


@bp.get("/trainings/classes/<int:class_id>/materials")
@signed_in
def materials_page(class_id: int):
    """The class's materials, for its trainees holding a place and its organisers."""
    training_class = db.get_or_404(TrainingClass, class_id)
    return _page(training_class)


def _upload(form: MaterialForm) -> materials.Upload:
    file = form.file.data
    data = file.read(materials.MAX_BYTES + 1) if file and hasattr(file, "read") else None
    return materials.Upload(title=form.title.data, filename=getattr(file, "filename", None), data=data,
                            session_id=form.session_id.data if isinstance(form.session_id.data, int) else None)


@bp.post("/trainings/manage/classes/<int:class_id>/materials")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def upload_material(class_id: int):
    """Upload a material (its kind and size checked)."""
    training_class = db.get_or_404(TrainingClass, class_id)
    form = _form(training_class, MaterialForm())
    upload = _upload(form)
    if validate_all(form, lambda: materials.check_upload(training_class, upload)):
        try:
            materials.add_material(training_class, upload, actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return _page(training_class, form, error.status)
        flash(_("The material is uploaded."), "success")
        return redirect(url_for("trainings.materials_page", class_id=class_id))
    return _page(training_class, form, 422)


@bp.post("/trainings/manage/materials/<int:material_id>/delete")
@requires(MANAGE, scope=scope_of_material_id, scope_arg="material_id")
def delete_material(material_id: int):
    """Delete a material."""
    row = db.get_or_404(Material, material_id)
    class_id = row.class_id
    form = DeleteMaterialForm()
    if form.validate_on_submit() and form.material_id.data == str(material_id):
        materials.delete_material(row, actor=current_user)
        flash(_("The material is deleted."), "success")
    return redirect(url_for("trainings.materials_page", class_id=class_id))


@bp.get("/trainings/materials/<int:material_id>")
@signed_in
def download_material(material_id: int):
    """The file, as an attachment, for the class's trainees holding a place and its organisers."""
    try:
        row = materials.material_for(material_id, current_user)
    except (NotFound, PermissionDenied):
        raise NotFound(_("No such material.")) from None
    return send_file(io.BytesIO(row.content), mimetype=row.content_type, as_attachment=True,
                     download_name=row.filename, max_age=0)
