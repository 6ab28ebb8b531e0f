"""Certificate templates: their page, fields and background, and a preview with sample data.

A template can be changed at any time: certificates already issued keep the PDF they were
issued with (services/issuing.py), so a change only affects what is issued next. A template
is archived, never deleted, once certificates name it.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from app.certificates.labels import PRINTED_TITLES
from app.certificates.layout import (FIELD_KEYS, FONT_SIZES, ORIENTATIONS, PAGE_SIZES, QR_SIZES, Placement,
                                     default_layout, placements)
from app.certificates.layout import problems as placement_problems
from app.certificates.models import CertificateTemplate, Kind
from app.certificates.render import FONT_CHOICES, certificate_pdf
from app.certificates.services.issuing import look_of, printable
from app.core import audit
from app.core.documents.fonts import missing_glyphs
from app.core.errors import InvalidInput, Problems
from app.core.time import local_today
from app.extensions import db

MAX_BACKGROUND_BYTES = 5 * 1024 * 1024
MAX_BACKGROUND_PIXELS = 8000
BACKGROUND_FORMATS = {"PNG", "JPEG"}


@dataclass
class TemplateFields:
    name: str | None
    kind: str | None
    page_size: str | None
    orientation: str | None
    title: str | None
    issuer: str | None
    fields: list[Placement] | None = field(default=None)   # None: the default layout for the page


def check(data: TemplateFields) -> None:
    """Every problem with a template's fields at once; raises InvalidInput naming each field
    (a placement's as `<key>_<attribute>`, e.g. `qr_size`)."""
    problems = Problems()
    for name, limit in (("name", 100), ("title", 100), ("issuer", 200)):
        value = (getattr(data, name) or "").strip()
        if not value:
            problems.add(_("Please fill this in."), name)
        elif len(value) > limit:
            problems.add(_("At most %(n)s characters.", n=limit), name)
        elif name != "name" and missing_glyphs(value):
            problems.add(_("The font cannot print %(chars)s.", chars="、".join(sorted(missing_glyphs(value)))), name)
    if data.kind not in {kind.value for kind in Kind}:
        problems.add(_("Please choose the kind."), "kind")
    if data.page_size not in PAGE_SIZES:
        problems.add(_("Please choose the page size."), "page_size")
    if data.orientation not in ORIENTATIONS:
        problems.add(_("Please choose the orientation."), "orientation")
    if data.fields is not None and data.page_size in PAGE_SIZES and data.orientation in ORIENTATIONS:
        messages = {"outside": _("This is off the page."),
                    "size": _("Between %(low)s and %(high)s.", low=FONT_SIZES[0], high=FONT_SIZES[1]),
                    "qr": _("Between %(low)s and %(high)s mm.", low=QR_SIZES[0], high=QR_SIZES[1]),
                    "font": _("Please choose a font."), "align": _("Please choose the alignment.")}
        for placement in data.fields:
            for attribute, reason in placement_problems(placement, data.page_size, data.orientation,
                                                        tuple(FONT_CHOICES)):
                key = "qr" if reason == "size" and placement.key == "qr" else reason
                problems.add(messages[key], f"{placement.key}_{attribute}")
    problems.raise_any()


def _fields_of(data: TemplateFields) -> list[dict]:
    chosen = data.fields if data.fields is not None else default_layout(data.page_size, data.orientation)
    return [p.as_dict() for p in chosen if p.key in FIELD_KEYS]


def default_fields(kind: str | None) -> dict:
    """What the form for a new template of `kind` starts with."""
    kind = kind if kind in {k.value for k in Kind} else Kind.AWARD.value
    return {"kind": kind, "page_size": "A4", "orientation": "landscape", "title": PRINTED_TITLES[Kind(kind)],
            "issuer": "中国职工技术协会"}


def create(data: TemplateFields, *, actor) -> CertificateTemplate:
    """A new template (default layout for its page); raises InvalidInput."""
    check(data)
    template = CertificateTemplate(name=data.name.strip(), kind=Kind(data.kind), page_size=data.page_size,
                                   orientation=data.orientation, title=data.title.strip(), issuer=data.issuer.strip(),
                                   fields=_fields_of(data), has_background=False)
    db.session.add(template)
    audit.record("certificates.template_created", template, actor=actor, after={"name": template.name})
    return template


def update(template: CertificateTemplate, data: TemplateFields, *, actor) -> CertificateTemplate:
    """Change a template; a new page size or orientation without new placements resets the
    layout to that page's default. Raises InvalidInput."""
    check(data)
    page_changed = (data.page_size, data.orientation) != (template.page_size, template.orientation)
    if data.fields is None and not page_changed:
        data.fields = placements(template.fields, template.page_size, template.orientation)
    before = {"name": template.name, "title": template.title, "issuer": template.issuer}
    template.name, template.kind = data.name.strip(), Kind(data.kind)
    template.page_size, template.orientation = data.page_size, data.orientation
    template.title, template.issuer = data.title.strip(), data.issuer.strip()
    template.fields = _fields_of(data)
    audit.record("certificates.template_changed", template, actor=actor, before=before,
                 after={"name": template.name, "title": template.title, "issuer": template.issuer})
    return template


def check_background(data: bytes) -> tuple[str, int, int]:
    """(format, width, height) of an acceptable background image; raises InvalidInput for
    anything that is not a PNG or JPEG of sensible size."""
    bad = InvalidInput(_("Please upload a PNG or JPEG image of at most 5 MB and %(px)s pixels a side.",
                         px=MAX_BACKGROUND_PIXELS), "file")
    if not data or len(data) > MAX_BACKGROUND_BYTES:
        raise bad
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format, (width, height) = image.format, image.size
            if image_format not in BACKGROUND_FORMATS or max(width, height) > MAX_BACKGROUND_PIXELS:
                raise bad
            image.load()  # a truncated or corrupt file fails here, not in the PDF later
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise bad from None
    return image_format, width, height


def set_background(template: CertificateTemplate, data: bytes | None, *, actor) -> None:
    """Store (or, with None, remove) the background image; raises InvalidInput for a bad image."""
    if data is not None:
        check_background(data)
    template.background = data
    template.has_background = data is not None
    audit.record("certificates.template_background", template, actor=actor,
                 after={"background": "yes" if data is not None else "no"})


SAMPLE_FACTS = {
    Kind.AWARD: [("赛项 / Event", "网络安全管理员"), ("奖项 / Award", "一等奖 / First prize")],
    Kind.COMPLETION: [("培训班 / Class", "高级电工培训班"), ("学时 / Hours", "48"), ("结果 / Result", "合格 / Passed")],
    Kind.JUDGE: [("等级 / Level", "国家级"), ("有效期 / Valid", "2026-01-01 – 2029-12-31")],
    Kind.PARTICIPATION: [("赛项 / Event", "网络安全管理员"), ("时间 / When", "2026-06-10")],
}


def preview_pdf(template: CertificateTemplate) -> bytes:
    """The template with sample data (a rare character in the name, a sample QR code)."""
    sample = printable(template, holder_name="王䶮明", holder_id="110***********1234",
                       subject="2026年全国职工职业技能大赛 / National Workers' Skills Competition 2026",
                       facts=SAMPLE_FACTS[template.kind], issued_on=local_today(), serial="2026-AW-000001",
                       code="SAMPLE-ONLY-NOT-A-CERTIFICATE")
    return certificate_pdf(look_of(template), sample, title=f"{template.name} (preview)")


def preview_png(template: CertificateTemplate, dpi: int = 60) -> bytes | None:
    """The preview as a PNG picture (for the template page, phones included), rasterised by
    pdftoppm (poppler-utils); None when that tool is not installed or fails."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "preview.pdf"
        source.write_bytes(preview_pdf(template))
        try:
            subprocess.run([tool, "-r", str(dpi), "-png", "-singlefile", str(source), str(Path(folder) / "page")],
                           check=True, capture_output=True, timeout=30)
            return (Path(folder) / "page.png").read_bytes()
        except (subprocess.SubprocessError, OSError):
            return None


def listing(kind: Kind | None = None, *, include_archived: bool = False) -> list[CertificateTemplate]:
    query = select(CertificateTemplate).order_by(CertificateTemplate.kind, CertificateTemplate.name)
    if kind is not None:
        query = query.where(CertificateTemplate.kind == kind)
    if not include_archived:
        query = query.where(CertificateTemplate.is_archived.is_(False))
    return list(db.session.scalars(query))

