"""Excel (.xlsx) files in and out, for every feature that imports or exports a sheet.

Reading (`read_rows`) gives every cell back AS TEXT, because the things people put in
sheets — credit codes, ID numbers, phone numbers — are text that Excel likes to turn into
numbers. A whole number Excel stored is turned back into its digits (and flagged); a
fraction or scientific notation in a `text_code` column means digits are already lost, so
that cell is refused with the fix (format the column as text and type it again).
Problems with the file as a whole (not an xlsx, too large, a missing column) raise
`InvalidInput`; problems with one cell are collected on its row, so a caller can report
every bad row at once.

A formula cell is refused, saying so: its value is whatever the program that saved the
file last computed (nothing at all in a file a script wrote), never what the person sees
typed. Each cell reports one problem, the first found, so a formula or a number that lost
its digits is not also reported as an empty cell by the feature's own checks.

Writing (`write_workbook`) neutralises formula injection in every cell (`safe_cell`);
reading takes that apostrophe off again, so an exported sheet imports as it was.

Uploads that must survive from a preview to its confirmation: app.core.uploads.
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock_time
from typing import Any, Iterable, Sequence

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.core.errors import InvalidInput

log = logging.getLogger(__name__)

MAX_ROWS = 5_000
# Empty rows tolerated on top of the data rows. openpyxl spends ~0.1 ms on each row it
# parses, empty or not, so a small file of a million formatted empty rows would hold a
# worker for minutes; past this many the file is refused instead.
MAX_EMPTY_ROWS = 5_000
# An xlsx is a zip: refuse one that would inflate to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# A column is never read past this many cells to the right of the first one.
MAX_COLUMNS = 100
TEXT_FORMAT = "@"

# The first characters that make Excel, LibreOffice or WPS read a cell as a formula
# (OWASP "CSV injection"): = + - @, and tab / carriage return that some of them skip.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# How Excel shows a number it could not show in full: 9.11E+17, 1.10105E+17.
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?E[+-][0-9]+", re.IGNORECASE)


class RowsRefused(InvalidInput):
    """A file with bad rows was refused as a whole; `errors` lists every bad cell."""

    def __init__(self, message: str, errors: list["CellError"]):
        super().__init__(message)
        self.errors = errors


@dataclass(frozen=True)
class Column:
    """One column a sheet may have, found by its header text.

    `required`: the header must be in the file (whether a cell may be empty is the
    caller's rule). `text_code`: codes and numbers kept as text; a cell Excel stored as a
    fraction or in scientific notation is refused, since its digits are gone.
    """

    header: str
    required: bool = False
    text_code: bool = False


@dataclass(frozen=True)
class CellError:
    """One problem, where the person will look for it: the row number Excel shows, the header."""

    row: int
    column: str
    message: str


@dataclass
class SheetRow:
    """One non-empty data row: each column's text (None when empty or absent)."""

    number: int
    values: dict[str, str | None]
    errors: list[CellError] = field(default_factory=list)
    # text_code columns whose cell Excel had stored as a whole number: kept, but worth a look.
    stored_as_number: set[str] = field(default_factory=set)

    def __getitem__(self, header: str) -> str | None:
        return self.values.get(header)

    def refuse(self, column: str, message: str) -> None:
        """Record a problem with the cell in `column`, unless it has one already."""
        if column not in {error.column for error in self.errors}:
            self.errors.append(CellError(self.number, column, message))


class ReadFromSheet:
    """Mixin for a feature's own row (a dataclass with a `sheet_row` field): its problems and
    its Excel warnings stay on the SheetRow it was read from."""

    sheet_row: SheetRow

    @property
    def is_bad(self) -> bool:
        return bool(self.sheet_row.errors)

    @property
    def stored_as_number(self) -> set[str]:
        return self.sheet_row.stored_as_number

    def refuse(self, column: str, message: str) -> None:
        self.sheet_row.refuse(column, message)


class CheckedFile:
    """Mixin for what checking a whole file gives (a dataclass with an `errors` field)."""

    errors: list[CellError]

    @property
    def is_clean(self) -> bool:
        return not self.errors

    @property
    def bad_row_count(self) -> int:
        return len({error.row for error in self.errors})


# --- writing -------------------------------------------------------------------------------

def safe_cell(value: Any) -> Any:
    """`value` made safe to put in a spreadsheet cell.

    Text that starts like a formula gets a leading apostrophe, so no spreadsheet runs it;
    characters an xlsx cannot hold (control characters) are dropped. Numbers, dates and
    None are returned as they are.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_workbook(headers: list[str], rows: Iterable[list], sheet_title: str, *,
                   text_columns: Iterable[str] = (), choices: dict[str, list[str]] | None = None,
                   extra_sheets: Sequence[tuple[str, list[list]]] = ()) -> bytes:
    """An xlsx with one sheet: a bold header row, then `rows`; every cell through `safe_cell`.

    `text_columns` (header names) are formatted as text, the whole column, so codes keep
    their digits when the file is edited and read back. `choices` puts a drop-down list on
    a column (header name -> allowed values). `extra_sheets` adds (title, rows) sheets after
    the first, e.g. instructions. Datetimes must be naive local times (xlsx has no zones).
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    text_positions = {i for i, header in enumerate(headers, start=1) if header in set(text_columns)}
    sheet.append([safe_cell(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [_display_width(header) for header in headers]
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
        for position, value in enumerate(row, start=1):
            if position <= len(widths):
                widths[position - 1] = max(widths[position - 1], _display_width(value))
            if position in text_positions:
                sheet.cell(sheet.max_row, position).number_format = TEXT_FORMAT
    for position, width in enumerate(widths, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 50)
        if position in text_positions:
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT  # rows typed later
    for header, allowed in (choices or {}).items():
        if header in headers:
            letter = get_column_letter(headers.index(header) + 1)
            validation = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    for title, extra_rows in extra_sheets:
        _add_text_sheet(workbook, title, extra_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_text_sheet(workbook: Workbook, title: str, rows: list[list]) -> None:
    sheet = workbook.create_sheet(_sheet_title(title))
    widths: dict[int, int] = {}
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
        for position, value in enumerate(row, start=1):
            widths[position] = max(widths.get(position, 0), _display_width(value))
    for position, width in widths.items():
        sheet.column_dimensions[get_column_letter(position)].width = min(max(width + 2, 8), 80)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet's name, and names over 31 characters.
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Sheet1"


def _display_width(value: Any) -> int:
    """Roughly how many Latin characters wide `value` shows; CJK characters count two."""
    if value is None:
        return 0
    text = value.isoformat() if isinstance(value, (date, datetime, clock_time)) else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


# --- reading -------------------------------------------------------------------------------

def read_rows(data: bytes, columns: Sequence[Column], *, sheet: str | None = None,
              max_rows: int = MAX_ROWS) -> list[SheetRow]:
    """The data rows of the sheet named `sheet` (else the first), every cell as text.

    The first non-empty row holds the headers, matched to `columns` by their text in any
    order (spaces, full-width forms and a trailing "*" ignored); other columns are ignored.
    Empty rows are skipped; row numbers stay as Excel shows them. Raises InvalidInput when
    the file is not a readable xlsx, a required column is missing, or it has more than
    `max_rows` data rows or MAX_EMPTY_ROWS empty ones.
    """
    workbook = _open(data)
    try:
        worksheet = workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]
        return _rows_of(worksheet, columns, max_rows)
    except InvalidInput:
        raise
    except Exception as error:  # openpyxl raises many kinds of error for a broken file
        log.info("unreadable xlsx sheet: %s", type(error).__name__)
        raise InvalidInput(_("The file could not be read as an Excel workbook (.xlsx)."), field="file") from None
    finally:
        workbook.close()


def _open(data: bytes):
    if not data:
        raise InvalidInput(_("The file is empty."), field="file")
    not_xlsx = InvalidInput(
        _("This is not an Excel workbook (.xlsx). Open it in Excel and save it as “Excel Workbook (*.xlsx)”."),
        field="file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_xlsx from None
    if "xl/workbook.xml" not in names:
        raise not_xlsx
    if unpacked > MAX_UNPACKED_BYTES:
        raise InvalidInput(_("The workbook is too large; split it into smaller files."), field="file")
    try:
        # read_only streams the sheet; not data_only, so a formula cell shows as one and is refused.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of error for a broken file
        log.info("unreadable xlsx: %s", type(error).__name__)
        raise InvalidInput(_("The file could not be read as an Excel workbook (.xlsx)."), field="file") from None


def _header_key(text: Any) -> str:
    key = "".join(unicodedata.normalize("NFKC", str(text or "")).split())
    return key.rstrip("*").casefold()


def _rows_of(worksheet, columns: Sequence[Column], max_rows: int) -> list[SheetRow]:
    # A read-only sheet stops at the size the file declares, and some programs declare it
    # wrong ("A1"): rows past it would be dropped without a word. Read to the real end.
    worksheet.reset_dimensions()
    lines = worksheet.iter_rows(max_col=MAX_COLUMNS)
    positions: dict[str, int] | None = None
    rows: list[SheetRow] = []
    empty = 0
    for number, line in enumerate(lines, start=1):
        cells = [_Formula() if cell.data_type == "f" else cell.value for cell in line]
        if all(_is_blank(value) for value in cells):
            empty += 1
            if empty > MAX_EMPTY_ROWS:
                raise InvalidInput(
                    _("The sheet has more than %(count)d empty rows (rows with formatting but no data count too); "
                      "delete the empty rows and upload it again.", count=MAX_EMPTY_ROWS), field="file")
            continue
        if positions is None:
            positions = _match_headers(cells, columns)
            continue
        if len(rows) >= max_rows:
            raise InvalidInput(
                _("The file has more than %(count)d rows; split it into smaller files.", count=max_rows),
                field="file")
        rows.append(_read_row(number, cells, columns, positions))
    if positions is None:
        raise InvalidInput(_("The sheet is empty: the first row must hold the column headers."), field="file")
    return rows


def _match_headers(cells: Sequence[Any], columns: Sequence[Column]) -> dict[str, int]:
    found: dict[str, int] = {}
    wanted = {_header_key(column.header): column.header for column in columns}
    for position, value in enumerate(cells):
        header = wanted.get(_header_key(value))
        if header is None:
            continue
        if header in found:
            raise InvalidInput(_("The column “%(header)s” appears twice.", header=header), field="file")
        found[header] = position
    missing = [column.header for column in columns if column.required and column.header not in found]
    if missing:
        raise InvalidInput(
            _("The first row must hold the column headers; missing: %(headers)s. Download the template "
              "and copy your data into it.", headers="、".join(missing)), field="file")
    return found


def _read_row(number: int, cells: Sequence[Any], columns: Sequence[Column],
              positions: dict[str, int]) -> SheetRow:
    row = SheetRow(number=number, values={})
    for column in columns:
        position = positions.get(column.header)
        value = cells[position] if position is not None and position < len(cells) else None
        row.values[column.header] = _as_text(value, column, row)
    return row


class _Formula:
    """What a formula cell reads as: never its text, never a value it last computed."""


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: Any, column: Column, row: SheetRow) -> str | None:
    """The cell as text; refuses (on `row`) a code whose digits a number has lost."""
    if _is_blank(value):
        return None
    if isinstance(value, _Formula):
        row.refuse(column.header, _("This cell holds a formula; type the value itself (or copy the column and "
                                    "paste it as values)."))
        return None
    digits_lost = _("Excel stored this cell as a number and digits may be lost; "
                    "format the column as text and enter it again.")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        if column.text_code:
            row.stored_as_number.add(column.header)
        return str(value)
    if isinstance(value, float):
        if column.text_code:
            row.refuse(column.header, digits_lost)
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == clock_time() else value.isoformat(sep=" ")
    if isinstance(value, (date, clock_time)):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        text = text[1:]  # undo `safe_cell`, so an exported sheet reads back as it was
    if column.text_code and _SCIENTIFIC.fullmatch(text):
        row.refuse(column.header, digits_lost)
        return None
    return text
