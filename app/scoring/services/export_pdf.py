"""The ranking (成绩排名) and each judge's score sheet (评分表) as PDF, from what
services.exports reads — live results or a published version alike.

Pages are drawn straight on a reportlab canvas (a fixed row height, text cut to its column
with "…"), which keeps a field of 2,000 contestants to a fraction of a second; the text is
PDF text in the CJK font of app.core.documents. Every page repeats its heading and the table's
header row, and says at its foot which results these are (live or the published version, the
inputs' hash) and its number. The ranking ends with signature lines for the chief judge and
the supervisor; each judge's sheet starts on a new page, shows the scheme's aspects in bands
that fit the page's width, and ends with the judge's and the chief judge's signature lines.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.core.documents.fonts import font_name
from app.core.documents.pdf import GREY, LIGHT, MARGIN
from app.core.documents.text import wrap
from app.scoring.services.exports import JudgeSheets, ResultsFile, lines_of

ROW = 6.5 * mm
HEADER_ROW = 8 * mm
SIZE = 8.5
SMALL = 7
FOOT = 12 * mm        # the footer's band at the bottom
SIGNATURES = 34 * mm  # the height the signature block needs
ASPECT_COLUMN = 20 * mm


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "left"     # left, right or centre


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut to `width` points, with "…" when it was longer."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def figure(value: Decimal | str | None) -> str:
    return "" if value is None else str(value)


class Pages:
    """A canvas that turns its own pages: the heading on each, a table's header row again after
    a turn, the footer and the page number."""

    def __init__(self, pagesize, title: str, footer: str):
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=pagesize, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setCreator("Jiyi")
        self.width, self.height = pagesize
        self.font = font_name()
        self.footer = footer
        self.heading: list[tuple[str, float]] = []
        self.page = 0
        self.y = 0.0
        self.open = False

    def new_page(self) -> None:
        if self.open:
            self._foot()
            self.canvas.showPage()
        self.page += 1
        self.open = True
        self.y = self.height - MARGIN
        for text, size in self.heading:
            if size > SIZE:
                self.canvas.setFillColorRGB(0, 0, 0)
            else:
                self.canvas.setFillColor(GREY)
            for line in wrap(text, self.font, size, self.width - 2 * MARGIN):
                self.canvas.setFont(self.font, size)
                self.canvas.drawString(MARGIN, self.y - size, line)
                self.y -= size * 1.45
        self.canvas.setFillColorRGB(0, 0, 0)
        self.y -= 3 * mm

    def _foot(self) -> None:
        self.canvas.setFont(self.font, SMALL)
        self.canvas.setFillColor(GREY)
        self.canvas.drawString(MARGIN, MARGIN / 2, fit(self.footer, self.font, SMALL, self.width - 2 * MARGIN - 30 * mm))
        self.canvas.drawRightString(self.width - MARGIN, MARGIN / 2, f"第 {self.page} 页 / page {self.page}")
        self.canvas.setFillColorRGB(0, 0, 0)

    def room(self, height: float) -> bool:
        return self.y - height >= MARGIN / 2 + FOOT

    def text(self, text: str, size: float = SIZE, gap: float = 1.5 * mm) -> None:
        for line in wrap(text, self.font, size, self.width - 2 * MARGIN):
            if not self.room(size * 1.5):
                self.new_page()
            self.canvas.setFont(self.font, size)
            self.canvas.drawString(MARGIN, self.y - size, line)
            self.y -= size * 1.45
        self.y -= gap

    def table(self, columns: list[Column], rows, header_lines: int = 1) -> None:
        """Rows of cell texts; a row may be (cells, span): its cells from `span` on are one cell."""
        header_height = HEADER_ROW + (header_lines - 1) * SMALL * 1.3
        if not self.room(header_height + ROW):
            self.new_page()
        self._header(columns, header_height, header_lines)
        for row in rows:
            cells, span = row if isinstance(row, tuple) else (row, None)
            if not self.room(ROW):
                self.new_page()
                self._header(columns, header_height, header_lines)
            self._row(columns, cells, span)
        self.y -= 4 * mm

    def _header(self, columns: list[Column], height: float, lines: int) -> None:
        canvas, x = self.canvas, MARGIN
        canvas.setStrokeColor(LIGHT)
        canvas.setFillColorRGB(0.93, 0.93, 0.93)
        canvas.rect(MARGIN, self.y - height, sum(c.width for c in columns), height, stroke=1, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        for column in columns:
            parts = column.title.split("\n")
            texts = wrap(parts[0], self.font, SMALL, column.width - 2 * mm)[:lines - len(parts) + 1] + parts[1:]
            y = self.y - 2.2 * mm - SMALL
            for text in texts:
                canvas.setFont(self.font, SMALL)
                self._cell_text(fit(text, self.font, SMALL, column.width - 2 * mm), x, y, column)
                y -= SMALL * 1.3
            x += column.width
        self.y -= height

    def _row(self, columns: list[Column], cells: list[str], span: int | None) -> None:
        canvas, x = self.canvas, MARGIN
        canvas.setStrokeColor(LIGHT)
        canvas.line(MARGIN, self.y - ROW, MARGIN + sum(c.width for c in columns), self.y - ROW)
        canvas.setFont(self.font, SIZE)
        baseline = self.y - ROW + 2 * mm
        for index, column in enumerate(columns):
            if span is not None and index >= span:
                width = sum(c.width for c in columns[span:])
                canvas.setFillColor(GREY)
                canvas.drawString(x + 1 * mm, baseline, fit(cells[span], self.font, SIZE, width - 2 * mm))
                canvas.setFillColorRGB(0, 0, 0)
                break
            text = fit(cells[index] if index < len(cells) else "", self.font, SIZE, column.width - 2 * mm)
            self._cell_text(text, x, baseline, column)
            x += column.width
        self.y -= ROW

    def _cell_text(self, text: str, x: float, y: float, column: Column) -> None:
        if column.align == "right":
            self.canvas.drawRightString(x + column.width - 1 * mm, y, text)
        elif column.align == "centre":
            self.canvas.drawCentredString(x + column.width / 2, y, text)
        else:
            self.canvas.drawString(x + 1 * mm, y, text)

    def signatures(self, lines: list[tuple[str, str]], statement: str | None = None) -> None:
        """Signature lines, (Chinese, English) each, with a date line beside."""
        if not self.room(SIGNATURES):
            self.new_page()
        self.y -= 4 * mm
        if statement:
            self.text(statement, SIZE, 3 * mm)
        canvas = self.canvas
        for zh, en in lines:
            self.y -= 9 * mm
            canvas.setFont(self.font, SIZE)
            canvas.drawString(MARGIN, self.y, f"{zh} / {en}：")
            start = MARGIN + 48 * mm
            canvas.setStrokeColorRGB(0, 0, 0)
            canvas.line(start, self.y - 1 * mm, start + 60 * mm, self.y - 1 * mm)
            canvas.drawString(start + 66 * mm, self.y, "日期 / Date：")
            canvas.line(start + 88 * mm, self.y - 1 * mm, start + 120 * mm, self.y - 1 * mm)

    def done(self) -> bytes:
        if not self.open:
            self.new_page()
        self._foot()
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def _footer(source: str, version: int, hash_text: str | None = None) -> str:
    parts = [source, f"方案第 {version} 版"]
    if hash_text:
        parts.append(f"输入摘要 {hash_text[:16]}")
    return " · ".join(parts)


# ---- the ranking -------------------------------------------------------------------------------------------------

def ranking_pdf(found: ResultsFile) -> bytes:
    """The field in order: place, number, name, unit, each component, total (standardised
    score, award when the scheme has them); the unranked after, with why; signature lines."""
    columns, lines = lines_of(found)
    figures = [Column(name, 16 * mm, "right") for _key, name in columns.components] + [Column("总分", 17 * mm, "right")]
    figures += [Column("标准分", 17 * mm, "right")] * columns.standardised
    figures += [Column("奖项", 18 * mm)] * columns.awards
    fixed = [Column("名次", 17 * mm, "centre"), Column("编号", 24 * mm), Column("姓名", 24 * mm)]
    used = sum(c.width for c in fixed + figures)
    pagesize = A4 if used + 30 * mm <= A4[0] - 2 * MARGIN else landscape(A4)
    unit = Column("单位", max(30 * mm, pagesize[0] - 2 * MARGIN - used))
    table = fixed + [unit] + figures
    if sum(c.width for c in table) > pagesize[0] - 2 * MARGIN:   # very many components: narrower figures
        share = (pagesize[0] - 2 * MARGIN - sum(c.width for c in fixed) - 30 * mm) / len(figures)
        table = fixed + [Column("单位", 30 * mm)] + [Column(c.title, share, c.align) for c in figures]
    pages = Pages(pagesize, f"成绩排名 / Ranking · {found.event}", _footer(found.source, found.version, found.inputs_hash))
    pages.heading = [(f"成绩排名 / Ranking　{found.event}", 14), (f"{found.scheme} · {found.source} · {found.when}", SIZE)]
    pages.new_page()
    rows = []
    for line in lines:
        cells = [line.place_text, line.number, line.name, line.unit, *map(figure, line.components), figure(line.total)]
        cells += [figure(line.standardised)] * columns.standardised + [line.award or ""] * columns.awards
        if line.place is None:   # the unranked: why, across the figures
            cells[4] = line.note
        rows.append((cells, 4) if line.place is None else cells)
    if not rows:
        rows = [(["", "", "", "尚无成绩 / no results yet"], 3)]
    pages.table(table, rows)
    if found.snapshot is None:
        pages.text("实时成绩，未发布：仅供核对，不作为正式成绩。/ Live results, not published: for checking only.", SIZE)
    pages.signatures([("裁判长", "Chief judge"), ("监督仲裁", "Supervisor")])
    return pages.done()


# ---- each judge's score sheet ----------------------------------------------------------------------------------------

def _bands(columns: list, room: float, width: float) -> list[list]:
    per_band = max(1, int(room // width))
    return [columns[i:i + per_band] for i in range(0, len(columns), per_band)] or [[]]


def judge_sheets_pdf(found: JudgeSheets) -> bytes:
    """Each judge's marks on its own pages: a row per contestant they may see, the aspects in
    bands across, then the judge's and the chief judge's signature lines."""
    pagesize = landscape(A4)
    pages = Pages(pagesize, f"评分表 / Score sheets · {found.event}", _footer(found.source, found.version))
    left = [Column("编号", 30 * mm)] + ([] if found.blind else [Column("姓名", 28 * mm)])
    room = pagesize[0] - 2 * MARGIN - sum(c.width for c in left)
    width = ASPECT_COLUMN
    bands = _bands(found.columns, room, width)
    if not found.sheets:
        pages.heading = [(f"评分表 / Score sheets　{found.event}", 14), (f"{found.scheme} · {found.source}", SIZE)]
        pages.new_page()
        pages.text("尚无评分表 / No score sheets yet.")
        return pages.done()
    for sheet in found.sheets:
        pages.heading = [(f"评分表 / Score sheet　{found.event}", 14),
                         (f"{found.scheme} · 方案第 {found.version} 版 · {found.source} · {found.when}", SIZE),
                         (f"裁判 / Judge：{sheet.judge}　评审组 / Panel：{sheet.panel}　状态 / Status：{sheet.status}", SIZE)]
        pages.new_page()
        for number, band in enumerate(bands, 1):
            if len(bands) > 1:
                pages.text(f"评分项第 {number} 组，共 {len(bands)} 组 / aspects, part {number} of {len(bands)}", SMALL)
            table = left + [Column(f"{name}\n满分 {maximum}", width, "right") for _id, _n, name, maximum in band]
            rows = [[number_text, *([] if found.blind else [name or ""]),
                     *[sheet.values.get((registration_id, aspect_id, attempt), "") for aspect_id, attempt, _a, _m in band]]
                    for registration_id, number_text, name in sheet.contestants]
            if not rows:
                rows = [(["尚无选手 / no contestants"], 0)]
            pages.table(table, rows, header_lines=3)
        pages.signatures([("评分裁判", "Judge"), ("裁判长", "Chief judge")],
                         "本人确认以上评分为本人所评，准确无误。/ I confirm that these are my marks and that they are correct.")
    return pages.done()
