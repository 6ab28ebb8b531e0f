"""Course materials (课件、讲义): files an organiser uploads to a class (or one of its
sessions), served only to the class's enrolled trainees and its organisers.

Limits: at most MAX_BYTES a file, and only the kinds in KINDS — known by the name's ending
AND by the file's first bytes (a PDF starts "%PDF-", Office files are zip archives, images
have their signatures), so a program renamed to .pdf is refused. The content type served is
the kind's, never what the browser said; files are served as attachments.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.errors import NotFound, PermissionDenied, Problems
from app.core.permissions import has_permission, require
from app.extensions import db
from app.trainings.models import CourseSession, Enrolment, EnrolmentStatus, Material, TrainingClass
from app.trainings.services.access import MANAGE, class_scope

MAX_BYTES = 5 * 1024 * 1024
MAX_TITLE = 200
_ZIP = (b"PK\x03\x04",)
# ending → (content type, the first bytes it may start with)
KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def allowed_endings() -> str:
    return ", ".join(f".{ending}" for ending in KINDS)


@dataclass
class Upload:
    title: str | None
    filename: str | None
    data: bytes | None
    session_id: int | None = None


def _ending(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _clean_name(filename: str | None) -> str:
    # Only the last part of a path, no control characters; kept for the download's name.
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable()).strip()[:255]


def check_upload(training_class: TrainingClass, upload: Upload) -> None:
    """Raises InvalidInput naming every problem at once; changes nothing."""
    _clean(training_class, upload)


def _clean(training_class: TrainingClass, upload: Upload) -> tuple[str, str, str]:
    problems = Problems()
    title = " ".join((upload.title or "").split())
    filename = _clean_name(upload.filename)
    if len(title) > MAX_TITLE:
        problems.add(_("At most %(n)d characters.", n=MAX_TITLE), "title")
    content_type = ""
    if not upload.data:
        problems.add(_("Please choose a file."), "file")
    elif len(upload.data) > MAX_BYTES:
        problems.add(_("A file is at most %(mb)d MB.", mb=MAX_BYTES // (1024 * 1024)), "file")
    elif _ending(filename) not in KINDS:
        problems.add(_("Please upload one of these kinds of file: %(kinds)s.", kinds=allowed_endings()), "file")
    else:
        content_type, signatures = KINDS[_ending(filename)]
        if not upload.data.startswith(signatures):
            problems.add(_("The file's content is not what its name says (.%(ending)s).", ending=_ending(filename)),
                         "file")
    if upload.session_id is not None and db.session.scalar(select(CourseSession.id).where(
            CourseSession.id == upload.session_id, CourseSession.class_id == training_class.id)) is None:
        problems.add(_("Please choose a session of this class."), "session_id")
    problems.raise_any()
    return title or filename.rsplit(".", 1)[0] or filename, filename, content_type


def add_material(training_class: TrainingClass, upload: Upload, *, actor) -> Material:
    """Keep an uploaded material. Raises PermissionDenied, InvalidInput (every problem)."""
    require(actor, MANAGE, class_scope(training_class))
    title, filename, content_type = _clean(training_class, upload)
    row = Material(class_id=training_class.id, session_id=upload.session_id, title=title[:MAX_TITLE],
                   filename=filename, content_type=content_type, size_bytes=len(upload.data),
                   sha256=hashlib.sha256(upload.data).hexdigest(), content=upload.data,
                   uploaded_by_id=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    audit.record("material.added", row, actor=actor, after=audit.snapshot(row, Material.AUDITED))
    return row


def delete_material(row: Material, *, actor) -> None:
    require(actor, MANAGE, class_scope(db.session.get(TrainingClass, row.class_id)))
    audit.record("material.deleted", row, actor=actor, before=audit.snapshot(row, Material.AUDITED))
    db.session.delete(row)
    db.session.flush()


def materials_of(training_class: TrainingClass) -> list[Material]:
    return list(db.session.scalars(select(Material).where(Material.class_id == training_class.id)
                                   .order_by(Material.uploaded_at.desc(), Material.id.desc())))


def may_read(training_class: TrainingClass, user) -> bool:
    """The class's organisers, and its trainees holding a place."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if has_permission(user, MANAGE, class_scope(training_class)):
        return True
    return db.session.scalar(select(Enrolment.id).where(
        Enrolment.class_id == training_class.id, Enrolment.person_id == user.person_id, Enrolment.is_active,
        Enrolment.status == EnrolmentStatus.ENROLLED)) is not None


def material_for(material_id, user) -> Material:
    """The material, for someone who may read it; NotFound for anyone else (no hint it exists)."""
    row = db.session.get(Material, material_id) if isinstance(material_id, int) else None
    if row is None:
        raise NotFound(_("No such material."))
    if not may_read(db.session.get(TrainingClass, row.class_id), user):
        raise PermissionDenied(_("Materials are for the class's trainees and organisers."))
    return row
