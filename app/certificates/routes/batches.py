"""Staff pages of batches: the list with a new batch's form, a batch's page with its progress
bar (it polls the small progress answer), and the batch's certificates as one streamed zip.
The scheduler's job issues the batch; these pages only ask for it and watch."""
from __future__ import annotations

from flask import Response, flash, jsonify, redirect, render_template, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.certificates import bp
from app.certificates.batch_sources import BATCH_SOURCES
from app.certificates.forms.batches import BatchForm, parse_origin
from app.certificates.models import CertificateBatch, CertificateTemplate
from app.certificates.services import batches, templates
from app.core.errors import DomainError, InvalidInput
from app.core.forms import show_error, validate_all
from app.core.permissions import EVERYWHERE, requires
from app.extensions import db
from app.scoring.services.publication import published_schemes
from app.trainings.models import ClassState, TrainingClass

MANAGE = "certificates.manage"
ORIGIN_FIELDS = {"source": "origin", "ref": "origin"}


def _origins() -> list[tuple[str, str]]:
    """What a batch can issue from: each published result (awards, participation) and each closed class."""
    choices = []
    for scheme, snapshot in published_schemes():
        what = f"{scheme.event.name} · {scheme.name} v{snapshot.number}"
        choices.append((f"results:{snapshot.id}", _("Awards: %(what)s", what=what)))
        choices.append((f"participation:{snapshot.id}", _("Participation: %(what)s", what=what)))
    for training_class in db.session.scalars(select(TrainingClass).where(TrainingClass.state == ClassState.CLOSED)
                                             .order_by(TrainingClass.id.desc()).limit(300)):
        choices.append((f"trainings:{training_class.id}", _("Completion: %(what)s", what=training_class.title)))
    return choices


def _form() -> BatchForm:
    form = BatchForm()
    form.origin.choices = [("", _("Choose a published result or a closed class"))] + _origins()
    form.template_id.choices = [("", _("Choose a template"))] + [(str(t.id), t.name) for t in templates.listing(None)]
    return form


def _template(value) -> CertificateTemplate | None:
    return db.session.get(CertificateTemplate, int(value)) if value and value.isascii() and value.isdigit() \
        and len(value) <= 9 else None


def _for_the_form(call):
    """Run `call`; its problems about the source name the form's one `origin` field."""
    try:
        return call()
    except InvalidInput as error:
        raise InvalidInput(error.message, ORIGIN_FIELDS.get(error.field, error.field),
                           [(ORIGIN_FIELDS.get(field, field), message) for field, message in error.problems]) from None


@bp.route("/certificates/batches", methods=["GET", "POST"])
@requires(MANAGE, scope=EVERYWHERE)
def batches_list():
    """Batches, newest first, and a new one: a published result or a closed class, a template."""
    form = _form()

    def ask():
        source, ref = parse_origin(form.origin.data)
        return batches.create(source, ref, _template(form.template_id.data), actor=current_user)

    def check():
        source, ref = parse_origin(form.origin.data)
        batches.check(source, ref, _template(form.template_id.data))

    if validate_all(form, lambda: _for_the_form(check)):
        try:
            batch = _for_the_form(ask)
        except DomainError as error:
            show_error(form, error)
            return render_template("certificates/batches.html", form=form, rows=batches.listing()), error.status
        flash(_("The batch is waiting for the scheduler; this page shows its progress."), "success")
        return redirect(url_for(".batch", batch_id=batch.id))
    return render_template("certificates/batches.html", form=form, rows=batches.listing()), \
        422 if form.errors else 200


@bp.get("/certificates/batches/<int:batch_id>")
@requires(MANAGE, scope=EVERYWHERE)
def batch(batch_id: int):
    """One batch: its progress bar, what it issued, a problem it met; the zip when done."""
    found = db.get_or_404(CertificateBatch, batch_id)
    return render_template("certificates/batch.html", batch=found, source=BATCH_SOURCES.get(found.source))


@bp.get("/certificates/batches/<int:batch_id>/progress")
@requires(MANAGE, scope=EVERYWHERE)
def batch_progress(batch_id: int):
    """The batch's progress as JSON, for the page's bar."""
    return jsonify(batches.progress(db.get_or_404(CertificateBatch, batch_id)))


@bp.get("/certificates/batches/<int:batch_id>/certificates.zip")
@requires(MANAGE, scope=EVERYWHERE)
def batch_zip(batch_id: int):
    """The batch's certificates (PDFs as issued) as one zip, streamed."""
    found = db.get_or_404(CertificateBatch, batch_id)
    return Response(stream_with_context(batches.zip_chunks(found)), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="certificates-batch-{found.id}.zip"'})
