"""Timetables as printable A4 PDFs (CJK): a competition's, an event's, a room's, a person's.

The text flows down the page and onto the next; each page repeats the title in small print.
Like the admission ticket, a printed timetable is one bilingual document whatever the
reader's language, so its labels are written here in both languages. It shows exactly what
the reader's page shows (app.competitions.services.timetables decides who sees names).
"""
from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.competitions.services.calendar_feeds import ROLE_WORDS
from app.competitions.services.timetables import Day, Kind, Slot, Timetable
from app.core.documents.fonts import font_name
from app.core.documents.pdf import GREY, LEADING, LIGHT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from app.core.documents.text import wrap

WEEKDAYS = "一二三四五六日"
WIDTH = PAGE_WIDTH - 2 * MARGIN


class _Flow:
    """Lines drawn from the top of the page down, a new page when one is full."""

    def __init__(self, title: str):
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setCreator("Jiyi")
        self.font = font_name()
        self.title = title
        self.page = 1
        self.y = PAGE_HEIGHT - MARGIN

    def _new_page(self) -> None:
        self.canvas.showPage()
        self.page += 1
        self.y = PAGE_HEIGHT - MARGIN
        self.text(f"{self.title}（续 / continued, {self.page}）", 8, colour=GREY)
        self.y -= 2 * mm

    def room_for(self, height: float) -> None:
        if self.y - height < MARGIN:
            self._new_page()

    def text(self, text: str, size: float, *, colour=None, indent: float = 0, width: float = WIDTH) -> None:
        for line in wrap(text, self.font, size, width - indent):
            self.room_for(size * LEADING)
            self.canvas.setFillColor(colour) if colour is not None else self.canvas.setFillColorRGB(0, 0, 0)
            self.canvas.setFont(self.font, size)
            self.canvas.drawString(MARGIN + indent, self.y - size, line)
            self.y -= size * LEADING

    def columns(self, cells: list[str], size: float, *, count: int = 2, indent: float = 0) -> None:
        """Short cells side by side, `count` to a line, each cut to its column's width."""
        column = (WIDTH - indent) / count
        for start in range(0, len(cells), count):
            self.room_for(size * LEADING)
            self.canvas.setFillColorRGB(0, 0, 0)
            self.canvas.setFont(self.font, size)
            for i, cell in enumerate(cells[start:start + count]):
                self.canvas.drawString(MARGIN + indent + i * column, self.y - size,
                                       wrap(cell, self.font, size, column - 2 * mm)[0] if cell else "")
            self.y -= size * LEADING

    def rule(self) -> None:
        self.room_for(3 * mm)
        self.canvas.setStrokeColor(LIGHT)
        self.canvas.line(MARGIN, self.y - 1 * mm, PAGE_WIDTH - MARGIN, self.y - 1 * mm)
        self.y -= 3 * mm

    def gap(self, height: float) -> None:
        self.y -= height

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def _day_heading(flow: _Flow, day: Day) -> None:
    flow.gap(2 * mm)
    flow.room_for(30 * mm)  # a day's heading never ends a page alone
    flow.text(f"{day.day.isoformat()} 星期{WEEKDAYS[day.day.weekday()]}", 13)
    flow.rule()


def _slot(flow: _Flow, slot: Slot) -> None:
    flow.room_for(18 * mm)
    what = f"{slot.event_name}" + (f" · {slot.stage_name}" if slot.stage_name else "") + f" · {slot.name}"
    flow.text(f"{slot.starts_at:%H:%M}–{slot.ends_at:%H:%M}  {what}", 11)
    flow.text(f"地点 / Place：{slot.place}    工位 / Stations：{slot.capacity}    "
              f"已安排 / Seated：{slot.seated}", 9, colour=GREY, indent=4 * mm)
    if slot.judges:
        judges = "、".join(f"{judge.name}（{ROLE_WORDS[judge.role].split(' / ')[0]}）" for judge in slot.judges)
        flow.text(f"裁判 / Judges：{judges}", 9, indent=4 * mm)
    if slot.seats:
        flow.columns([" ".join(part for part in (f"{seat.station:>3}", seat.name, seat.exam_number or "",
                                                   seat.team or seat.unit or "") if part)
                      for seat in slot.seats], 9, indent=4 * mm)
    flow.gap(3 * mm)


def timetable_pdf(timetable: Timetable, *, subtitle: str) -> bytes:
    """The timetable as an A4 PDF: by day, each session with its people when shown."""
    flow = _Flow(f"{timetable.title} · 日程 / Timetable")
    flow.text(timetable.title, 16)
    flow.text(f"日程 / Timetable · {subtitle}", 10, colour=GREY)
    if not timetable.shows_names:
        flow.text("本表不列出选手和裁判姓名。 / Contestants and judges are not named here.", 9, colour=GREY)
    if timetable.is_empty:
        flow.gap(4 * mm)
        flow.text("尚无场次。 / No sessions yet.", 11)
    for day in timetable.days:
        _day_heading(flow, day)
        for slot in day.slots:
            _slot(flow, slot)
    return flow.finish()


def personal_pdf(name: str, days: tuple[Day, ...]) -> bytes:
    """A person's timetable as an A4 PDF: each session with its place, station and role."""
    flow = _Flow(f"{name} · 个人日程 / My timetable")
    flow.text(f"{name} · 个人日程", 16)
    flow.text("My timetable", 10, colour=GREY)
    if not days:
        flow.gap(4 * mm)
        flow.text("暂无场次安排。 / No sessions for you yet.", 11)
    for day in days:
        _day_heading(flow, day)
        for item in day.slots:
            flow.room_for(18 * mm)
            flow.text(f"{item.starts_at:%H:%M}–{item.ends_at:%H:%M}  {item.event_name} · {item.session_name}", 11)
            flow.text(item.competition_name, 9, colour=GREY, indent=4 * mm)
            flow.text(f"地点 / Place：{item.place}", 10, indent=4 * mm)
            if item.kind == Kind.CONTEST:
                flow.text(f"工位 / Station：{item.station}", 10, indent=4 * mm)
                if item.equipment:
                    flow.text(f"设备 / Equipment：{item.equipment}", 10, indent=4 * mm)
            else:
                flow.text(f"执裁 / Judging：{ROLE_WORDS[item.role]}", 10, indent=4 * mm)
            flow.gap(3 * mm)
    return flow.finish()
