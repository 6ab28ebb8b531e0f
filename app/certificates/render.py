"""A certificate's PDF: the template's page and background, its fields where it places them,
and a QR code (app.core.documents.qr) that opens the public verification page.

Text is PDF text in a CJK TrueType font (app.core.documents.fonts), subset-embedded, so a
name with a rare character (䶮) prints from the font in the file, never from the reader's.
The document is rendered once, at issue, and kept: `invariant` makes the same input give
the same bytes (no creation time or random id in the file), which the tests rely on.
"""
from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.certificates.layout import Placement, page_size, placements
from app.core.documents import fonts
from app.core.documents.pdf import LEADING, draw_png
from app.core.documents.qr import qr_png
from app.core.documents.text import wrap

# Font keys a template may choose → (label, subfont of the CJK collection). The regular face
# is the one every document uses (core.documents.fonts); the others are its siblings.
FONT_CHOICES = {"hei": ("文泉驿正黑 / WenQuanYi Zen Hei", 0), "hei-mono": ("文泉驿等宽正黑 / Zen Hei Mono", 1)}
_registered: dict[str, str] = {}
_lock = threading.Lock()


def font_for(key: str) -> str:
    """The reportlab name of a template's font key (unknown keys: the regular face)."""
    base = fonts.font_name()
    label_index = FONT_CHOICES.get(key)
    if label_index is None or label_index[1] == 0 or base != fonts.TRUETYPE_FONT:
        return base
    with _lock:
        if key not in _registered:
            path = next(p for p in fonts.CJK_FONT_PATHS if os.path.exists(p))
            name = f"{fonts.TRUETYPE_FONT}-{key}"
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=label_index[1]))
            _registered[key] = name
    return _registered[key]


@dataclass(frozen=True)
class Printable:
    """Everything a certificate prints, already in words."""

    title: str
    holder_name: str
    holder_id: str
    statement: str
    facts: list = field(default_factory=list)       # [(label, value), …]
    issuer: str = ""
    issued_on: str = ""
    serial: str = ""
    verify_url: str = ""

    def text_of(self, key: str) -> list[str]:
        """The lines a text field prints."""
        if key == "facts":
            return [f"{label}：{value}" for label, value in self.facts]
        if key == "issued_on":
            return [f"发证日期 / Date of issue：{self.issued_on}"] if self.issued_on else []
        if key == "serial":
            return [f"证书编号 / No.：{self.serial}"] if self.serial else []
        if key == "holder_id":
            return [f"证件号码 / ID：{self.holder_id}"] if self.holder_id else []
        value = getattr(self, key, "")
        return [value] if value else []

    def all_text(self) -> str:
        """Every character printed in the CJK font (for the glyph check before issuing)."""
        keys = ("title", "holder_name", "holder_id", "statement", "facts", "issuer", "issued_on", "serial")
        return "".join("".join(self.text_of(key)) for key in keys)


@dataclass(frozen=True)
class Look:
    """What the template says about the page."""

    size: str
    orientation: str
    fields: list
    background: bytes | None = None


def _draw_text(canvas: Canvas, placement: Placement, lines: list[str], width: float) -> None:
    font = font_for(placement.font)
    canvas.setFont(font, placement.size)
    x, y = placement.x_mm * mm, placement.y_mm * mm
    if placement.align == "centre":
        room = 2 * min(x, width - x)
    elif placement.align == "right":
        room = x
    else:
        room = width - x
    room = max(room - 10 * mm, placement.size * 2)
    draw = {"centre": canvas.drawCentredString, "right": canvas.drawRightString}.get(placement.align,
                                                                                   canvas.drawString)
    for text in lines:
        for line in wrap(text, font, placement.size, room):
            draw(x, y, line)
            y -= placement.size * LEADING


def draw(canvas: Canvas, look: Look, printable: Printable) -> None:
    """Draw one certificate on the canvas's current page (its size set by the caller)."""
    width, height = page_size(look.size, look.orientation)
    if look.background:
        canvas.drawImage(ImageReader(io.BytesIO(look.background)), 0, 0, width, height)
    for placement in placements(look.fields, look.size, look.orientation):
        if not placement.shown:
            continue
        if placement.key == "qr":
            if printable.verify_url:
                draw_png(canvas, qr_png(printable.verify_url), placement.x_mm * mm, placement.y_mm * mm,
                         placement.size * mm)
            continue
        _draw_text(canvas, placement, printable.text_of(placement.key), width)


def certificate_pdf(look: Look, printable: Printable, *, title: str) -> bytes:
    """One certificate as a one-page PDF, the same bytes for the same input."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page_size(look.size, look.orientation), pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("Jiyi")
    draw(canvas, look, printable)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
