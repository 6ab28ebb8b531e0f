"""A4 pages for printed documents: one PDF of a page per item, centred wrapped text, images.

Text is drawn as PDF text (searchable, copyable) in the CJK font of `fonts`, subset-embedded
(≈ 0.7 ms a page, see BENCH.md). A feature draws its own page on a reportlab canvas and
uses these for what every page does the same way.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import TypeVar

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.core.documents.text import wrap

Item = TypeVar("Item")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
GREY = Color(0.35, 0.35, 0.35)    # secondary text: the English under a Chinese label
LIGHT = Color(0.6, 0.6, 0.6)      # rules and boxes
LEADING = 1.35                     # baseline to baseline, in font sizes


def pages_pdf(items: Iterable[Item], draw_page: Callable[[Canvas, Item], None], *, title: str) -> bytes:
    """One A4 PDF with a page per item, in the order given, each drawn by `draw_page(canvas, item)`."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("Jiyi")
    for item in items:
        draw_page(canvas, item)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def centred(canvas: Canvas, text: str, y: float, font: str, size: float, width: float,
            *, centre_x: float = PAGE_WIDTH / 2) -> float:
    """Draw `text` centred on `centre_x` and wrapped to `width`, from baseline `y` down;
    returns the next free baseline."""
    canvas.setFont(font, size)
    for line in wrap(text, font, size, width):
        canvas.drawCentredString(centre_x, y, line)
        y -= size * LEADING
    return y


def draw_png(canvas: Canvas, png: bytes, x: float, y: float, size: float) -> None:
    """Draw a square PNG (a QR code) with its lower left corner at (x, y), `size` points wide."""
    canvas.drawImage(ImageReader(io.BytesIO(png)), x, y, size, size)
