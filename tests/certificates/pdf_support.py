"""Reading back what a certificate's PDF embeds: the subset fonts, each with the characters it
maps (ToUnicode) and whether its own glyph table draws them. Enough of PDF for reportlab's
output (objects `N 0 obj … endobj`, Flate streams), not a general parser."""
from __future__ import annotations

import io
import re
import zlib

from reportlab.pdfbase.ttfonts import TTFontFile

_OBJECT = re.compile(rb"(?:^|[\r\n])(\d+) 0 obj")
_REF = rb"/%s (\d+) 0 R"


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number → (its dictionary, its stream's raw bytes or None); streams are cut by
    their /Length, since a font's bytes may hold anything, "endobj" included."""
    objects, position = {}, 0
    while (found := _OBJECT.search(pdf, position)) is not None:
        start = found.end()
        stream_at, end_at = pdf.find(b"stream", start), pdf.find(b"endobj", start)
        if stream_at != -1 and stream_at < end_at:
            head = pdf[start:stream_at]
            length = int(re.search(rb"/Length (\d+)", head).group(1))
            data_at = stream_at + len(b"stream") + (2 if pdf[stream_at + 6:stream_at + 8] == b"\r\n" else 1)
            objects[int(found.group(1))] = (head, pdf[data_at:data_at + length])
            position = data_at + length
        else:
            objects[int(found.group(1))] = (pdf[start:end_at], None)
            position = end_at
    return objects


def _stream(item: tuple[bytes, bytes | None]) -> bytes:
    head, data = item
    return zlib.decompress(data) if b"/FlateDecode" in head else data


def _ref(body: bytes, name: bytes) -> int | None:
    found = re.search(_REF % name, body)
    return int(found.group(1)) if found else None


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """Codes → characters of a ToUnicode CMap (bfchar pairs and bfrange runs)."""
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = ord(bytes.fromhex(start.decode()).decode("utf-16-be"))
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def drawable_characters(pdf: bytes) -> set[str]:
    """Every character some embedded TrueType subset both maps and has a real glyph for."""
    objects = _objects(pdf)
    drawable: set[str] = set()
    for body, _data in objects.values():
        to_unicode, descriptor = _ref(body, b"ToUnicode"), _ref(body, b"FontDescriptor")
        if to_unicode is None or descriptor is None:
            continue
        font_file = _ref(objects[descriptor][0], b"FontFile2")
        if font_file is None:
            continue  # not embedded
        face = TTFontFile(io.BytesIO(_stream(objects[font_file])), validate=0)
        lengths = face.glyphPos
        for code, char in _to_unicode(_stream(objects[to_unicode])).items():
            glyph = face.charToGlyph.get(code) or face.charToGlyph.get(0xF000 + code)
            if glyph and glyph + 1 < len(lengths) and lengths[glyph + 1] > lengths[glyph]:
                drawable.add(char)
    return drawable
