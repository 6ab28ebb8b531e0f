"""The CJK font of every PDF: a TrueType font reportlab can subset and embed, registered once.

reportlab cannot embed CFF/OTF fonts (such as Noto CJK), so the font is WenQuanYi Zen Hei
(Debian/Ubuntu: fonts-wqy-zenhei; the other paths are Fedora's and Arch's). Without it the
documents fall back to reportlab's built-in CID font, which is not embedded: the reader's
PDF viewer must supply it, so a warning says what to install.
"""
from __future__ import annotations

import logging
import os
import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

CJK_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/TTF/wqy-zenhei.ttc",
)
TRUETYPE_FONT = "WenQuanYi"
FALLBACK_FONT = "STSong-Light"   # reportlab's built-in CID font: not embedded, the reader supplies it

_font_name: str | None = None
_font_lock = threading.Lock()


def _register_font() -> str:
    for path in CJK_FONT_PATHS:
        if os.path.exists(path):
            pdfmetrics.registerFont(TTFont(TRUETYPE_FONT, path, subfontIndex=0))
            return TRUETYPE_FONT
    log.warning("no TrueType CJK font found (looked in %s); documents use %s, which is not "
                "embedded: install fonts-wqy-zenhei", ", ".join(CJK_FONT_PATHS), FALLBACK_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def font_name() -> str:
    """The name of the CJK font to draw with, registered with reportlab once per process."""
    global _font_name
    if _font_name is None:
        with _font_lock:
            if _font_name is None:
                _font_name = _register_font()
    return _font_name


def missing_glyphs(text: str) -> set[str]:
    """The characters of `text` (spaces aside) the embedded font has no glyph for, which a
    page would print as empty boxes (a rare character in a name, say). Always empty with the
    fallback CID font: its glyphs come from the reader's viewer and cannot be checked here."""
    font = pdfmetrics.getFont(font_name())
    glyphs = getattr(getattr(font, "face", None), "charToGlyph", None)
    if glyphs is None:
        return set()
    return {char for char in text if not char.isspace() and ord(char) not in glyphs}
