"""Wrapping text to a width in a PDF font: Chinese breaks between any two characters,
Latin text at spaces (a word longer than the line is broken where it must)."""
from __future__ import annotations

from reportlab.pdfbase import pdfmetrics


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width` points in `font` at `size`; one line (never
    none) for text that fits, and a single character wider than `width` on a line of its own."""
    def fits(candidate: str) -> bool:
        return pdfmetrics.stringWidth(candidate, font, size) <= width

    if fits(text):
        return [text]  # nearly always: measuring character by character is the slow path
    lines: list[str] = []
    line = ""
    for char in text:
        if not line or fits(line + char):
            line += char
            continue
        cut = line.rfind(" ")
        head, tail = line[:cut].rstrip(), line[cut + 1:] + char
        if cut > 0 and char != " " and head and fits(tail):
            lines.append(head)  # carry the unfinished Latin word to the next line
            line = tail
        else:
            lines.append(line.rstrip())
            line = char.lstrip()
    if line:
        lines.append(line)
    return lines
