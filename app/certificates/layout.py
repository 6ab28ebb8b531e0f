"""Where each printed field of a certificate sits: pure values, no Flask, no database.

A template's layout is a list of placements, one per field it prints. Positions are in
millimetres from the page's lower left corner (as reportlab draws), sizes in points (the QR
code's in millimetres: its side). A template that leaves a field out does not print it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from reportlab.lib.pagesizes import A4, A5, landscape, portrait
from reportlab.lib.units import mm

PAGE_SIZES = {"A4": A4, "A5": A5}
ORIENTATIONS = {"landscape": landscape, "portrait": portrait}
ALIGNMENTS = ("centre", "left", "right")
# The printed fields, in the order the template page lists them.
FIELD_KEYS = ("title", "holder_name", "holder_id", "statement", "facts", "issuer", "issued_on", "serial", "qr")
FONT_SIZES = (6, 96)          # points, inclusive
QR_SIZES = (15, 80)           # millimetres, inclusive: smaller does not scan from a phone at arm's length


@dataclass(frozen=True)
class Placement:
    """One printed field: `key` (FIELD_KEYS), lower-left-based position in mm, font key, size
    (points; the QR code: its side in mm), alignment of text on x."""

    key: str
    x_mm: float
    y_mm: float
    size: float
    font: str = "hei"
    align: str = "centre"
    shown: bool = True

    def as_dict(self) -> dict:
        return asdict(self)


def page_size(size: str, orientation: str) -> tuple[float, float]:
    """Width and height in points; unknown names are A4 and landscape."""
    return ORIENTATIONS.get(orientation, landscape)(PAGE_SIZES.get(size, A4))


def page_mm(size: str, orientation: str) -> tuple[float, float]:
    width, height = page_size(size, orientation)
    return round(width / mm, 1), round(height / mm, 1)


def default_layout(size: str = "A4", orientation: str = "landscape") -> list[Placement]:
    """A plain, centred layout that reads well on the page chosen, with room for a border."""
    width, height = page_mm(size, orientation)
    scale = min(width, height) / 210
    centre = round(width / 2, 1)

    def at(key, x, y, points, align="centre"):
        return Placement(key, round(x, 1), round(y, 1), round(points * scale, 1), "hei", align)

    return [at("title", centre, height * 0.78, 36), at("holder_name", centre, height * 0.63, 28),
            at("holder_id", centre, height * 0.575, 12), at("statement", centre, height * 0.48, 16),
            at("facts", centre, height * 0.40, 12), at("issuer", width * 0.72, height * 0.17, 13),
            at("issued_on", width * 0.72, height * 0.12, 11), at("serial", 20, height * 0.06, 9, "left"),
            Placement("qr", 20, round(height * 0.10, 1), round(min(QR_SIZES[1], max(QR_SIZES[0], 28 * scale)), 1),
                      "hei", "left")]


def placements(stored: list | None, size: str, orientation: str) -> list[Placement]:
    """The stored layout as placements, every key once in FIELD_KEYS order; what is missing or
    unreadable comes from the default layout (an old template keeps printing)."""
    by_key = {p.key: p for p in default_layout(size, orientation)}
    for item in stored or ():
        try:
            placement = Placement(**item)
        except TypeError:
            continue
        if placement.key in by_key:
            by_key[placement.key] = placement
    return [by_key[key] for key in FIELD_KEYS]


def problems(placement: Placement, size: str, orientation: str, fonts: tuple[str, ...]) -> list[tuple[str, str]]:
    """What is wrong with one placement, as (attribute, reason code) pairs: "outside" (not on
    the page), "size" (beyond FONT_SIZES or QR_SIZES), "font", "align"."""
    width, height = page_mm(size, orientation)
    found = []
    if not 0 <= placement.x_mm <= width:
        found.append(("x_mm", "outside"))
    if not 0 <= placement.y_mm <= height:
        found.append(("y_mm", "outside"))
    low, high = QR_SIZES if placement.key == "qr" else FONT_SIZES
    if not low <= placement.size <= high:
        found.append(("size", "size"))
    elif placement.key == "qr" and (placement.x_mm + placement.size > width or placement.y_mm + placement.size > height):
        found.append(("size", "outside"))
    if placement.font not in fonts:
        found.append(("font", "font"))
    if placement.align not in ALIGNMENTS:
        found.append(("align", "align"))
    return found
